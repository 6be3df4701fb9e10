using System.Globalization;
using System.Text.Json;
using BibTool.Identifiers;
using CsvHelper;

namespace BibTool.Survey;

/// <summary>The survey's rows as a flat inventory: CSV (for spreadsheets) and JSON (for scripts).</summary>
public static class Inventory
{
    public static readonly string[] FixedColumns =
        ["category", "table", "name", "paper_title", "paper_url", "id_type", "id", "code_url", "line", "id_as_written", "arxiv_version"];

    public static string[] Fields(SurveyEntry e) =>
    [
        e.Category, e.Table, e.Name, e.PaperTitle, e.PaperUrl, e.Identifier.TypeName, e.Identifier.Value, e.CodeUrl,
        e.Line.ToString(CultureInfo.InvariantCulture), e.Identifier.Display, e.Identifier.Version ?? "",
    ];

    /// <summary>What the store says of a row's work: the source that answered, how the identifier led there, the search score.</summary>
    public static readonly string[] ResolvedColumns = ["source", "matched_by", "score"];

    public static string[] Resolved(SurveyEntry e, Func<Identifier, Model.Work?>? works)
    {
        var work = works is null || e.Identifier.Type == IdentifierType.None ? null : works(e.Identifier);
        return work is null ? ["", "", ""] : [work.Provenance.Source, work.Provenance.MatchedBy ?? "", work.Provenance.Score?.ToString("0.000", CultureInfo.InvariantCulture) ?? ""];
    }

    /// <summary>Every survey column header, in first-seen order, so no cell is lost in the CSV.</summary>
    public static List<string> SurveyColumns(IEnumerable<SurveyEntry> entries) =>
        entries.SelectMany(e => e.Cells.Select(c => c.Key)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Writes the rows as CSV: the fixed and resolved columns, then <paramref name="columns"/> (every survey column the rows have, see <see cref="SurveyColumns"/>).</summary>
    public static void WriteCsv(IEnumerable<SurveyEntry> entries, IReadOnlyList<string> columns, TextWriter output, Func<Identifier, Model.Work?>? works = null)
    {
        var extra = columns;
        using var csv = CsvWriter.Create(output, CsvOptions, true);
        foreach (var column in FixedColumns) csv.WriteField(column);
        foreach (var column in ResolvedColumns) csv.WriteField(column);
        foreach (var column in extra) csv.WriteField(column);
        csv.EndRecord();
        foreach (var entry in entries)
        {
            foreach (var field in Fields(entry)) csv.WriteField(field);
            foreach (var field in Resolved(entry, works)) csv.WriteField(field);
            foreach (var column in extra) csv.WriteField(entry.Cells.FirstOrDefault(c => string.Equals(c.Key, column, StringComparison.OrdinalIgnoreCase)).Value is { IsNone: false } cell ? cell.Text : "");
            csv.EndRecord();
        }
    }

    /// <summary>RFC 4180 with LF line ends; cells starting with = + - @ are neutralised so a spreadsheet never runs them.</summary>
    public static CsvWriterOptions CsvOptions { get; } = new() { Injection = CsvInjection.Escape, NewLine = "\n" };

    /// <summary>Indented, with non-ASCII text as it is (titles and names stay readable).</summary>
    public static JsonWriterOptions JsonOptions { get; } = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteJson(IEnumerable<SurveyEntry> entries, Stream output, Func<Identifier, Model.Work?>? works = null)
    {
        using var json = new Utf8JsonWriter(output, JsonOptions);
        json.WriteStartArray();
        foreach (var entry in entries)
        {
            json.WriteStartObject();
            var fields = Fields(entry);
            for (var i = 0; i < FixedColumns.Length; i++)
            {
                if (FixedColumns[i] == "line") json.WriteNumber("line", entry.Line);
                else json.WriteString(FixedColumns[i], fields[i]);
            }
            var resolved = Resolved(entry, works);
            for (var i = 0; i < ResolvedColumns.Length; i++) json.WriteString(ResolvedColumns[i], resolved[i]);
            json.WriteStartObject("cells");
            foreach (var (header, cell) in entry.Cells) json.WriteString(header, cell.Text);
            json.WriteEndObject();
            json.WriteEndObject();
            // The writer holds what it has not flushed: hand it on in pieces.
            if (json.BytesPending > 1 << 16) json.Flush();
        }
        json.WriteEndArray();
    }
}

/// <summary>The inventory's summary, counted as the rows go by (a streamed list never holds them).</summary>
public sealed class InventorySummary
{
    private readonly HashSet<Identifier> _works = [];
    private readonly Dictionary<string, int> _byType = new(StringComparer.Ordinal);
    private int _rows, _without;

    public void Add(SurveyEntry entry)
    {
        _rows++;
        if (entry.Identifier.Type == IdentifierType.None) _without++;
        else if (_works.Add(entry.Identifier)) _byType[entry.Identifier.TypeName] = _byType.GetValueOrDefault(entry.Identifier.TypeName) + 1;
    }

    /// <summary>Passes the rows on, counting each.</summary>
    public IEnumerable<SurveyEntry> Counting(IEnumerable<SurveyEntry> entries)
    {
        foreach (var entry in entries)
        {
            Add(entry);
            yield return entry;
        }
    }

    public override string ToString()
    {
        var counts = _byType.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}").ToList();
        if (_without > 0) counts.Add($"no paper {_without}");
        return $"{_rows} rows, {_works.Count} distinct works ({string.Join(", ", counts)})";
    }
}
