using BibTool.Model;
using BibTool.Survey;

namespace BibTool.Export;

/// <summary>One record to write: the work, its citation key, and the survey rows that cite it.</summary>
public sealed record ExportItem(Work Work, string Key, IReadOnlyList<SurveyEntry> Rows)
{
    /// <summary>Keys the work had before (provisional ones, from before it resolved): still cite-able where the format allows.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}

/// <summary>A bibliography format. Writers see only the normalized work, never its source.</summary>
public interface IBibliographyWriter
{
    string Name { get; }
    string Extension { get; }
    void Begin(TextWriter output) { }
    void Write(ExportItem item, TextWriter output);
    void End(TextWriter output) { }

    /// <summary>
    /// True when an item's text depends on that item alone (the writer keeps no state between
    /// items), so that a large export can format items on every core and write them in order.
    /// </summary>
    bool ItemsStandAlone => false;
}

public static class Writers
{
    public static readonly string[] Formats = ["bibtex", "biblatex", "ris", "csljson", "csv"];

    public static IBibliographyWriter For(string format) => format.ToLowerInvariant() switch
    {
        "bibtex" or "bib" => new BibTexWriter(),
        "biblatex" => new BibLatexWriter(),
        "ris" => new RisWriter(),
        "csljson" or "csl-json" or "json" => new CslJsonWriter(),
        "csv" => new CsvWorkWriter(),
        _ => throw new ArgumentException($"unknown format '{format}' (bibtex, biblatex, ris, csljson or csv)"),
    };

    /// <summary>Items formatted together (on all cores, for writers whose items stand alone), then written in order.</summary>
    private const int Batch = 256;

    public static void WriteAll(IBibliographyWriter writer, IEnumerable<ExportItem> items, TextWriter output)
    {
        writer.Begin(output);
        if (!writer.ItemsStandAlone)
            foreach (var item in items) writer.Write(item, output);
        else
        {
            // Each batch is cut into a few runs of items, formatted on the thread pool (each run into
            // its own text) while the batch before is written out; texts are written in the items'
            // order, so the bytes are those of writing one by one.
            var runs = Math.Max(1, Environment.ProcessorCount * 2);
            // Two sets of texts, kept from batch to batch and written chunk by chunk (never copied into a string).
            var sets = new[] { NewTexts(runs), NewTexts(runs) };
            Task? pending = null;
            var pendingTexts = sets[0];
            var next = 0;
            foreach (var batch in items.Chunk(Batch))
            {
                if (batch.Length < Batch)
                {
                    // The last batch (or a small export's only one): written here, one by one.
                    if (pending is not null) WriteOut(pending, pendingTexts, output);
                    pending = null;
                    foreach (var item in batch) writer.Write(item, output);
                    continue;
                }
                var texts = sets[next];
                next = 1 - next;
                var formatting = Task.Run(() => Parallel.For(0, runs, run =>
                {
                    texts[run].Clear();
                    using var text = new StringWriter(texts[run]);
                    for (var i = run * batch.Length / runs; i < (run + 1) * batch.Length / runs; i++) writer.Write(batch[i], text);
                }));
                if (pending is not null) WriteOut(pending, pendingTexts, output);
                (pending, pendingTexts) = (formatting, texts);
            }
            if (pending is not null) WriteOut(pending, pendingTexts, output);
        }
        writer.End(output);
    }

    private static System.Text.StringBuilder[] NewTexts(int runs) =>
        Enumerable.Range(0, runs).Select(_ => new System.Text.StringBuilder(Batch / runs * 512)).ToArray();

    private static void WriteOut(Task formatted, System.Text.StringBuilder[] texts, TextWriter output)
    {
        try { formatted.GetAwaiter().GetResult(); }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        foreach (var text in texts) output.Write(text);
    }
}
