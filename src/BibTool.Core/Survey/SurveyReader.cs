using System.Text.RegularExpressions;
using BibTool.Identifiers;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace BibTool.Survey;

/// <summary>
/// Reads a Markdown "awesome list" into entries: every pipe-table row, and every bullet-list item
/// that links somewhere, with its section, table and cells. Roles (name, paper, code) are found by
/// header name and link shape, never by column position.
/// </summary>
public static partial class SurveyReader
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    [GeneratedRegex(@"^(model|models|name|dataset|datasets|method|tool|title|project|benchmark|resource|algorithm|system|library|software)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NameHeader();

    [GeneratedRegex(@"\b(paper|papers|publication|article|reference|pdf|arxiv|doi)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PaperHeader();

    [GeneratedRegex(@"\b(code|github|repo|repository|implementation|source)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CodeHeader();

    [GeneratedRegex(@"^https?://([a-z0-9-]+\.)*(github\.com|gitlab\.com|bitbucket\.org|huggingface\.co|codeberg\.org)(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex CodeHost();

    [GeneratedRegex(@"\(\s*\)|\[\s*\]")]
    private static partial Regex EmptyBrackets();

    /// <summary>The largest survey read (a million-row list is about 150 MB).</summary>
    public const long MaxBytes = 512L * 1024 * 1024;

    /// <summary>Deeper nesting than any survey needs; past it Markdig's recursion could exhaust the stack.</summary>
    public const int MaxNesting = 64;
    public const int MaxDelimitersPerLine = 4096;

    /// <summary>
    /// Surveys longer than this many lines are parsed in chunks (cut between top-level blocks, or
    /// between rows of a long table, whose header is repeated), so the syntax tree of a
    /// million-row survey is never in memory at once, and chunks are parsed on all cores.
    /// </summary>
    public const int ChunkAbove = 8000;

    /// <summary>
    /// About this many lines per chunk: small enough that a chunk's text and syntax tree stay off
    /// the large-object heap (4,000-line chunks made the collector take half the time).
    /// </summary>
    public const int ChunkLines = 256;

    /// <summary>Past this many rows a survey's entries are kept in a temporary file, not in memory (see <see cref="SpilledEntries"/>).</summary>
    public const int SpillAbove = 20_000;

    /// <summary>
    /// Reads the survey at <paramref name="path"/>, line by line (the file is never held whole);
    /// a missing or unreadable file throws <see cref="SurveyException"/>. A survey of more than
    /// <paramref name="spillAbove"/> rows keeps its entries in a temporary file: dispose the survey.
    /// </summary>
    public static Survey ReadFile(string path, int spillAbove = SpillAbove, int chunkLines = ChunkLines, int chunkAbove = ChunkAbove)
    {
        switch (Store.FileKind.Of(path, follow: true))
        {
            case Store.FileKindOf.Missing: throw new SurveyException($"{path}: no such file");
            case Store.FileKindOf.Directory: throw new SurveyException($"{path}: is a directory, not a Markdown file");
            case Store.FileKindOf.Special: throw new SurveyException($"{path}: not a regular file (a pipe or a device is not read)");
        }
        try
        {
            if (new FileInfo(path).Length > MaxBytes) throw new SurveyException($"{path}: larger than {MaxBytes / (1024 * 1024)} MB");
            var diagnostics = new List<SurveyDiagnostic>();
            var entries = Collect(Entries(() => new StreamReader(path, detectEncodingFromByteOrderMarks: true), path, chunkLines, chunkAbove, diagnostics), spillAbove);
            return new Survey(path, entries, diagnostics);
        }
        catch (FileNotFoundException) { throw new SurveyException($"{path}: no such file"); }
        catch (DirectoryNotFoundException) { throw new SurveyException($"{path}: no such file"); }
        catch (UnauthorizedAccessException) { throw new SurveyException($"{path}: permission denied"); }
        catch (IOException e) { throw new SurveyException($"{path}: cannot read ({e.Message})"); }
    }

    public static Survey Read(string markdown, string file) => Read(markdown, file, ChunkLines, ChunkAbove);

    /// <summary>Reads with chunks of <paramref name="chunkLines"/> lines past <paramref name="chunkAbove"/> lines (tests cut small surveys to check that chunks read as the whole).</summary>
    internal static Survey Read(string markdown, string file, int chunkLines, int chunkAbove, int spillAbove = int.MaxValue)
    {
        var diagnostics = new List<SurveyDiagnostic>();
        var entries = Collect(Entries(() => new StringReader(markdown), file, chunkLines, chunkAbove, diagnostics), spillAbove);
        return new Survey(file, entries, diagnostics);
    }

    private static IReadOnlyCollection<SurveyEntry> Collect(IEnumerable<SurveyEntry> entries, int spillAbove)
    {
        var kept = new List<SurveyEntry>();
        using var all = entries.GetEnumerator();
        while (kept.Count <= spillAbove && all.MoveNext()) kept.Add(all.Current);
        if (kept.Count <= spillAbove) return kept;
        var spill = new SpilledEntries();
        try
        {
            foreach (var entry in kept) spill.Add(entry);
            kept = null!;
            while (all.MoveNext()) spill.Add(all.Current);
            spill.Complete();
            return spill;
        }
        catch
        {
            spill.Dispose();
            throw;
        }
    }

    private static IEnumerable<string> Lines(Func<TextReader> open)
    {
        using var reader = open();
        while (reader.ReadLine() is { } line) yield return line;
    }

    /// <summary>
    /// The survey's entries in file order, read in one pass after a quick check of every line
    /// (nesting, delimiters, link reference definitions); chunks are parsed on all cores, a few
    /// at a time, so memory holds only the chunks in flight.
    /// </summary>
    private static IEnumerable<SurveyEntry> Entries(Func<TextReader> open, string file, int chunkLines, int chunkAbove, List<SurveyDiagnostic> diagnostics)
    {
        var count = 0;
        var references = false;
        foreach (var line in Lines(open))
        {
            CheckLine(line, ++count, file);
            // Link reference definitions can be used before they are defined: such a survey is read whole.
            references |= line.Contains("]:", StringComparison.Ordinal) && ReferenceDefinition().IsMatch(line);
        }
        var sawTable = false;
        var any = false;
        // A short survey, or one whose link references may be used before they are defined, is one chunk.
        // It is parsed on one thread: starting a worker per core and a queue cost a short survey more
        // than its parse (the example survey's list: 35 ms with workers, see the README's benchmarks).
        IEnumerable<ReadState> states = count <= chunkAbove || references ? [ParseAlone(new Chunk(0, [.. Lines(open)], 0), file)] : ParseInOrder(Chunks(Lines(open), chunkLines), file);
        var (category, table) = ("", "");
        foreach (var state in states)
        {
            diagnostics.AddRange(state.Diagnostics);
            sawTable |= state.SawTable;
            for (var i = 0; i < state.Entries.Count; i++)
            {
                any = true;
                // Rows before the chunk's first heading are under the headings of the chunks before.
                var entry = state.Entries[i];
                var inherit = (Category: state.CategoryFrom < 0 || i < state.CategoryFrom, Table: state.TableFrom < 0 || i < state.TableFrom);
                if (inherit.Category || inherit.Table)
                    entry = entry with { Category = inherit.Category ? category : entry.Category, Table = inherit.Table ? table : entry.Table };
                yield return entry;
            }
            if (state.CategoryFrom >= 0) category = state.Category!;
            if (state.TableFrom >= 0) table = state.Table!;
        }
        if (!any && !sawTable)
            diagnostics.Add(new SurveyDiagnostic(file, 0, "no tables or link lists found", IsError: true));
    }

    private static ReadState Parse(Chunk chunk, string file)
    {
        var state = new ReadState(file) { Lines = chunk.Lines, Prefix = chunk.Prefix, Offset = chunk.Start };
        Walk(Markdown.Parse(string.Join('\n', chunk.Lines), Pipeline), state);
        return state;
    }

    /// <summary>One chunk, parsed on one thread with the parsers' large stack while the caller waits.</summary>
    private static ReadState ParseAlone(Chunk chunk, string file)
    {
        var done = new TaskCompletionSource<ReadState>();
        var thread = new Thread(() =>
        {
            try { done.SetResult(Parse(chunk, file)); }
            catch (Exception e) { done.SetException(e); }
        }, ParserStack) { IsBackground = true, Name = "survey parser" };
        thread.Start();
        thread.Join();
        return Result(done.Task, file);
    }

    /// <summary>
    /// Chunks parsed and walked on one worker per core, handed back in file order; a few chunks
    /// ahead at most, so memory holds only those in flight.
    /// </summary>
    private static IEnumerable<ReadState> ParseInOrder(IEnumerable<Chunk> chunks, string file)
    {
        var workers = Environment.ProcessorCount;
        var queue = new System.Collections.Concurrent.BlockingCollection<(Chunk Chunk, TaskCompletionSource<ReadState> Done)>(workers * 4);
        for (var w = 0; w < workers; w++)
        {
            // Markdig recurses over nested blocks and inlines: threads with a large stack, so input the
            // checks let through can never overflow it.
            new Thread(() =>
            {
                foreach (var (chunk, done) in queue.GetConsumingEnumerable())
                {
                    try { done.SetResult(Parse(chunk, file)); }
                    catch (Exception e) { done.SetException(e); }
                }
            }, ParserStack) { IsBackground = true, Name = "survey parser" }.Start();
        }
        var pending = new Queue<Task<ReadState>>();
        try
        {
            foreach (var chunk in chunks)
            {
                var done = new TaskCompletionSource<ReadState>(TaskCreationOptions.RunContinuationsAsynchronously);
                queue.Add((chunk, done));
                pending.Enqueue(done.Task);
                while (pending.Count > workers * 4) yield return Result(pending.Dequeue(), file);
            }
            queue.CompleteAdding();
            while (pending.Count > 0) yield return Result(pending.Dequeue(), file);
        }
        finally { queue.CompleteAdding(); }
    }

    private static ReadState Result(Task<ReadState> parsed, string file)
    {
        try { return parsed.GetAwaiter().GetResult(); }
        catch (Exception e) when (e is not SurveyException) { throw new SurveyException($"{file}: cannot be read as Markdown ({e.Message})"); }
    }

    private const int ParserStack = 256 * 1024 * 1024;

    [GeneratedRegex(@"^ {0,3}\[[^\]]+\]:")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")]
    private static partial Regex DelimiterRow();

    /// <summary>A piece of the survey parsed alone: its own lines from <c>Start</c> (0-based), after <c>Prefix</c> lines repeating the header and delimiter of the table it continues.</summary>
    internal sealed record Chunk(int Start, string[] Lines, int Prefix)
    {
        public int End => Start + Lines.Length - Prefix;
    }

    /// <summary>
    /// Where a long survey can be cut without changing what Markdig reads: before an unindented line
    /// that follows a blank one, outside fenced code and HTML comments; inside a long table, before
    /// any row (the next chunk repeats the table's header and delimiter lines).
    /// </summary>
    internal static IEnumerable<Chunk> Chunks(IEnumerable<string> lines, int size)
    {
        var start = 0;
        var current = new List<string>();
        string[] prefix = [], tableHeader = [];
        var inTable = false;
        var fence = "";
        var comment = false;
        var previousBlank = true;
        var i = -1;
        foreach (var line in lines)
        {
            i++;
            if (i - start >= size && fence.Length == 0 && !comment)
            {
                var cut = !inTable ? previousBlank && line.Length > 0 && !char.IsWhiteSpace(line[0]) : line.Contains('|');
                if (cut)
                {
                    yield return new Chunk(start, [.. prefix, .. current], prefix.Length);
                    (start, prefix, current) = (i, inTable ? tableHeader : [], new List<string>());
                }
            }
            current.Add(line);
            var trimmed = line.TrimStart();
            var indent = line.Length - trimmed.Length;
            if (fence.Length > 0)
            {
                if (indent <= 3 && trimmed.StartsWith(fence, StringComparison.Ordinal) && trimmed.TrimEnd().TrimEnd(fence[0]).Length == 0) fence = "";
                previousBlank = false;
                continue;
            }
            if (indent <= 3 && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = new string(trimmed[0], trimmed.TakeWhile(c => c == trimmed[0]).Count());
                inTable = false;
                previousBlank = false;
                continue;
            }
            if (!comment && trimmed.Contains("<!--", StringComparison.Ordinal) && !trimmed[trimmed.IndexOf("<!--", StringComparison.Ordinal)..].Contains("-->", StringComparison.Ordinal)) comment = true;
            else if (comment && line.Contains("-->", StringComparison.Ordinal)) comment = false;
            var blank = trimmed.Length == 0;
            if (blank) inTable = false;
            else if (!inTable && current.Count > 1 && line.Contains('-') && DelimiterRow().IsMatch(line) && current[^2].Contains('|') && (current.Count < 3 || current[^3].Trim().Length == 0))
            {
                inTable = true;
                tableHeader = [current[^2], line];
            }
            previousBlank = blank;
        }
        yield return new Chunk(start, [.. prefix, .. current], prefix.Length);
    }

    private sealed class ReadState(string file)
    {
        public string File { get; } = file;
        public string[] Lines = [];
        /// <summary>Lines of the chunk that repeat an earlier table's header (not the file's own at this place).</summary>
        public int Prefix;
        /// <summary>The file line (0-based) of the chunk's first own line.</summary>
        public int Offset;
        /// <summary>Markdig's line in the chunk → the file's line (0-based).</summary>
        public int Map(int line) => line - Prefix + Offset;
        /// <summary>The headings in force; null until the chunk has its own (the chunks before say).</summary>
        public string? Category;
        public string? Table;
        /// <summary>The first entry under the chunk's own category (table) heading; -1 while there is none.</summary>
        public int CategoryFrom = -1, TableFrom = -1;
        public bool SawTable;
        public List<SurveyEntry> Entries { get; } = [];
        public List<SurveyDiagnostic> Diagnostics { get; } = [];
        public void Warn(int line, string message) => Diagnostics.Add(new SurveyDiagnostic(File, line, message, IsError: false));
    }

    private static void Walk(ContainerBlock container, ReadState state)
    {
        foreach (var block in container)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    var title = InlineText.Read(heading.Inline, state.Map(heading.Line)).Text;
                    if (heading.Level <= 2)
                    {
                        (state.Category, state.Table) = (title, "");
                        if (state.CategoryFrom < 0) state.CategoryFrom = state.Entries.Count;
                        if (state.TableFrom < 0) state.TableFrom = state.Entries.Count;
                    }
                    else if (heading.Level == 3)
                    {
                        state.Table = title;
                        if (state.TableFrom < 0) state.TableFrom = state.Entries.Count;
                    }
                    break;
                case Table table:
                    state.SawTable = true;
                    ReadTable(table, state);
                    break;
                case ListBlock list:
                    ReadList(list, state);
                    break;
                case ContainerBlock nested:
                    Walk(nested, state);
                    break;
            }
        }
    }

    private static void ReadTable(Table table, ReadState state)
    {
        TableRow? headerRow = null;
        foreach (var block in table)
            if (block is TableRow { IsHeader: true } row) { headerRow = row; break; }
        if (headerRow is null) return;
        // Markdig pads every row to the widest one; the source line says how many cells were written.
        var headerCount = RawCellCount(state, headerRow);
        var headers = new List<string>();
        foreach (var block in headerRow)
            if (block is TableCell cell && headers.Count < headerCount) headers.Add(ReadCell(cell, state).Text);
        var roles = TableRoles.Find(headers);

        foreach (var block in table)
        {
            if (block is not TableRow { IsHeader: false } row) continue;
            var line = state.Map(row.Line) + 1;
            var written = RawCellCount(state, row);
            var width = Math.Max(written, headers.Count);
            var cells = new List<KeyValuePair<string, Cell>>(width);
            var none = true;
            for (var i = 0; i < width; i++)
            {
                var header = i < headers.Count && headers[i].Length > 0 ? headers[i] : ColumnName(i);
                var cell = i < row.Count && row[i] is TableCell tableCell ? ReadCell(tableCell, state) : Cell.Empty;
                none &= cell.IsNone;
                cells.Add(new(header, cell));
            }
            if (none) continue;
            if (written != headers.Count)
                state.Warn(line, $"row has {written} cells but the header has {headers.Count}");
            state.Entries.Add(BuildEntry(state, line, cells, roles, i => i < row.Count ? row[i] as TableCell : null));
        }
    }

    private static readonly string[] ColumnNames = [.. Enumerable.Range(1, 32).Select(i => $"column {i}")];

    private static string ColumnName(int index) => index < ColumnNames.Length ? ColumnNames[index] : $"column {index + 1}";

    /// <summary>Cells written on the row's source line: unescaped pipes outside code spans, less the outer ones.</summary>
    private static int RawCellCount(ReadState state, TableRow row)
    {
        if (row.Line < 0 || row.Line >= state.Lines.Length) return row.Count;
        var text = state.Lines[row.Line].AsSpan().Trim();
        var separators = 0;
        var inCode = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\') { i++; continue; }
            if (c == '`') inCode = !inCode;
            else if (c == '|' && !inCode) separators++;
        }
        var cells = separators + 1;
        if (text.StartsWith('|')) cells--;
        if (text.EndsWith('|') && !text.EndsWith("\\|") && text.Length > 1) cells--;
        return Math.Max(1, cells);
    }

    private static Cell ReadCell(TableCell cell, ReadState state)
    {
        var paragraph = cell.OfType<LeafBlock>().FirstOrDefault();
        return InlineText.Read(paragraph?.Inline, state.Map(cell.Line));
    }

    private static void ReadList(ListBlock list, ReadState state)
    {
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var paragraph = item.OfType<ParagraphBlock>().FirstOrDefault();
            if (paragraph?.Inline is not null)
            {
                var cell = InlineText.Read(paragraph.Inline, state.Map(paragraph.Line));
                var links = cell.Links.Where(l => !l.Url.StartsWith('#')).ToList();
                if (links.Count > 0)
                {
                    var first = links[0];
                    // "[Title](url)": the link is the paper; its text is the title and the name.
                    var code = links.Skip(1).FirstOrDefault(l => CodeHost().IsMatch(l.Url));
                    var paper = CodeHost().IsMatch(first.Url) && links.Count > 1 ? links.FirstOrDefault(l => !CodeHost().IsMatch(l.Url)) ?? first : first;
                    if (CodeHost().IsMatch(first.Url) && paper == first) code = null;
                    CheckUrl(state, paper);
                    state.Entries.Add(new SurveyEntry
                    {
                        File = state.File,
                        Line = state.Map(paragraph.Line) + 1,
                        Category = state.Category ?? "",
                        Table = state.Table ?? "",
                        Name = paper.Text,
                        PaperTitle = paper.Text,
                        PaperUrl = paper.Url,
                        CodeUrl = code?.Url ?? "",
                        Identifier = IdentifierParser.Parse(paper.Url),
                        Cells = [new("Item", cell)],
                    });
                }
            }
            // Nested lists hold sub-items of their own.
            foreach (var nested in item.OfType<ListBlock>()) ReadList(nested, state);
        }
    }

    private static SurveyEntry BuildEntry(ReadState state, int line, List<KeyValuePair<string, Cell>> cells, TableRoles roles, Func<int, TableCell?> rawCell)
    {
        var nameCell = cells[roles.Name].Value;
        Link? paper = null;
        var paperInNameCell = false;
        if (roles.Paper is { } p && p < cells.Count)
        {
            paper = cells[p].Value.Links.FirstOrDefault();
            paperInNameCell = p == roles.Name;
        }
        if (paper is null && roles.Paper != roles.Name)
        {
            paper = nameCell.Links.FirstOrDefault(l => !CodeHost().IsMatch(l.Url));
            paperInNameCell = paper is not null;
        }
        if (paper is null)
        {
            paper = cells.Where((c, i) => i != roles.Code)
                .SelectMany(c => c.Value.Links)
                .FirstOrDefault(l => IdentifierParser.Parse(l.Url).Type is not (IdentifierType.Url or IdentifierType.None));
        }

        // No link names the paper: an identifier written as text ("doi:10.1038/…", a bare doi.org or
        // arXiv URL, "arXiv:2304.06975", "PMID: 123", "PMC123") is the row's paper.
        if (paper is null)
            paper = cells.Where((c, i) => i != roles.Code).Select(c => PlainTextIdentifiers.FirstPaper(c.Value.Text, line)).FirstOrDefault(l => l is not null);

        var name = nameCell.Text;
        if (paperInNameCell && paper is not null && paper.Text != nameCell.Text && rawCell(roles.Name) is { } raw)
        {
            // "MedBench ([DOI](...))": the link is a label on the name, not part of it.
            var paragraph = raw.OfType<LeafBlock>().FirstOrDefault();
            var bare = InlineText.Read(paragraph?.Inline, state.Map(raw.Line), skipLink: _ => true).Text;
            name = InlineText.Collapse(EmptyBrackets().Replace(bare, "")).Trim();
        }

        var title = "";
        if (paper is not null && !IsGenericLabel(paper.Text))
        {
            var cellOfPaper = paperInNameCell ? nameCell : roles.Paper is { } pc ? cells[pc].Value : null;
            if (!paperInNameCell || cellOfPaper?.Text == paper.Text) title = paper.Text;
        }

        var code = roles.Code is { } c && c < cells.Count ? cells[c].Value.Links.FirstOrDefault()?.Url : null;
        code ??= cells.Where((_, i) => i != roles.Paper && i != roles.Name)
            .SelectMany(x => x.Value.Links).FirstOrDefault(l => CodeHost().IsMatch(l.Url))?.Url;

        if (paper is not null) CheckUrl(state, paper);
        return new SurveyEntry
        {
            File = state.File,
            Line = line,
            Category = state.Category ?? "",
            Table = state.Table ?? "",
            Name = name,
            PaperTitle = title,
            PaperUrl = paper?.Url ?? "",
            CodeUrl = code ?? "",
            Identifier = paper is null ? Identifier.None : IdentifierParser.Parse(paper.Url),
            Cells = cells,
        };
    }

    private static readonly HashSet<string> GenericLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        "doi", "arxiv", "paper", "pdf", "link", "here", "nature", "science", "nih", "pmc", "pubmed", "mdpi", "mlr", "pmlr",
        "bmc", "neurips", "nips", "icml", "iclr", "cvpr", "iccv", "eccv", "acl", "emnlp", "naacl", "aaai", "ijcai", "miccai",
        "openreview", "nejm", "nejm ai", "cell", "lancet", "jama", "ieee", "acm", "springer", "elsevier", "biorxiv", "medrxiv",
        "github", "code", "website", "official site", "project", "project page", "huggingface", "blog", "preprint",
    };

    private static bool IsGenericLabel(string text) => text.Length == 0 || GenericLabels.Contains(text.Trim());

    private static void CheckUrl(ReadState state, Link link)
    {
        if (link.Url.Length == 0)
            state.Warn(link.Line, $"link '{link.Text}' has no URL");
        else if (!Uri.TryCreate(link.Url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            state.Warn(link.Line, $"link '{link.Text}' points to '{link.Url}', which is not a web URL");
    }

    private sealed record TableRoles(int Name, int? Paper, int? Code)
    {
        public static TableRoles Find(IReadOnlyList<string> headers)
        {
            int? Index(Regex pattern, int? except = null)
            {
                for (var i = 0; i < headers.Count; i++)
                    if (i != except && pattern.IsMatch(headers[i])) return i;
                return null;
            }
            var name = Index(NameHeader()) ?? 0;
            // A separate paper column wins; a name header like "Dataset (Paper)" holds the link itself.
            var paper = Index(PaperHeader(), except: name) ?? (PaperHeader().IsMatch(headers[name]) ? name : null);
            var code = Index(CodeHeader(), except: name);
            return new TableRoles(name, paper, code);
        }
    }

    /// <summary>Rejects block quotes or lists nested deeper than <see cref="MaxNesting"/>, and lines crowded with emphasis or bracket delimiters, naming the line.</summary>
    private static void CheckLine(string text, int line, string file)
    {
        var depth = 0;
        var delimiters = 0;
        var atStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (atStart)
            {
                // A quote marker, or a list marker followed by a space (a rule of dashes is no nesting).
                var next = i + 1 < text.Length ? text[i + 1] : '\n';
                if (c == '>' || (c is '-' or '+' or '*' && next is ' ' or '\t'))
                {
                    if (++depth > MaxNesting) throw new SurveyException($"{file}:{line}: nested more than {MaxNesting} levels deep");
                }
                else if (c is not (' ' or '\t')) atStart = false;
            }
            if (c is '*' or '_' or '[' or ']' or '(' or ')' or '`' or '<' or '~' && ++delimiters > MaxDelimitersPerLine)
                throw new SurveyException($"{file}:{line}: more than {MaxDelimitersPerLine} emphasis, link or code delimiters on one line");
        }
    }
}

public sealed class SurveyException(string message) : Exception(message);
