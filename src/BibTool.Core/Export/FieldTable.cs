using BibTool.Identifiers;
using BibTool.Model;

namespace BibTool.Export;

/// <summary>
/// What a value is to the .bib formats: text to escape, a page range, an identifier written
/// verbatim, or a biblatex list (publisher, location: split at " and " unless braced whole).
/// </summary>
public enum FieldKind { Verbatim, Text, Pages, List }

/// <summary>How one format writes a work field: its field name (tag, key), the work's plain value, and the entry types it is written for.</summary>
public sealed record FormatField(string Name, Func<Work, string?> Value, FieldKind Kind = FieldKind.Verbatim, Func<string, bool>? ForType = null)
{
    public bool Applies(string entryType) => ForType is null || ForType(entryType);

    /// <summary>A .bib value written from more than the plain text (a title's markup and case protection), given <c>ascii</c>.</summary>
    public Func<Work, bool, string?>? Latex { get; init; }

    /// <summary>The value as a .bib file holds it (<paramref name="ascii"/>: with LaTeX accents); verbatim values are made inert by <see cref="BibEntry"/>.</summary>
    public string? BibValue(Work w, bool ascii) => Latex is { } latex ? latex(w, ascii) : Value(w) is not { } value ? null : Kind switch
    {
        FieldKind.Text => Export.Latex.Escape(value, ascii),
        FieldKind.Pages => Export.Latex.Pages(Export.Latex.Escape(value, ascii)),
        // "Springer Science and Business Media LLC" is one publisher.
        FieldKind.List => FieldTable.BibLatexList(value, ascii),
        _ => value,
    };
}

/// <summary>
/// One work field as every format writes it and every refresher reads it (citation-js's
/// plugin-bibtex mappings are the model): the BibTeX field, the BibLaTeX field, the RIS tag and the
/// CSL key, each with its value, and whether refreshing a user's file manages it (compared by
/// <see cref="Same"/>, added only to the .bib entry types in <see cref="AddTo"/>).
/// A field added here reaches the four writers and, when refreshed, the three refreshers.
/// </summary>
public sealed record FieldRow(string Field, FormatField? BibTex, FormatField? BibLatex, FormatField? Ris, FormatField? Csl)
{
    /// <summary>
    /// Whether a value in a user's file, read back to plain text by its format (LaTeX decoded, HTML
    /// tags dropped; verbatim values as they are), already says what the work says (null: not refreshed).
    /// </summary>
    public Func<Work, string, bool>? Same { get; init; }

    /// <summary>Whether a refresh writes the work's value at all (an arXiv DOI is left to the eprint fields).</summary>
    public Func<Work, bool> RefreshIf { get; init; } = _ => true;

    /// <summary>
    /// Whether a refresh adds the field to a .bib entry that lacks it, given the entry's type, the
    /// work and the entry's other fields as plain text (null: to every entry).
    /// </summary>
    public Func<string, Work, Func<string, string?>, bool>? AddTo { get; init; }

    public FormatField? In(string format) => format switch
    {
        "bibtex" => BibTex,
        "biblatex" => BibLatex,
        "ris" => Ris,
        "csljson" => Csl,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}

public static class FieldTable
{
    private static bool RisJournal(string type) => type is "JOUR" or "MGZN" or "NEWS";

    // An article number stands in for pages where there are none (Zotero's journal article has no number).
    private static string? Pages(Work w) => w.Page ?? w.ArticleNumber;

    /// <summary>Plain values compared as letters and digits: case, spacing, dashes and punctuation do not count.</summary>
    public static bool SamePlain(string plain, string? upstream) =>
        upstream is not null && BibTool.Text.Ascii.KeyPart(plain) == BibTool.Text.Ascii.KeyPart(upstream);

    public static IEnumerable<FieldRow> All => Titles.Concat(Numbering).Concat(Publication).Concat(Identifiers).Concat(Language).Concat(Keywords).Concat(Abstract);

    private static string? Title(Work w, bool ascii) => w.Title is null ? null : Latex.Title(w.Title, ascii);

    /// <summary>The title: case-protected LaTeX with its markup in the .bib formats, plain in RIS, with its HTML markup in CSL.</summary>
    public static readonly IReadOnlyList<FieldRow> Titles =
    [
        new("title",
            new("title", w => w.Title?.Plain, FieldKind.Text) { Latex = Title },
            new("title", w => w.Title?.Plain, FieldKind.Text) { Latex = Title },
            new("TI", w => w.Title?.Plain, FieldKind.Text),
            new("title", w => w.Title is null ? null : w.Title.HasStyle ? w.Title.ToCslHtml() : w.Title.Plain, FieldKind.Text))
        {
            Same = (w, v) => SamePlain(v, w.Title?.Plain),
        },
    ];

    /// <summary>Writes the rows a format has for an entry type, in order, through the writer's own field method.</summary>
    public static void Write(IEnumerable<FieldRow> rows, string format, string entryType, Action<FormatField> write)
    {
        foreach (var row in rows)
            if (row.In(format) is { } field && field.Applies(entryType)) write(field);
    }

    /// <summary>Volume, issue and pages, in the order every writer gives them.</summary>
    public static readonly IReadOnlyList<FieldRow> Numbering =
    [
        new("volume",
            new("volume", w => w.Volume, FieldKind.Text),
            new("volume", w => w.Volume, FieldKind.Text),
            new("VL", w => w.Volume),
            new("volume", w => w.Volume, FieldKind.Text))
        {
            Same = (w, v) => SamePlain(v, w.Volume),
            AddTo = (type, _, _) => type is "article" or "book" or "inproceedings" or "incollection" or "inbook" or "proceedings" or "collection",
        },
        new("issue",
            // Styles refuse volume and number together except for journal articles (and a report's number is its own).
            new("number", w => w.Issue, FieldKind.Text, type => type is "article" or "techreport"),
            new("number", w => w.Issue, FieldKind.Text),
            new("IS", w => w.Issue),
            new("issue", w => w.Issue, FieldKind.Text))
        {
            Same = (w, v) => SamePlain(v, w.Issue),
            AddTo = (type, _, _) => type is "article" or "techreport" or "report",
        },
        new("page",
            new("pages", Pages, FieldKind.Pages),
            new("pages", Pages, FieldKind.Pages),
            // RIS splits a range into SP and EP: written by the RIS writer and refresher themselves.
            null,
            new("page", Pages, FieldKind.Text))
        {
            Same = (w, v) => SamePlain(v, Pages(w)),
            // An article number already in biblatex's eid is not added again as pages.
            AddTo = (type, w, fields) => type is "article" or "inproceedings" or "incollection" or "inbook" or "chapter"
                && !(w.Page is null && fields("eid") is { } eid && SamePlain(eid, w.ArticleNumber ?? "")),
        },
        // biblatex's own name for an article number.
        new("number", null, new("eid", w => w.ArticleNumber, FieldKind.Text), null, null),
    ];

    /// <summary>The identifiers, in the order every writer gives them.</summary>
    public static readonly IReadOnlyList<FieldRow> Identifiers =
    [
        new("DOI",
            new("doi", w => w.Doi),
            new("doi", w => w.Doi),
            new("DO", w => w.Doi),
            new("DOI", w => w.Doi))
        {
            Same = (w, v) => w.Doi is not null && IdentifierParser.NormalizeDoi(v.Trim()) == IdentifierParser.NormalizeDoi(w.Doi),
            RefreshIf = w => w.Doi is not null && !w.Doi.StartsWith("10.48550/", StringComparison.OrdinalIgnoreCase),
        },
        new("URL", new("url", w => w.Url), new("url", w => w.Url), new("UR", w => w.Url), new("URL", w => w.Url)),
        // Every ISSN and ISBN in one value (Zotero keeps only the first of repeated fields); biber
        // validates issn and isbn as one value each, so BibLaTeX takes the first (print) one. RIS has
        // one SN, which Zotero reads as the ISSN of journal-like types and the ISBN of the others.
        new("ISSN", new("issn", w => Fields.Joined(w.Issn)), new("issn", w => w.Issn.FirstOrDefault()),
            new("SN", w => Fields.Joined(w.Issn), ForType: RisJournal), new("ISSN", w => Fields.Joined(w.Issn))),
        new("ISBN", new("isbn", w => Fields.Joined(w.Isbn)), new("isbn", w => w.Isbn.FirstOrDefault(), ForType: type => FormatTable.BibLatexAllows(type, "isbn")),
            new("SN", w => Fields.Joined(w.Isbn), ForType: type => !RisJournal(type)), new("ISBN", w => Fields.Joined(w.Isbn))),
        new("PMID", new("pmid", w => w.Ids.GetValueOrDefault("pmid")), null, null, new("PMID", w => w.Ids.GetValueOrDefault("pmid"))),
        new("PMCID", new("pmcid", w => w.Ids.GetValueOrDefault("pmcid")), null, null, new("PMCID", w => w.Ids.GetValueOrDefault("pmcid"))),
    ];

    /// <summary>A value for a biblatex list field (publisher, institution, location), which biber splits at " and ": braced whole when it holds one.</summary>
    public static string BibLatexList(string value, bool ascii)
    {
        var text = Latex.Escape(value, ascii);
        return text.Contains(" and ", StringComparison.OrdinalIgnoreCase) ? "{" + text + "}" : text;
    }

    private static bool Published(string bibTexType) => bibTexType is not ("phdthesis" or "techreport");

    // A thesis's school and a report's institution are the publisher already; biblatex names a
    // publisher "organization" where its data model has no publisher (an online resource, a dataset).
    private static bool BibLatexPublished(string type) => type is not ("thesis" or "report") && FormatTable.BibLatexAllows(type, "publisher");
    private static bool BibLatexOrganized(string type) => type is not ("thesis" or "report") && !FormatTable.BibLatexAllows(type, "publisher") && FormatTable.BibLatexAllows(type, "organization");

    /// <summary>Publisher and place, in the order every writer gives them (after the numbering).</summary>
    public static readonly IReadOnlyList<FieldRow> Publication =
    [
        new("publisher",
            new("publisher", w => w.Publisher, FieldKind.Text, Published),
            new("publisher", w => w.Publisher, FieldKind.List, BibLatexPublished),
            new("PB", w => w.Publisher),
            new("publisher", w => w.Publisher, FieldKind.Text)),
        new("publisher", null, new("organization", w => w.Publisher, FieldKind.List, BibLatexOrganized), null, null),
        // biblatex's location under its alias address: biber reads it as location, and it is the only name of the place Zotero's importer reads.
        new("publisher-place",
            new("address", w => w.PublisherPlace, FieldKind.Text),
            new("address", w => w.PublisherPlace, FieldKind.List, type => FormatTable.BibLatexAllows(type, "address")),
            new("CY", w => w.PublisherPlace),
            new("publisher-place", w => w.PublisherPlace, FieldKind.Text)),
    ];

    /// <summary>The language: as given, and in biblatex as a babel language id (langid, and language, the only one Zotero reads).</summary>
    public static readonly IReadOnlyList<FieldRow> Language =
    [
        new("language",
            new("language", w => w.Language, FieldKind.Text),
            new("langid", w => Fields.LanguageId(w.Language), FieldKind.Text),
            new("LA", w => w.Language),
            new("language", w => w.Language, FieldKind.Text)),
        new("language", null, new("language", w => Fields.LanguageId(w.Language), FieldKind.Text), null, null),
    ];

    /// <summary>Keywords in one value (RIS repeats KW once per keyword: its writer does that itself).</summary>
    public static readonly IReadOnlyList<FieldRow> Keywords =
    [
        new("keyword", null,
            new("keywords", w => Fields.Joined(w.Keywords), FieldKind.Text),
            null,
            new("keyword", w => Fields.Joined(w.Keywords), FieldKind.Text)),
    ];

    /// <summary>The abstract as plain text.</summary>
    public static readonly IReadOnlyList<FieldRow> Abstract =
    [
        new("abstract",
            new("abstract", w => w.Abstract?.Plain, FieldKind.Text),
            new("abstract", w => w.Abstract?.Plain, FieldKind.Text),
            new("AB", w => w.Abstract?.Plain),
            new("abstract", w => w.Abstract?.Plain, FieldKind.Text)),
    ];
}
