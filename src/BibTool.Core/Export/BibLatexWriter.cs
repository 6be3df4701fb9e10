using System.Globalization;
using BibTool.Model;

namespace BibTool.Export;

/// <summary>
/// BibLaTeX for biber: UTF-8 kept, ISO dates, @online with eprinttype/eprint/eprintclass for
/// preprints, @dataset where it fits, journaltitle/booktitle/eventtitle, eid for article numbers.
/// </summary>
public sealed class BibLatexWriter : IBibliographyWriter
{
    public string Name => "biblatex";
    public string Extension => "bib";

    public void Write(ExportItem item, TextWriter output)
    {
        var w = item.Work;
        var type = EntryType(w);
        var entry = new BibEntry(type, item.Key);
        void Field(string name, string? value, bool raw = false) => entry.Add(name, value, raw);
        string Text(string? value) => value is null ? "" : Latex.Escape(value, ascii: false);

        // biblatex (and biber) find an entry by any of its ids: documents citing a provisional key still compile.
        if (item.Aliases.Count > 0) Field("ids", string.Join(", ", item.Aliases), raw: true);
        if (w.Authors.Count > 0) Field("author", Latex.Names(w.Authors, false));
        if (w.Editors.Count > 0) Field("editor", Latex.Names(w.Editors, false));
        if (w.Title is not null) Field("title", Latex.Title(w.Title, false));
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
                Field("institution", Text(w.Publisher));
                break;
            case "report":
                Field("type", "techreport");
                Field("institution", Text(w.Publisher));
                break;
        }
        if (w.Issued is { } d)
            Field("date", d.Month is null ? $"{d.Year:D4}" : d.Day is null ? $"{d.Year:D4}-{d.Month:D2}" : $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}", raw: true);
        Field("volume", Text(w.Volume));
        Field("number", Text(w.Issue));
        if (w.Page is not null) Field("pages", Latex.Pages(Text(w.Page)));
        Field("eid", Text(w.ArticleNumber));
        if (type is not ("thesis" or "report")) Field(Allows(type, "publisher") ? "publisher" : "organization", Text(w.Publisher));
        Field("location", Text(w.PublisherPlace));
        if (w.Eprint is { } eprint)
        {
            Field("eprinttype", eprint.Server, raw: true);
            Field("eprint", eprint.Id, raw: true);
            Field("eprintclass", eprint.Class, raw: true);
        }
        if (w.IsPreprint) Field("pubstate", "prepublished");
        Field("doi", w.Doi, raw: true);
        Field("url", w.Url, raw: true);
        if (w.Issn.Count > 0) Field("issn", w.Issn[0], raw: true);
        if (w.Isbn.Count > 0) Field("isbn", w.Isbn[0], raw: true);
        Field("langid", LanguageId(w.Language));
        if (w.Keywords.Count > 0) Field("keywords", Text(string.Join(", ", w.Keywords)));
        Field("note", Text(Notes.For(w)));
        if (w.Abstract is not null) Field("abstract", Text(w.Abstract.Plain));

        // biblatex's data model says which fields each type may carry; biber warns about the rest.
        entry.RemoveWhere(name => !Allows(type, name));
        entry.WriteTo(output);
    }

    private static readonly HashSet<string> Everywhere =
    [
        "abstract", "date", "doi", "eprint", "eprintclass", "eprinttype", "keywords", "langid", "url", "note", "title", "author", "pubstate", "shortjournal", "ids",
    ];

    // From biblatex's default data model (entryfields per type), for the types written here.
    private static readonly Dictionary<string, HashSet<string>> TypeFields = new()
    {
        ["article"] = ["editor", "eid", "issn", "journaltitle", "number", "pages", "series", "volume"],
        ["book"] = ["editor", "isbn", "location", "number", "pages", "publisher", "series", "volume"],
        ["incollection"] = ["booktitle", "editor", "eid", "isbn", "location", "number", "pages", "publisher", "series", "volume"],
        ["inbook"] = ["booktitle", "editor", "eid", "isbn", "location", "number", "pages", "publisher", "series", "volume"],
        ["inproceedings"] = ["booktitle", "editor", "eid", "eventtitle", "isbn", "location", "number", "organization", "pages", "publisher", "series", "volume"],
        ["dataset"] = ["editor", "location", "number", "organization", "publisher", "series", "type", "version"],
        ["misc"] = ["editor", "howpublished", "location", "organization", "type", "version"],
        ["software"] = ["editor", "howpublished", "location", "organization", "type", "version"],
        ["online"] = ["editor", "organization", "version"],
        ["report"] = ["eid", "institution", "location", "number", "pages", "type", "version"],
        ["thesis"] = ["eid", "institution", "location", "pages", "type"],
    };

    public static bool Allows(string type, string field) =>
        Everywhere.Contains(field) || (TypeFields.TryGetValue(type, out var fields) && fields.Contains(field));

    public static string EntryType(Work w) => w.Type switch
    {
        _ when w.IsPreprint => "online",
        "article-journal" or "article-magazine" or "article-newspaper" => w.ContainerTitle is null ? "misc" : "article",
        "paper-conference" => w.ContainerTitle is null ? "misc" : "inproceedings",
        // biblatex's incollection requires an editor; a chapter without one is an inbook.
        "chapter" => w.ContainerTitle is null ? "misc" : w.Editors.Count > 0 ? "incollection" : "inbook",
        "book" => "book",
        "thesis" => "thesis",
        "report" => "report",
        "dataset" => "dataset",
        "software" => "software",
        "webpage" => "online",
        _ => "misc",
    };

    private static string? LanguageId(string? language) => language?.ToLowerInvariant() switch
    {
        "en" or "en-us" or "en-gb" => "english",
        "de" => "german",
        "fr" => "french",
        "es" => "spanish",
        "it" => "italian",
        "ja" => "japanese",
        "zh" => "chinese",
        _ => null,
    };
}
