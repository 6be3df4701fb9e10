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

    public static void WriteAll(IBibliographyWriter writer, IEnumerable<ExportItem> items, TextWriter output)
    {
        writer.Begin(output);
        foreach (var item in items) writer.Write(item, output);
        writer.End(output);
    }
}
