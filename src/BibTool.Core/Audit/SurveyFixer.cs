using System.Text;
using System.Text.RegularExpressions;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Survey;

namespace BibTool.Audit;

/// <summary>Which of check's findings <c>fix</c> writes back into the survey; each is asked for by name.</summary>
public sealed record FixOptions
{
    /// <summary>A preprint whose published version is known: its link becomes the DOI link.</summary>
    public bool Published { get; init; }

    /// <summary>A retracted work: its paper cell says so after the link.</summary>
    public bool MarkRetracted { get; init; }

    /// <summary>A publisher link that carries a DOI becomes https://doi.org/DOI.</summary>
    public bool CanonicalLinks { get; init; }

    /// <summary>Columns added to every table, filled from the resolved works: venue, year, key.</summary>
    public IReadOnlyList<string> AddColumns { get; init; } = [];

    public static readonly string[] Columns = ["venue", "year", "key"];

    public bool Any => Published || MarkRetracted || CanonicalLinks || AddColumns.Count > 0;
}

/// <summary>One changed line of the survey: its number, what it was, what it is, and why.</summary>
public sealed record LineChange(int Line, string Before, string After, IReadOnlyList<string> Reasons);

/// <summary>The survey's new text, the changed lines, and what could not be changed (file:line each).</summary>
public sealed record FixResult(string Text, IReadOnlyList<LineChange> Changes, IReadOnlyList<string> Warnings);

/// <summary>
/// Writes check's findings back into a survey, line by line: only the bytes of the cells that
/// change change (a link's target, a mark after a link, cells appended to a table's lines); every
/// other byte, line ending and layout stays. Running it again changes nothing.
/// </summary>
public static partial class SurveyFixer
{
    public const string RetractedMark = "**(retracted)**";

    public static FixResult Apply(string text, string file, IReadOnlyList<SurveyEntry> entries, Func<Identifier, Work?> lookup, FixOptions options,
        Func<SurveyEntry, string?>? keyOf = null)
    {
        var lines = Lines.Split(text);
        var reasons = new Dictionary<int, List<string>>();
        var warnings = new List<string>();
        void Changed(int index, string content, string reason)
        {
            lines[index] = lines[index] with { Content = content };
            (reasons.TryGetValue(index, out var list) ? list : reasons[index] = []).Add(reason);
        }

        foreach (var row in entries)
        {
            var index = row.Line - 1;
            if (index < 0 || index >= lines.Count || row.Identifier.Type == IdentifierType.None || row.PaperUrl.Length == 0) continue;
            var work = lookup(row.Identifier);
            string? newUrl = null, why = null;
            if (options.Published && work is { IsPreprint: true, PublishedDoi: { } published })
                (newUrl, why) = (DoiLink(published), $"published version doi:{published}");
            else if (options.CanonicalLinks && row.Identifier.Type == IdentifierType.Doi && !IsDoiLink(row.PaperUrl))
                (newUrl, why) = (DoiLink(row.Identifier.Value), "canonical DOI link");
            if (newUrl is not null && newUrl != row.PaperUrl)
            {
                if (FindLink(lines[index].Content, row.PaperUrl) is { } at)
                    Changed(index, lines[index].Content[..at.Start] + newUrl + lines[index].Content[(at.Start + row.PaperUrl.Length)..], why!);
                else warnings.Add($"{file}:{row.Line}: the link {row.PaperUrl} is not written as it reads; change it by hand ({why})");
            }
            if (options.MarkRetracted && work?.UpdatedBy.Any(u => u.IsRetraction) == true)
            {
                var url = newUrl is not null && reasons.ContainsKey(index) ? newUrl : row.PaperUrl;
                var content = lines[index].Content;
                if (FindLink(content, url) is not { } link) warnings.Add($"{file}:{row.Line}: the link {url} is not written as it reads; mark the retraction by hand");
                else if (!CellAfter(content, link.End).Contains("retracted", StringComparison.OrdinalIgnoreCase))
                    Changed(index, content[..link.End] + " " + RetractedMark + content[link.End..], "retracted");
            }
        }

        if (options.AddColumns.Count > 0)
        {
            var byLine = new Dictionary<int, SurveyEntry>();
            foreach (var row in entries) byLine.TryAdd(row.Line - 1, row);
            foreach (var table in Tables(lines))
            {
                var header = SplitCells(lines[table.Header].Content);
                var missing = options.AddColumns.Where(c => !header.Any(h => h.Equals(c, StringComparison.OrdinalIgnoreCase))).ToList();
                if (missing.Count == 0) continue;
                Changed(table.Header, Append(lines[table.Header].Content, missing.Select(Title)), "columns " + string.Join(", ", missing));
                Changed(table.Header + 1, Append(lines[table.Header + 1].Content, missing.Select(_ => "---")), "columns " + string.Join(", ", missing));
                for (var i = table.Header + 2; i <= table.Last; i++)
                {
                    var work = byLine.TryGetValue(i, out var row) && row.Identifier.Type != IdentifierType.None ? lookup(row.Identifier) : null;
                    var values = missing.Select(column => column.ToLowerInvariant() switch
                    {
                        "venue" => Venue(work),
                        "year" => work?.Issued?.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                        _ => row is not null && work is not null ? keyOf?.Invoke(row) ?? "" : "",
                    });
                    Changed(i, Append(lines[i].Content, values), "columns " + string.Join(", ", missing));
                }
            }
        }

        var original = Lines.Split(text);
        var changes = reasons.OrderBy(r => r.Key).Select(r => new LineChange(r.Key + 1, original[r.Key].Content, lines[r.Key].Content, r.Value)).ToList();
        return new FixResult(Lines.Join(lines), changes, warnings);
    }

    private static string DoiLink(string doi) =>
        "https://doi.org/" + string.Concat(doi.Select(c => c is '(' or ')' or '<' or '>' or ' ' or '|' or '[' or ']' or '"' ? $"%{(int)c:X2}" : c.ToString()));

    private static bool IsDoiLink(string url) => Regex.IsMatch(url, @"^https?://(dx\.)?doi\.org/", RegexOptions.IgnoreCase);

    /// <summary>The link target <paramref name="url"/> in a line: in a Markdown link's parentheses, in angle brackets, or bare; its span and the end of the whole link.</summary>
    private static (int Start, int End)? FindLink(string line, string url)
    {
        for (var at = line.IndexOf(url, StringComparison.Ordinal); at >= 0; at = line.IndexOf(url, at + 1, StringComparison.Ordinal))
        {
            var after = at + url.Length;
            if (at >= 2 && line[(at - 2)..at] == "](")
            {
                // Past an optional title to the closing parenthesis.
                var close = line.IndexOf(')', after);
                if (close >= 0) return (at, close + 1);
            }
            else if (at >= 1 && line[at - 1] == '<' && after < line.Length && line[after] == '>') return (at, after + 1);
            else if ((at == 0 || char.IsWhiteSpace(line[at - 1]) || line[at - 1] == '|') && (after == line.Length || char.IsWhiteSpace(line[after]) || line[after] == '|'))
                return (at, after);
        }
        return null;
    }

    /// <summary>The rest of a table cell after a position (up to the next unescaped '|').</summary>
    private static string CellAfter(string line, int from)
    {
        for (var i = from; i < line.Length; i++)
            if (line[i] == '|' && line[i - 1] != '\\') return line[from..i];
        return line[from..];
    }

    private static string Venue(Work? work) => work is null ? "" : BibTool.Report.ReportPage.Venue(work);

    private static string Title(string column) => char.ToUpperInvariant(column[0]) + column[1..].ToLowerInvariant();

    /// <summary>Cells appended after a row's last '|' (or after its last cell, when the row has no closing pipe).</summary>
    private static string Append(string line, IEnumerable<string> cells)
    {
        var values = cells.Select(c => c.Replace("|", "\\|").Replace("\n", " ")).ToList();
        var end = line.TrimEnd();
        var trailing = line[end.Length..];
        return end.EndsWith('|')
            ? end + string.Concat(values.Select(v => $" {v} |")) + trailing
            : end + string.Concat(values.Select(v => $" | {v}")) + trailing;
    }

    private static List<string> SplitCells(string line) =>
        line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList();

    /// <summary>Each pipe table: its header line and its last row (0-based), found by the delimiter row under the header.</summary>
    private static IEnumerable<(int Header, int Last)> Tables(List<Line> lines)
    {
        var fence = false;
        for (var i = 1; i < lines.Count; i++)
        {
            if (lines[i].Content.TrimStart().StartsWith("```", StringComparison.Ordinal)) fence = !fence;
            if (fence || !Delimiter().IsMatch(lines[i].Content) || !lines[i - 1].Content.Contains('|')) continue;
            var last = i;
            while (last + 1 < lines.Count && lines[last + 1].Content.Contains('|') && lines[last + 1].Content.Trim().Length > 0) last++;
            yield return (i - 1, last);
            i = last;
        }
    }

    [GeneratedRegex(@"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")]
    private static partial Regex Delimiter();

    /// <summary>A line and its own ending ("\n", "\r\n" or none), so a file is rejoined byte for byte.</summary>
    private readonly record struct Line(string Content, string Ending);

    private static class Lines
    {
        public static List<Line> Split(string text)
        {
            var lines = new List<Line>();
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] != '\n') continue;
                var cr = i > start && text[i - 1] == '\r';
                lines.Add(new Line(text[start..(cr ? i - 1 : i)], cr ? "\r\n" : "\n"));
                start = i + 1;
            }
            if (start < text.Length) lines.Add(new Line(text[start..], ""));
            return lines;
        }

        public static string Join(List<Line> lines)
        {
            var sb = new StringBuilder();
            foreach (var line in lines) sb.Append(line.Content).Append(line.Ending);
            return sb.ToString();
        }
    }

    /// <summary>A unified diff of line changes (three lines of context), as <c>diff -u</c> prints it.</summary>
    public static string UnifiedDiff(string path, string before, string after)
    {
        var old = Lines.Split(before).Select(l => l.Content).ToList();
        var now = Lines.Split(after).Select(l => l.Content).ToList();
        // fix replaces lines one for one: the two texts have the same number of lines.
        var changed = Enumerable.Range(0, Math.Min(old.Count, now.Count)).Where(i => old[i] != now[i]).ToList();
        var sb = new StringBuilder();
        if (changed.Count == 0) return "";
        sb.Append($"--- {path}\n+++ {path}\n");
        var k = 0;
        while (k < changed.Count)
        {
            var from = Math.Max(0, changed[k] - 3);
            var to = Math.Min(old.Count - 1, changed[k] + 3);
            var j = k;
            while (j + 1 < changed.Count && changed[j + 1] - 3 <= to + 1) { j++; to = Math.Min(old.Count - 1, changed[j] + 3); }
            var count = to - from + 1;
            sb.Append($"@@ -{from + 1},{count} +{from + 1},{count} @@\n");
            for (var i = from; i <= to; i++)
            {
                if (old[i] == now[i]) sb.Append(' ').Append(old[i]).Append('\n');
                else sb.Append('-').Append(old[i]).Append('\n').Append('+').Append(now[i]).Append('\n');
            }
            k = j + 1;
        }
        return sb.ToString();
    }
}
