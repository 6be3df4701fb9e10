using System.Globalization;
using BibTool.Model;

namespace BibTool.Export;

/// <summary>
/// Classic BibTeX, read by bibtex with the standard styles: ASCII only (LaTeX accents), month
/// macros, "--" page ranges. The entry type comes from <see cref="FormatTable"/> and is kept only
/// when the fields its standard style requires are there; otherwise the work is a @misc, whose
/// howpublished says where it is (venue, repository, arXiv id, or link), so plain.bst prints it.
/// Fields Zotero's importer reads beyond the standard ones (eprinttype, shortjournal, pmid,
/// abstract, language) are added; bibtex ignores them.
/// </summary>
public sealed class BibTexWriter : IBibliographyWriter
{
    public string Name => "bibtex";
    public bool ItemsStandAlone => true;
    public string Extension => "bib";

    public void Write(ExportItem item, TextWriter output)
    {
        var w = item.Work;
        var hasAuthors = w.Authors.Count > 0;
        var type = EntryType(w);
        var entry = BibEntry.Start(type, item.Key);
        void Field(string name, string? value, bool raw = false) => entry.Add(name, value, raw);
        string Text(string? value) => value is null ? "" : Latex.Escape(value, ascii: true);
        // The field table's rows for this entry type, each through Field (verbatim values made inert by BibEntry).
        void Rows(IReadOnlyList<FieldRow> rows) => FieldTable.Write(rows, Name, type, f => Field(f.Name, f.BibValue(w, ascii: true), raw: f.Kind == FieldKind.Verbatim));

        if (hasAuthors) Field("author", Latex.Names(w.Authors, true));
        // plain.bst prints an article's editors nowhere, but Zotero keeps them.
        if (w.Editors.Count > 0 && (type is "incollection" or "inproceedings" or "article" || (type == "book" && !hasAuthors))) Field("editor", Latex.Names(w.Editors, true));
        Rows(FieldTable.Titles);
        switch (type)
        {
            case "article":
                Field("journal", Text(w.ContainerTitle));
                Field("shortjournal", Text(w.ContainerTitleShort));
                break;
            case "inproceedings":
            case "incollection":
                Field("booktitle", Text(w.ContainerTitle ?? w.EventTitle));
                // bibtex ignores eventtitle; Zotero reads it as the conference's name.
                if (type == "inproceedings" && w.ContainerTitle is not null) Field("eventtitle", Text(w.EventTitle));
                break;
            case "book":
                Field("series", Text(w.CollectionTitle));
                break;
            case "phdthesis":
                Field("school", Text(w.Publisher));
                break;
            case "techreport":
                Field("institution", Text(w.Publisher));
                break;
            case "misc":
                Field("howpublished", Text(HowPublished(w)));
                break;
        }
        if (w.Issued is { } date)
        {
            Field("year", date.Year.ToString(CultureInfo.InvariantCulture));
            if (date.Month is { } month) Field("month", Latex.MonthMacros[month - 1], raw: true);
            // The whole date as well, for importers (Zotero reads date, bibtex ignores it).
            if (date.Month is not null) Field("date", Fields.IsoDate(date), raw: true);
        }
        Rows(FieldTable.Numbering);
        Rows(FieldTable.Publication);
        if (w.Eprint is { } eprint)
        {
            Field("eprint", eprint.Id, raw: true);
            Field("archivePrefix", eprint.ServerName, raw: true);
            if (!eprint.Id.Contains('/')) Field("primaryClass", eprint.Class, raw: true);
            // Zotero's BibTeX import reads the id only from eprinttype + eprint (biblatex's names).
            Field("eprinttype", eprint.Server, raw: true);
        }
        Rows(FieldTable.Identifiers);
        Rows(FieldTable.Language);
        Rows(FieldTable.Keywords);
        Rows(FieldTable.Abstract);
        // plain.bst prints an @unpublished by its note: a peer review says what it is and where.
        Field("note", Text(Notes.For(w) ?? (type == "unpublished" ? UnpublishedNote(w) : null)));
        // Without an author the standard styles sort and label by "key".
        if (!hasAuthors && w.Editors.Count == 0) Field("key", Text(SortKey(item)));

        entry.WriteTo(output);
    }

    /// <summary>What plain.bst prints after a @misc's title: the venue and the preprint id, or at least the link.</summary>
    private static string? HowPublished(Work w)
    {
        var parts = new List<string>();
        if (Fields.Venue(w) is { Length: > 0 } venue && (w.Eprint is null || !venue.Equals(w.Eprint.ServerName, StringComparison.OrdinalIgnoreCase))) parts.Add(venue);
        if (w.Eprint is { } eprint) parts.Add(Fields.EprintLabel(eprint));
        // With nothing else to go by (no venue, or no title to say what the work is), the link.
        if ((parts.Count == 0 || w.Title is null) && (w.Doi is not null || w.Url is not null)) parts.Add(w.Doi is not null ? "doi:" + w.Doi : w.Url!);
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static string? UnpublishedNote(Work w) =>
        w.Type == "review" ? "Peer review" + (w.Publisher is { Length: > 0 } publisher ? $", {publisher}" : "") : w.Publisher;

    private static string SortKey(ExportItem item) =>
        item.Work.Title?.Plain is { Length: > 0 } title ? string.Join(' ', title.Split(' ').Take(3)) : item.Rows.FirstOrDefault()?.Name ?? item.Key;

    /// <summary>The BibTeX entry type from the type table, downgraded to @misc when the style's required fields are missing.</summary>
    public static string EntryType(Work w)
    {
        var type = FormatTable.For(w).BibTex;
        if (w.Title is null) return "misc";
        bool Has(string field) => field switch
        {
            "author" => w.Authors.Count > 0,
            "editor" => w.Editors.Count > 0,
            "title" => true,
            "year" => w.Issued is not null,
            "journal" => w.ContainerTitle is not null,
            "booktitle" => (w.ContainerTitle ?? (type == "inproceedings" ? w.EventTitle : null)) is not null,
            "publisher" or "school" or "institution" => w.Publisher is not null,
            "note" => Notes.For(w) is not null,
            _ => false,
        };
        foreach (var alternatives in RequiredAlternatives[type])
            if (!alternatives.Any(Has)) return "misc";
        return type;
    }

    // The required fields' alternatives ("author|editor"), split once.
    private static readonly Dictionary<string, string[][]> RequiredAlternatives =
        FormatTable.BibTexRequired.ToDictionary(p => p.Key, p => p.Value.Select(required => required.Split('|')).ToArray());
}

/// <summary>The note a record carries: unresolved, retracted, published version, journal reference.</summary>
public static class Notes
{
    public static string? For(Work w)
    {
        if (string.IsNullOrEmpty(w.Note) && w.Provenance.IsResolved && string.IsNullOrEmpty(w.JournalReference) && string.IsNullOrEmpty(w.PublishedDoi)) return null;
        var parts = new List<string>();
        if (w.Note is { Length: > 0 } note) parts.Add(note);
        if (!w.Provenance.IsResolved) parts.Add("Metadata not resolved: from the survey only");
        if (w.JournalReference is { Length: > 0 } reference) parts.Add("Published as: " + reference);
        else if (w.PublishedDoi is { Length: > 0 } published) parts.Add("Published version: doi:" + published);
        return parts.Count == 0 ? null : string.Join(". ", parts);
    }
}
