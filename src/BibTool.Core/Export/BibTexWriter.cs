using System.Globalization;
using BibTool.Model;

namespace BibTool.Export;

/// <summary>
/// Classic BibTeX, read by bibtex with the standard styles: ASCII only (LaTeX accents), month
/// macros, "--" page ranges, arXiv preprints as @misc with eprint/archivePrefix/primaryClass.
/// An entry type is chosen only when the fields its standard style requires are there;
/// otherwise the work is written as @misc, so bibtex never warns.
/// </summary>
public sealed class BibTexWriter : IBibliographyWriter
{
    public string Name => "bibtex";
    public string Extension => "bib";

    public void Write(ExportItem item, TextWriter output)
    {
        var w = item.Work;
        var hasAuthors = w.Authors.Count > 0;
        var type = EntryType(w);
        var entry = new BibEntry(type, item.Key);
        void Field(string name, string? value, bool raw = false) => entry.Add(name, value, raw);
        string Text(string? value) => value is null ? "" : Latex.Escape(value, ascii: true);

        if (hasAuthors) Field("author", Latex.Names(w.Authors, true));
        if (w.Editors.Count > 0 && (type is "incollection" or "inproceedings" || (type == "book" && !hasAuthors))) Field("editor", Latex.Names(w.Editors, true));
        if (w.Title is not null) Field("title", Latex.Title(w.Title, true));
        switch (type)
        {
            case "article":
                Field("journal", Text(w.ContainerTitle));
                break;
            case "inproceedings":
            case "incollection":
                Field("booktitle", Text(w.ContainerTitle ?? w.EventTitle));
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
        }
        if (w.Issued is { } date)
        {
            Field("year", date.Year.ToString(CultureInfo.InvariantCulture));
            if (date.Month is { } month) Field("month", Latex.MonthMacros[month - 1], raw: true);
        }
        Field("volume", Text(w.Volume));
        // Styles refuse volume and number together except for journal articles.
        if (type is "article" or "techreport") Field("number", Text(w.Issue));
        Field("pages", w.Page is not null ? Latex.Pages(Text(w.Page)) : Text(w.ArticleNumber));
        if (type is not ("phdthesis" or "techreport")) Field("publisher", Text(w.Publisher));
        Field("address", Text(w.PublisherPlace));
        if (w.Eprint is { } eprint)
        {
            Field("eprint", eprint.Id, raw: true);
            Field("archivePrefix", eprint.ServerName, raw: true);
            Field("primaryClass", eprint.Class, raw: true);
            // Zotero's BibTeX import reads the id only from eprinttype + eprint (biblatex's names).
            Field("eprinttype", eprint.Server, raw: true);
            // plain.bst prints none of those: a @misc says where the preprint is in howpublished.
            if (type == "misc") Field("howpublished", Text($"{eprint.ServerName}:{eprint.Id}{(eprint.Class is null ? "" : $" [{eprint.Class}]")}"));
        }
        else if (type == "misc" && w.IsPreprint && w.Publisher is not null)
        {
            Field("howpublished", Text(w.Publisher));
        }
        else if (type == "misc" && w.Title is null && !hasAuthors && w.Issued is null)
        {
            // Nothing a style prints: say at least where the work is.
            Field("howpublished", Text(w.Doi is not null ? "doi:" + w.Doi : w.Url));
        }
        Field("doi", w.Doi, raw: true);
        Field("url", w.Url, raw: true);
        if (w.Issn.Count > 0) Field("issn", string.Join(", ", w.Issn), raw: true);
        if (w.Isbn.Count > 0) Field("isbn", string.Join(", ", w.Isbn), raw: true);
        Field("note", Text(Notes.For(w)));
        // Without an author the standard styles sort and label by "key".
        if (!hasAuthors && w.Editors.Count == 0) Field("key", Text(SortKey(item)));

        entry.WriteTo(output);
    }

    private static string SortKey(ExportItem item) =>
        item.Work.Title?.Plain is { Length: > 0 } title ? string.Join(' ', title.Split(' ').Take(3)) : item.Rows.FirstOrDefault()?.Name ?? item.Key;

    /// <summary>The BibTeX entry type, downgraded to @misc when the style's required fields are missing.</summary>
    public static string EntryType(Work w)
    {
        var hasAuthor = w.Authors.Count > 0;
        var hasYear = w.Issued is not null;
        var type = w.Type switch
        {
            "article-journal" or "article-magazine" or "article-newspaper" when !w.IsPreprint => "article",
            "paper-conference" => "inproceedings",
            "chapter" => "incollection",
            "book" => "book",
            "thesis" => "phdthesis",
            "report" => "techreport",
            _ => "misc",
        };
        var complete = type switch
        {
            "article" => hasAuthor && hasYear && w.ContainerTitle is not null,
            "inproceedings" => hasAuthor && hasYear && (w.ContainerTitle ?? w.EventTitle) is not null,
            "incollection" => hasAuthor && hasYear && w.ContainerTitle is not null && w.Publisher is not null,
            "book" => (hasAuthor || w.Editors.Count > 0) && hasYear && w.Publisher is not null,
            "phdthesis" => hasAuthor && hasYear && w.Publisher is not null,
            "techreport" => hasAuthor && hasYear && w.Publisher is not null,
            _ => true,
        };
        return complete && w.Title is not null ? type : "misc";
    }
}

/// <summary>The note a record carries: unresolved, retracted, published version, journal reference.</summary>
public static class Notes
{
    public static string? For(Work w)
    {
        var parts = new List<string>();
        if (w.Note is { Length: > 0 } note) parts.Add(note);
        if (!w.IsResolved) parts.Add("Metadata not resolved: from the survey only");
        if (w.JournalReference is { Length: > 0 } reference) parts.Add("Published as: " + reference);
        else if (w.PublishedDoi is { Length: > 0 } published) parts.Add("Published version: doi:" + published);
        return parts.Count == 0 ? null : string.Join(". ", parts);
    }
}
