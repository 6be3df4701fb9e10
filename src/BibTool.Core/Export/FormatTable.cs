using BibTool.Model;

namespace BibTool.Export;

/// <summary>
/// One row per kind of work: the entry type each format writes, and the item type Zotero's
/// importer makes of the RIS, the classic BibTeX and the CSL-JSON written for it (read from
/// Zotero's RIS and BibTeX translators and its schema's CSL mapping).
/// Where a format's standard type and Zotero's reading disagree the standard wins and the
/// README says what Zotero does; a type Zotero drops silently (BibLaTeX @dataset) is never written.
/// </summary>
public sealed record FormatRow(string Kind, string BibTex, string BibLatex, string Ris, string Csl, string ZoteroFromRis, string ZoteroFromBibTex, string ZoteroFromCsl);

public static class FormatTable
{
    /// <summary>Kind "preprint" is any work the sources flag as a preprint, whatever its CSL type.</summary>
    public static readonly IReadOnlyList<FormatRow> Rows =
    [
        //  kind                  bibtex           biblatex          ris       csl                  Zotero ← RIS        Zotero ← BibTeX      Zotero ← CSL
        new("article-journal",   "article",       "article",        "JOUR",   "article-journal",   "journalArticle",   "journalArticle",    "journalArticle"),
        new("article-magazine",  "article",       "article",        "MGZN",   "article-magazine",  "magazineArticle",  "journalArticle",    "magazineArticle"),
        new("article-newspaper", "article",       "article",        "NEWS",   "article-newspaper", "newspaperArticle", "journalArticle",    "newspaperArticle"),
        new("paper-conference",  "inproceedings", "inproceedings",  "CPAPER", "paper-conference",  "conferencePaper",  "conferencePaper",   "conferencePaper"),
        new("chapter",           "incollection",  "incollection",   "CHAP",   "chapter",           "bookSection",      "bookSection",       "bookSection"),
        new("book",              "book",          "book",           "BOOK",   "book",              "book",             "book",              "book"),
        new("thesis",            "phdthesis",     "thesis",         "THES",   "thesis",            "thesis",           "thesis",            "thesis"),
        new("report",            "techreport",    "report",         "RPRT",   "report",            "report",           "report",            "report"),
        new("standard",          "techreport",    "report",         "STAND",  "standard",          "report",           "report",            "standard"),
        new("dataset",           "misc",          "misc",           "DATA",   "dataset",           "dataset",          "document",          "dataset"),
        new("software",          "misc",          "software",       "COMP",   "software",          "computerProgram",  "document",          "computerProgram"),
        new("webpage",           "misc",          "online",         "ELEC",   "webpage",           "webpage",          "document",          "webpage"),
        new("post-weblog",       "misc",          "online",         "BLOG",   "post-weblog",       "blogPost",         "document",          "blogPost"),
        new("manuscript",        "unpublished",   "unpublished",    "MANSCPT","manuscript",        "manuscript",       "manuscript",        "manuscript"),
        // A peer review (Crossref's peer-review, CSL's review) is read by Zotero as a manuscript in every format.
        new("review",            "unpublished",   "unpublished",    "MANSCPT","manuscript",        "manuscript",       "manuscript",        "manuscript"),
        // One issue (or volume) of a journal: an article of the journal, with its volume, issue and ISSN.
        new("journal-issue",     "article",       "article",        "JOUR",   "article-journal",   "journalArticle",   "journalArticle",    "journalArticle"),
        new("preprint",          "misc",          "misc",           "UNPB",   "article",           "journalArticle",   "document",          "preprint"),
        new("document",          "misc",          "misc",           "GEN",    "document",          "journalArticle",   "document",          "document"),
    ];

    private static readonly Dictionary<string, FormatRow> ByKind = Rows.ToDictionary(r => r.Kind);

    /// <summary>CSL types with no row of their own (a peer review, a journal's own record, a figure) are documents: never preprints.</summary>
    public static FormatRow For(Work w) =>
        ByKind.GetValueOrDefault(Kind(w)) ?? ByKind["document"];

    public static string Kind(Work w) =>
        w.IsPreprint ? "preprint"
        // Crossref's journal-issue and journal-volume records (CSL periodical) that name their issue or volume.
        : w.Type == "periodical" && (w.Issue ?? w.Volume) is not null ? "journal-issue"
        : w.Type;

    /// <summary>
    /// Fields each BibTeX type needs so that the standard styles (plain, unsrt, alpha) print it
    /// without a warning; a work missing one is written as @misc instead.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> BibTexRequired = new Dictionary<string, string[]>
    {
        ["article"] = ["author", "title", "journal", "year"],
        // A paper or chapter without a year (or publisher) keeps its type: the style's warning is true, a lost type would not be.
        ["inproceedings"] = ["author", "title", "booktitle"],
        ["incollection"] = ["author", "title", "booktitle"],
        ["book"] = ["author|editor", "title", "publisher", "year"],
        ["phdthesis"] = ["author", "title", "school", "year"],
        ["techreport"] = ["author", "title", "institution", "year"],
        ["unpublished"] = ["author", "title"],
        ["misc"] = [],
    };

    /// <summary>Fields biblatex's default data model allows on every entry type written here.</summary>
    public static readonly IReadOnlySet<string> BibLatexEverywhere = new HashSet<string>
    {
        "abstract", "date", "doi", "eprint", "eprintclass", "eprinttype", "keywords", "langid", "url", "note", "title", "author",
        "pubstate", "shortjournal", "ids", "language",
    };

    /// <summary>From biblatex's default data model (entryfields per type), for the types written here.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> BibLatexFields = new Dictionary<string, IReadOnlySet<string>>
    {
        ["article"] = new HashSet<string> { "editor", "eid", "issn", "journaltitle", "number", "pages", "series", "volume" },
        ["book"] = new HashSet<string> { "editor", "isbn", "location", "number", "pages", "publisher", "series", "volume" },
        ["incollection"] = new HashSet<string> { "booktitle", "editor", "eid", "isbn", "location", "number", "pages", "publisher", "series", "volume" },
        ["inbook"] = new HashSet<string> { "booktitle", "editor", "eid", "isbn", "location", "number", "pages", "publisher", "series", "volume" },
        ["inproceedings"] = new HashSet<string> { "booktitle", "editor", "eid", "eventtitle", "isbn", "location", "number", "organization", "pages", "publisher", "series", "volume" },
        ["misc"] = new HashSet<string> { "editor", "howpublished", "location", "organization", "type", "version" },
        ["software"] = new HashSet<string> { "editor", "howpublished", "location", "organization", "type", "version" },
        ["online"] = new HashSet<string> { "editor", "organization", "version" },
        ["report"] = new HashSet<string> { "eid", "institution", "location", "number", "pages", "type", "version", "isrn" },
        ["thesis"] = new HashSet<string> { "eid", "institution", "location", "pages", "type" },
        ["unpublished"] = new HashSet<string> { "howpublished", "location", "type" },
    };

    public static bool BibLatexAllows(string type, string field) =>
        BibLatexEverywhere.Contains(field) || (BibLatexFields.TryGetValue(type, out var fields) && fields.Contains(field))
        // address is biblatex's documented alias of location (biber reads it as location).
        || (field == "address" && BibLatexAllows(type, "location"));
}
