using System.Text.RegularExpressions;
using BibTool.Identifiers;
using Markdig;

namespace BibTool.Survey;

/// <summary>
/// Reads a Markdown "awesome list" into entries: every pipe-table row, and every bullet-list item
/// that links somewhere, with its section, table and cells. Roles (name, paper, code) are found by
/// header name and link shape, never by column position.
/// </summary>
public static partial class SurveyReader
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

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

    /// <summary>Surveys longer than this many lines are parsed in one piece per core (see <see cref="Entries"/>).</summary>
    public const int SplitAbove = 200;

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
        // A very short survey, or one whose link references may be used before they are defined, is one
        // chunk parsed on one thread. Up to ChunkAbove lines, a piece per core: the example survey's
        // 250 lines parse in about 2 ms instead of 4 on two cores (native build; a worker costs a thread
        // start, about 0.1 ms, where the JIT build paid for compiling each thread's first calls too).
        // A piece is at least SplitAbove / 2 lines: a thread is not worth starting for less, whatever the cores.
        var pieces = count <= chunkAbove ? Math.Clamp(count / (SplitAbove / 2), 1, Environment.ProcessorCount) : Environment.ProcessorCount;
        IEnumerable<ReadState> states = references || count <= SplitAbove || pieces == 1 ? [ParseAlone(new Chunk(0, [.. Lines(open)], 0), file)]
            : ParseInOrder(Chunks(Lines(open), count <= chunkAbove ? count / pieces + 1 : chunkLines), file, workers: pieces);
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
}

