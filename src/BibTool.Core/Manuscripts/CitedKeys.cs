using System.Text.RegularExpressions;
using System.Xml;
using BibTool.Export;

namespace BibTool.Manuscripts;

/// <summary>One citation of a key in a manuscript, where it was read.</summary>
public sealed record Citation(string Key, string File, int Line)
{
    public string Location => $"{File}:{Line}";
}

public sealed class ManuscriptException(string message) : Exception(message);

/// <summary>What a manuscript cites, for <c>export --cited</c>: the export holds the works it names, and nothing else.</summary>
public sealed partial class CitedKeys
{
    private CitedKeys(List<Citation> citations, Citation? everything)
    {
        Citations = citations;
        Everything = everything;
    }

    public IReadOnlyList<Citation> Citations { get; }

    /// <summary>Where the manuscript asks for every work (<c>\nocite{*}</c>, pandoc's <c>nocite: '@*'</c>), if it does.</summary>
    public Citation? Everything { get; }

    /// <summary>
    /// The keys cited in each file, by its kind: LaTeX's .aux (bibtex's <c>\citation</c>, biblatex's
    /// <c>\abx@aux@cite</c>, with the .aux files it includes), biber's .bcf, LaTeX sources (.tex,
    /// .ltx, .sty) and pandoc Markdown (anything else: .md, .markdown, .qmd, .Rmd, .txt).
    /// </summary>
    public static CitedKeys Read(IEnumerable<string> paths)
    {
        var citations = new List<Citation>();
        foreach (var path in paths)
        {
            var text = ReadText(path);
            citations.AddRange(Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".aux" => FromAux(path, text, [Path.GetFullPath(path)]),
                ".bcf" => FromBcf(path, text),
                ".tex" or ".ltx" or ".sty" or ".cls" => FromTex(path, text),
                _ => FromMarkdown(path, text),
            });
        }
        var everything = citations.FirstOrDefault(c => c.Key == "*");
        return new CitedKeys(citations.Where(c => c.Key != "*").ToList(), everything);
    }

    private static string ReadText(string path)
    {
        switch (Store.FileKind.Of(path, follow: true))
        {
            case Store.FileKindOf.Missing: throw new ManuscriptException($"{path}: no such file");
            case Store.FileKindOf.Directory: throw new ManuscriptException($"{path}: is a directory, not a manuscript");
            case Store.FileKindOf.Special: throw new ManuscriptException($"{path}: not a regular file");
        }
        // Latin-1 where the bytes are not UTF-8 (an 8-bit LaTeX source): keys are ASCII either way.
        try { return BibFiles.BibEncoding.Decode(File.ReadAllBytes(path)).Text; }
        catch (IOException e) { throw new ManuscriptException($"{path}: cannot read ({e.Message})"); }
        catch (UnauthorizedAccessException) { throw new ManuscriptException($"{path}: permission denied"); }
    }

    /// <summary>bibtex's <c>\citation{a,b}</c>, biblatex's <c>\abx@aux@cite{0}{key}</c> (or <c>{key}</c>), and <c>\@input{part.aux}</c>.</summary>
    public static IEnumerable<Citation> FromAux(string path, string text, HashSet<string> seen)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (AuxCitation().Match(line) is { Success: true } bibtex)
                foreach (var key in SplitKeys(bibtex.Groups[1].Value)) yield return new Citation(key, path, i + 1);
            else if (AuxBiblatex().Match(line) is { Success: true } biblatex)
                yield return new Citation(biblatex.Groups[2].Value.Trim(), path, i + 1);
            else if (AuxInput().Match(line) is { Success: true } input)
            {
                var part = Path.Combine(Path.GetDirectoryName(path) ?? ".", input.Groups[1].Value);
                // An included file that is not there (a chapter not compiled yet) cites nothing.
                if (File.Exists(part) && seen.Add(Path.GetFullPath(part)))
                    foreach (var citation in FromAux(part, ReadText(part), seen)) yield return citation;
            }
        }
    }

    /// <summary>biber's control file: every <c>&lt;bcf:citekey&gt;</c>, read without its DTD or entities.</summary>
    public static IEnumerable<Citation> FromBcf(string path, string text)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        var citations = new List<Citation>();
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "citekey") continue;
                var line = ((IXmlLineInfo)reader).LineNumber;
                var key = reader.ReadElementContentAsString().Trim();
                if (key.Length > 0) citations.Add(new Citation(key, path, line));
            }
        }
        catch (XmlException e) { throw new ManuscriptException($"{path}:{Math.Max(1, e.LineNumber)}: not a biber control file ({e.Message.Split('.')[0]})"); }
        return citations;
    }

    /// <summary>
    /// LaTeX citation commands (<c>\cite</c>, <c>\citep</c>, <c>\citet</c>, <c>\parencite</c>,
    /// <c>\textcite</c>, <c>\autocite</c>, <c>\footcite</c>, <c>\nocite</c>, and every other command
    /// whose name holds "cite"), starred or not, with optional arguments, several keys, and biblatex's
    /// multi-cite commands (<c>\cites[p.~3]{a}{b}</c>); comments are skipped.
    /// </summary>
    public static IEnumerable<Citation> FromTex(string path, string text)
    {
        text = TexComment().Replace(text, m => m.Groups[1].Value + new string(' ', m.Length - m.Groups[1].Length));
        var line = 1;
        var counted = 0;
        foreach (Match command in TexCommand().Matches(text))
        {
            var name = command.Groups[1].Value;
            var multi = name.EndsWith("cites", StringComparison.OrdinalIgnoreCase);
            var at = command.Index + command.Length;
            while (true)
            {
                at = SkipArguments(text, at, multi);
                if (at >= text.Length || text[at] != '{') break;
                var close = text.IndexOf('}', at);
                if (close < 0) break;
                for (; counted < at; counted++) if (text[counted] == '\n') line++;
                foreach (var key in SplitKeys(text[(at + 1)..close])) yield return new Citation(key, path, line);
                at = close + 1;
                if (!multi) break;
            }
        }
    }

    /// <summary>Past spaces and optional arguments: [..] always, (..) for multi-cite commands.</summary>
    private static int SkipArguments(string text, int at, bool multi)
    {
        while (at < text.Length)
        {
            if (char.IsWhiteSpace(text[at])) { at++; continue; }
            var close = text[at] == '[' ? ']' : multi && text[at] == '(' ? ')' : '\0';
            if (close == '\0') return at;
            var end = text.IndexOf(close, at);
            if (end < 0) return text.Length;
            at = end + 1;
        }
        return at;
    }

    /// <summary>
    /// pandoc's citations: <c>[@key]</c>, <c>@key</c>, <c>[-@key]</c>, <c>[see @a, p. 3; @b]</c>,
    /// <c>@{odd key}</c>. Code (fenced blocks, inline spans) and e-mail addresses are not citations.
    /// In the YAML front matter, <c>nocite</c>'s <c>@*</c> asks for every work.
    /// </summary>
    public static IEnumerable<Citation> FromMarkdown(string path, string text)
    {
        var lines = text.Split('\n');
        var fence = "";
        var frontMatter = lines.Length > 0 && lines[0].TrimEnd('\r') == "---";
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (frontMatter && i > 0 && line is "---" or "...") { frontMatter = false; continue; }
            var trimmed = line.TrimStart();
            if (!frontMatter && fence.Length == 0 && FenceOpen().Match(trimmed) is { Success: true } open) { fence = open.Groups[1].Value; continue; }
            if (fence.Length > 0)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal) && trimmed.TrimEnd().Trim(fence[0]).Length == 0) fence = "";
                continue;
            }
            if (frontMatter && line.Contains("@*", StringComparison.Ordinal)) yield return new Citation("*", path, i + 1);
            var prose = InlineCode().Replace(line, m => new string(' ', m.Length));
            foreach (Match match in PandocKey().Matches(prose))
                yield return new Citation(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value, path, i + 1);
        }
    }

    private static IEnumerable<string> SplitKeys(string keys) =>
        keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// The items the manuscript cites, in the export's order, matched by key or by an alias (a key
    /// the work had before); and each cited key no item has, with the closest known keys. A work the
    /// manuscript cites under one old key only is written under that key (its current key becomes
    /// an alias), so bibtex and pandoc, which know no aliases, find it too.
    /// </summary>
    public CitedSelection Select(IEnumerable<ExportItem> items)
    {
        var all = items.ToList();
        // Current keys first: an alias never hides another work's key.
        var known = new Dictionary<string, ExportItem>(StringComparer.Ordinal);
        foreach (var item in all) known.TryAdd(item.Key, item);
        foreach (var item in all)
            foreach (var alias in item.Aliases) known.TryAdd(alias, item);
        // bibtex matches keys without regard to case (and warns); biber and pandoc do not. Exact first.
        var folded = new Dictionary<string, ExportItem>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, item) in known) folded.TryAdd(key, item);
        var spellings = new Dictionary<ExportItem, List<Citation>>(ReferenceEqualityComparer.Instance);
        var unknown = new List<(Citation, IReadOnlyList<string>)>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var citation in Citations)
        {
            if (known.TryGetValue(citation.Key, out var item) || folded.TryGetValue(citation.Key, out item))
            {
                var cited = spellings.TryGetValue(item, out var list) ? list : spellings[item] = [];
                if (!cited.Any(c => c.Key == citation.Key)) cited.Add(citation);
            }
            else if (reported.Add(citation.Key)) unknown.Add((citation, Closest(citation.Key, known.Keys)));
        }
        var notes = new List<string>();
        var selected = new List<ExportItem>();
        foreach (var item in all)
        {
            if (!spellings.TryGetValue(item, out var cited))
            {
                if (Everything is not null) selected.Add(item);
                continue;
            }
            if (cited.Any(c => c.Key == item.Key)) selected.Add(item);
            else
            {
                var key = cited[0].Key;
                selected.Add(item with { Key = key, Aliases = [.. item.Aliases.Where(a => a != key), item.Key] });
            }
            foreach (var other in cited.Skip(1))
                notes.Add($"{other.Location}: '{other.Key}' and '{cited[0].Key}' name one work, written as '{selected[^1].Key}' " +
                    $"(biblatex reads the other through ids; bibtex and pandoc do not: cite it as '{selected[^1].Key}')");
        }
        return new CitedSelection(selected, unknown) { Notes = notes };
    }

    /// <summary>Up to three known keys nearest to a mistyped one (edit distance, case ignored), nearest first.</summary>
    public static IReadOnlyList<string> Closest(string key, IEnumerable<string> known)
    {
        var limit = Math.Max(2, key.Length / 3);
        return known.Select(k => (Key: k, Distance: BibTool.Text.EditDistance.Between(key.ToLowerInvariant(), k.ToLowerInvariant(), limit)))
            .Where(p => p.Distance <= limit).OrderBy(p => p.Distance).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key).Distinct().Take(3).ToList();
    }

    [GeneratedRegex(@"^\\citation\{([^}]*)\}")]
    private static partial Regex AuxCitation();

    [GeneratedRegex(@"^\\abx@aux@cite(?:\{([^}]*)\})?\{([^}]*)\}\s*$")]
    private static partial Regex AuxBiblatex();

    [GeneratedRegex(@"^\\@input\{([^}]+\.aux)\}")]
    private static partial Regex AuxInput();

    /// <summary>A comment: an unescaped % to the end of its line (group 1 keeps an escaping backslash run's even prefix).</summary>
    [GeneratedRegex(@"(^|[^\\](?:\\\\)*)%[^\n]*", RegexOptions.Multiline)]
    private static partial Regex TexComment();

    [GeneratedRegex(@"\\((?:no)?[A-Za-z]*(?i:cite)[A-Za-z]*)\*?(?![A-Za-z])")]
    private static partial Regex TexCommand();

    [GeneratedRegex(@"^(`{3,}|~{3,})")]
    private static partial Regex FenceOpen();

    [GeneratedRegex(@"(`+)(?:(?!\1).)+?\1")]
    private static partial Regex InlineCode();

    /// <summary>pandoc's key: after an '@' not preceded by a letter, digit or '_' (so never an e-mail address); internal punctuation only.</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}_@.])@(?:\{([^{}\s]+)\}|([\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*))")]
    private static partial Regex PandocKey();
}

/// <summary>The cited items, and each unknown key with where it was cited and the closest known keys.</summary>
public sealed record CitedSelection(IReadOnlyList<ExportItem> Items, IReadOnlyList<(Citation Citation, IReadOnlyList<string> Closest)> Unknown)
{
    /// <summary>Works cited under more than one key, one line each.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
