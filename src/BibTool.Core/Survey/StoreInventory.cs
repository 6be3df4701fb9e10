using System.Globalization;
using System.Text.Json;
using BibTool.Export;
using BibTool.Keys;
using BibTool.Model;
using BibTool.Store;

namespace BibTool.Survey;

/// <summary>
/// <c>list --all</c>: every work of the store as one row, read offline in the store's order, keyed
/// as an export would key it (no key is pinned by listing), and the rows as CSV or JSON.
/// </summary>
public static class StoreInventory
{
    public static readonly string[] Columns = ["key", "id", "type", "year", "title", "first_author", "venue", "source"];

    /// <summary>The store's works that <paramref name="keep"/> keeps, one row each, in <see cref="Columns"/> order.</summary>
    public static IEnumerable<string[]> Rows(MetadataStore store, KeyPins pins, Func<Work, bool> keep) =>
        StoreExport.Items(store, pins, null, keep).Select(Row);

    private static string[] Row(ExportItem item)
    {
        var w = item.Work;
        return [item.Key, w.Id, FormatTable.Kind(w), w.Year?.ToString(CultureInfo.InvariantCulture) ?? "", w.Title?.Plain ?? "",
            w.Authors.FirstOrDefault() is { } a ? Fields.PersonName(a) : "", Fields.Venue(w) ?? "", w.Provenance.Source];
    }

    public static void WriteCsv(IEnumerable<string[]> rows, TextWriter output)
    {
        using var csv = CsvHelper.CsvWriter.Create(output, Inventory.CsvOptions, true);
        foreach (var column in Columns) csv.WriteField(column);
        csv.EndRecord();
        foreach (var row in rows)
        {
            foreach (var value in row) csv.WriteField(Text.Scrub.OneLine(value));
            csv.EndRecord();
        }
    }

    public static void WriteJson(IEnumerable<string[]> rows, Stream output)
    {
        using var json = new Utf8JsonWriter(output, Inventory.JsonOptions);
        json.WriteStartArray();
        foreach (var row in rows)
        {
            json.WriteStartObject();
            for (var i = 0; i < Columns.Length; i++) json.WriteString(Columns[i], row[i]);
            json.WriteEndObject();
            // The writer holds what it has not flushed: hand it on in pieces.
            if (json.BytesPending > 1 << 16) json.Flush();
        }
        json.WriteEndArray();
    }
}
