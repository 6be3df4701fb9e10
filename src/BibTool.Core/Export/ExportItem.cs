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
            // Each batch is cut into a few runs of items; each run is formatted into its own text,
            // and the texts are written in the items' order (the same bytes as one by one).
            var runs = Math.Max(1, Environment.ProcessorCount * 2);
            foreach (var batch in items.Chunk(Batch))
            {
                if (batch.Length < Batch)
                {
                    foreach (var item in batch) writer.Write(item, output);
                    continue;
                }
                var texts = new string[runs];
                try
                {
                    Parallel.For(0, runs, run =>
                    {
                        var text = new StringWriter(new System.Text.StringBuilder(batch.Length / runs * 512));
                        for (var i = run * batch.Length / runs; i < (run + 1) * batch.Length / runs; i++) writer.Write(batch[i], text);
                        texts[run] = text.ToString();
                    });
                }
                catch (AggregateException e) when (e.InnerExceptions.Count == 1)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
                }
                foreach (var text in texts) output.Write(text);
            }
        }
        writer.End(output);
    }
}
