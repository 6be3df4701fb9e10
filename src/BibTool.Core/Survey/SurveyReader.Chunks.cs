using System.Text.RegularExpressions;
using Markdig;

namespace BibTool.Survey;

/// <summary>The chunker: where a long survey is cut so each piece parses as it would in the whole, and the threads (with the parser's large stack) that parse the pieces in order.</summary>
public static partial class SurveyReader
{
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
    private static IEnumerable<ReadState> ParseInOrder(IEnumerable<Chunk> chunks, string file, int workers)
    {
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
}
