using System.Globalization;
using BibTool.Survey;
using CsvHelper;

namespace BibTool.Export;

/// <summary>
/// The inventory with resolved fields, one line per work, for spreadsheets. Cells starting with
/// = + - @ are neutralised (CsvHelper's injection escaping) so a spreadsheet never runs them.
/// </summary>
public sealed class CsvWorkWriter : IBibliographyWriter
{
    public string Name => "csv";
    public string Extension => "csv";

    public static readonly string[] Columns =
    [
        "key", "type", "title", "authors", "year", "venue", "volume", "issue", "pages", "publisher", "doi", "url", "arxiv",
        "resolved", "note", "names", "category", "table", "id_type", "id", "paper_url", "code_url", "lines",
    ];

    private CsvWriter? _csv;

    public void Begin(TextWriter output)
    {
        _csv = CsvWriter.Create(output, Inventory.CsvOptions, true);
        foreach (var column in Columns) _csv.WriteField(column);
        _csv.EndRecord();
    }

    public void Write(ExportItem item, TextWriter output)
    {
        var csv = _csv ?? throw new InvalidOperationException("Begin was not called");
        var w = item.Work;
        var first = item.Rows.FirstOrDefault();
        string[] values =
        [
            item.Key,
            FormatTable.For(w).Csl,
            w.Title?.Plain ?? "",
            string.Join("; ", w.Authors.Select(Fields.PersonName)),
            w.Year?.ToString(CultureInfo.InvariantCulture) ?? "",
            Fields.Venue(w) ?? "",
            w.Volume ?? "", w.Issue ?? "", w.Page ?? w.ArticleNumber ?? "", w.Publisher ?? "",
            w.Doi ?? "", w.Url ?? "", w.Eprint is { Server: "arxiv" } arxiv ? arxiv.Id : "",
            w.Provenance.IsResolved ? "true" : "false",
            Notes.For(w) ?? "",
            string.Join("; ", item.Rows.Select(r => r.Name).Distinct()),
            first?.Category ?? "", first?.Table ?? "", first?.Identifier.TypeName ?? "", first?.Identifier.Value ?? "",
            first?.PaperUrl ?? "", first?.CodeUrl ?? "",
            string.Join(" ", item.Rows.Select(r => r.Line.ToString(CultureInfo.InvariantCulture))),
        ];
        foreach (var value in values) csv.WriteField(BibTool.Text.Scrub.OneLine(value));
        csv.EndRecord();
    }

    public void End(TextWriter output)
    {
        _csv!.Flush();
        _csv.Dispose();
        _csv = null;
    }
}
