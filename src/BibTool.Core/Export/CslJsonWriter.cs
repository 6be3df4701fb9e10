using System.Text.Encodings.Web;
using System.Text.Json;
using BibTool.Model;

namespace BibTool.Export;

/// <summary>
/// CSL-JSON valid against the official schema, read by citeproc and by Zotero's CSL import:
/// types from <see cref="FormatTable"/> (all in Zotero's CSL mapping, which rejects a whole file
/// for one unknown type; only preprints are "article"), family names with their particle
/// ("van der Berg": Zotero drops non-dropping-particle), every ISSN, journalAbbreviation beside
/// container-title-short, an article number also as page (Zotero has no number on a journal
/// article), and "DOI: …" in note for types whose Zotero item has no DOI field. Written item by
/// item with a Utf8JsonWriter, so a large export never builds one big string.
/// </summary>
public sealed class CslJsonWriter : IBibliographyWriter
{
    public string Name => "csljson";
    public string Extension => "json";

    /// <summary>Zotero item types without a DOI field: their DOI travels in note, which Zotero keeps as Extra.</summary>
    private static readonly HashSet<string> ZoteroWithoutDoi = ["book", "bookSection", "thesis", "report", "webpage", "blogPost", "computerProgram", "manuscript", "document"];

    private Stream? _stream;
    private Utf8JsonWriter? _json;
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Begin(TextWriter output)
    {
        _stream = new BibTool.Text.TextWriterStream(output);
        _json = new Utf8JsonWriter(_stream, Options);
        _json.WriteStartArray();
    }

    public void Write(ExportItem item, TextWriter output)
    {
        var json = _json ?? throw new InvalidOperationException("Begin was not called");
        var w = item.Work;
        json.WriteStartObject();
        json.WriteString("id", item.Key);
        json.WriteString("citation-key", item.Key);
        var types = FormatTable.For(w);
        void Rows(IReadOnlyList<FieldRow> rows) => FieldTable.Write(rows, Name, types.Csl, f => String(json, f.Name, f.Value(w)));
        json.WriteString("type", types.Csl);
        FieldTable.Write(FieldTable.Titles, Name, types.Csl, f => { if (f.Value(w) is { } title) json.WriteString(f.Name, title); });
        Names(json, "author", w.Authors);
        Names(json, "editor", w.Editors);
        if (w.Issued is { } d)
        {
            json.WriteStartObject("issued");
            json.WriteStartArray("date-parts");
            json.WriteStartArray();
            json.WriteNumberValue(d.Year);
            if (d.Month is { } m) json.WriteNumberValue(m);
            if (d.Month is not null && d.Day is { } day) json.WriteNumberValue(day);
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        String(json, "container-title", w.ContainerTitle);
        String(json, "container-title-short", w.ContainerTitleShort);
        String(json, "journalAbbreviation", w.ContainerTitleShort);
        String(json, "collection-title", w.CollectionTitle);
        String(json, "event-title", w.EventTitle);
        Rows(FieldTable.Numbering);
        // Zotero reads a preprint's number as its archive id, prefix included ("arXiv:2401.02458").
        String(json, "number", w.Eprint is { } eprint ? $"{eprint.ServerName}:{eprint.Id}" : w.ArticleNumber);
        if (w.Eprint is { } archived) String(json, "archive", archived.ServerName);
        Rows(FieldTable.Publication);
        String(json, "genre", w.Genre);
        Rows(FieldTable.Identifiers);
        Rows(FieldTable.Language);
        Rows(FieldTable.Keywords);
        Rows(FieldTable.Abstract);
        var note = Notes.For(w);
        if (w.Doi is not null && ZoteroWithoutDoi.Contains(types.ZoteroFromCsl)) note = note is null ? $"DOI: {w.Doi}" : $"{note}\nDOI: {w.Doi}";
        String(json, "note", note);
        // The row's PubMed ids when the record carries none (each key once: a JSON object has no repeated names).
        foreach (var row in item.Rows.Take(1))
        {
            if (row.Identifier.Type == Identifiers.IdentifierType.Pmid && string.IsNullOrWhiteSpace(w.Ids.GetValueOrDefault("pmid"))) json.WriteString("PMID", row.Identifier.Value);
            if (row.Identifier.Type == Identifiers.IdentifierType.Pmcid && string.IsNullOrWhiteSpace(w.Ids.GetValueOrDefault("pmcid"))) json.WriteString("PMCID", row.Identifier.Value);
        }
        json.WriteEndObject();
        if (json.BytesPending > 1 << 16) json.Flush();
    }

    public void End(TextWriter output)
    {
        _json!.WriteEndArray();
        _json.Flush();
        _json.Dispose();
        output.Write('\n');
    }

    private static void String(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)) json.WriteString(name, value.Trim());
    }

    private static void Names(Utf8JsonWriter json, string role, List<Name> names)
    {
        if (names.Count == 0) return;
        json.WriteStartArray(role);
        foreach (var name in names)
        {
            json.WriteStartObject();
            if (name.IsLiteral) json.WriteString("literal", name.Literal);
            else
            {
                String(json, "family", Fields.FamilyWithParticle(name));
                String(json, "given", name.Given);
                String(json, "suffix", name.Suffix);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
