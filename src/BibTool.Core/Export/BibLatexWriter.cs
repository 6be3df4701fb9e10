using System.Globalization;
using BibTool.Model;

namespace BibTool.Export;

/// <summary>
/// BibLaTeX for biber: UTF-8 kept, ISO dates, journaltitle/booktitle/eventtitle, eid for article
/// numbers, eprinttype/eprint/eprintclass for preprints. Types come from <see cref="FormatTable"/>:
/// preprints and datasets are @misc (Zotero drops @dataset entries and makes @online a web page),
/// a dataset saying so in its type field.
/// </summary>
public sealed class BibLatexWriter : IBibliographyWriter
{
    public string Name => "biblatex";
    public bool ItemsStandAlone => true;
    public string Extension => "bib";

    public void Write(ExportItem item, TextWriter output)
    {
        var w = item.Work;
        var type = EntryType(w);
        var entry = BibEntry.Start(type, item.Key);
        void Field(string name, string? value, bool raw = false) => entry.Add(name, value, raw);
        string Text(string? value) => value is null ? "" : Latex.Escape(value, ascii: false);
        // The field table's rows for this entry type, each through Field (verbatim values made inert by BibEntry).
        void Rows(IReadOnlyList<FieldRow> rows) => FieldTable.Write(rows, Name, type, f => Field(f.Name, f.BibValue(w, ascii: false), raw: f.Kind == FieldKind.Verbatim));
        // institution, like publisher and location, is a list in biblatex.
        string List(string? value) => value is null ? "" : FieldTable.BibLatexList(value, ascii: false);

        // biblatex (and biber) find an entry by any of its ids: documents citing a provisional key still compile.
        if (item.Aliases.Count > 0) Field("ids", string.Join(", ", item.Aliases), raw: true);
        if (w.Authors.Count > 0) Field("author", Latex.Names(w.Authors, false));
        if (w.Editors.Count > 0) Field("editor", Latex.Names(w.Editors, false));
        Rows(FieldTable.Titles);
        switch (type)
        {
            case "article":
                Field("journaltitle", Text(w.ContainerTitle));
                Field("shortjournal", Text(w.ContainerTitleShort));
                break;
            case "inproceedings":
            case "incollection":
            case "inbook":
                Field("booktitle", Text(w.ContainerTitle));
                Field("eventtitle", Text(w.EventTitle));
                break;
            case "book":
                Field("series", Text(w.CollectionTitle));
                break;
            case "thesis":
                Field("type", "phdthesis");
                Field("institution", List(w.Publisher));
                break;
            case "report":
                Field("type", w.Type == "standard" ? "Standard" : "techreport");
                Field("institution", List(w.Publisher));
                break;
            case "misc" when w.Type == "dataset" && !w.IsPreprint:
                Field("type", "Dataset");
                break;
        }
        if (w.Issued is { } d) Field("date", Fields.IsoDate(d), raw: true);
        // An article number is biblatex's eid; Zotero reads only pages, so it goes there too when there are none.
        Rows(FieldTable.Numbering);
        Rows(FieldTable.Publication);
        if (w.Eprint is { } eprint)
        {
            Field("eprinttype", eprint.Server, raw: true);
            Field("eprint", eprint.Id, raw: true);
            // An old-style id ("astro-ph/0601001") names its class already.
            if (!eprint.Id.Contains('/')) Field("eprintclass", eprint.Class, raw: true);
        }
        if (w.IsPreprint) Field("pubstate", "prepublished");
        Rows(FieldTable.Identifiers);
        Rows(FieldTable.Language);
        Rows(FieldTable.Keywords);
        Field("note", Text(Notes.For(w)));
        Rows(FieldTable.Abstract);

        // biblatex's data model says which fields each type may carry; biber warns about the rest.
        entry.RemoveWhere(name => !Allows(type, name));
        entry.WriteTo(output);
    }

    public static bool Allows(string type, string field) => FormatTable.BibLatexAllows(type, field);

    public static string EntryType(Work w)
    {
        var type = FormatTable.For(w).BibLatex;
        return type switch
        {
            "article" or "inproceedings" when w.ContainerTitle is null => "misc",
            // A journal issue has no author, which biblatex's @article requires (and @periodical an editor).
            "article" when w.Authors.Count == 0 && FormatTable.Kind(w) == "journal-issue" => "misc",
            // biblatex's incollection requires an editor; a chapter without one is an inbook.
            "incollection" => w.ContainerTitle is null ? "misc" : w.Editors.Count > 0 ? "incollection" : "inbook",
            _ => type,
        };
    }

}
