using System.Globalization;
using BibTool.Model;

namespace BibTool.Export;

/// <summary>
/// RIS as Zotero and bibutils read it: "TAG  - value" lines, one AU per author, T2 the venue
/// (Zotero reads JO as an abbreviation), J2 the abbreviation, PY the year and DA "YYYY/MM/DD/",
/// every record closed by "ER  - ". No value holds a line break. A preprint's id goes to AN
/// (accession number), which Zotero keeps as Loc. in Archive; M1 would land in its issue field. ISSNs share one SN line (Zotero keeps the first SN only),
/// and only journal-like types carry them: Zotero reads SN as the ISBN everywhere else.
/// </summary>
public sealed class RisWriter : IBibliographyWriter
{
    public string Name => "ris";
    public bool ItemsStandAlone => true;
    public string Extension => "ris";
    private const string NewLine = "\r\n";

    public void Write(ExportItem item, TextWriter output)
    {
        var w = item.Work;
        void Tag(string tag, string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return;
            output.Write(tag);
            output.Write("  - ");
            output.Write(OneLine(value));
            output.Write(NewLine);
        }

        var type = FormatTable.For(w).Ris;
        void Rows(IReadOnlyList<FieldRow> rows) => FieldTable.Write(rows, Name, type, f => Tag(f.Name, f.Value(w)));
        Tag("TY", type);
        foreach (var author in w.Authors) Tag("AU", Fields.PersonName(author));
        foreach (var editor in w.Editors) Tag("A2", Fields.PersonName(editor));
        Rows(FieldTable.Titles);
        // T2 is the container: Zotero reads it as a conference paper's conference name, so the
        // proceedings go to C3 there. A publisher is never written as a container (Zotero would
        // make "Wiley" a journal), except a preprint's server, which no other tag keeps; a book's
        // T2 is its series.
        Tag("T2", T2(w));
        if (type == "CPAPER") Tag("C3", w.ContainerTitle);
        // bibutils takes a journal's T2 alone for its abbreviation; JF names the full title (Zotero reads it the same as T2).
        if (type is "JOUR" or "MGZN" or "NEWS") Tag("JF", w.ContainerTitle);
        Tag("J2", w.ContainerTitleShort);
        Tag("T3", w.CollectionTitle);
        if (w.Issued is { } d)
        {
            Tag("PY", d.Year.ToString("D4", CultureInfo.InvariantCulture));
            Tag("DA", $"{d.Year:D4}/{(d.Month is { } m ? m.ToString("D2", CultureInfo.InvariantCulture) : "")}/{(d.Day is { } day ? day.ToString("D2", CultureInfo.InvariantCulture) : "")}/");
        }
        Rows(FieldTable.Numbering);
        if (w.Page is { } pages)
        {
            var dash = pages.IndexOfAny(['-', '–', '—']);
            Tag("SP", dash > 0 ? pages[..dash].Trim() : pages);
            if (dash > 0) Tag("EP", pages[(dash + 1)..].Trim('-', '–', '—', ' '));
        }
        else Tag("SP", w.ArticleNumber);
        Rows(FieldTable.Publication);
        // The kind of thesis or report ("PhD Thesis"): Zotero reads M3 as its thesis or report type.
        if (type is "THES" or "RPRT") Tag("M3", w.Genre);
        Rows(FieldTable.Identifiers);
        Rows(FieldTable.Abstract);
        Rows(FieldTable.Language);
        Rows(FieldTable.Keywords);
        // RIS repeats its tag for each keyword.
        foreach (var keyword in w.Keywords) Tag("KW", keyword);
        if (w.Eprint is { } eprint)
        {
            Tag("AN", Fields.EprintLabel(eprint));
            // Zotero keeps M2 in Extra, where "arXiv: ID" is how it names a preprint's id.
            if (eprint.Server == "arxiv") Tag("M2", $"arXiv: {eprint.Id}");
        }
        Tag("N1", Notes.For(w));
        Tag("ID", item.Key);
        output.Write("ER  - ");
        output.Write(NewLine);
        output.Write(NewLine);
    }

    /// <summary>
    /// What T2 holds, for the writer and the RIS refresher alike: the container (a conference
    /// paper's event, its proceedings going to C3), a book's series, a preprint's server; never a
    /// publisher otherwise (Zotero would make it a journal).
    /// </summary>
    public static string? T2(Work w) => FormatTable.For(w).Ris switch
    {
        "CPAPER" => w.EventTitle ?? w.ContainerTitle,
        "BOOK" => w.CollectionTitle,
        _ => w.ContainerTitle ?? w.EventTitle ?? (w.IsPreprint ? w.Publisher : null),
    };

    private static string OneLine(string value) => BibTool.Text.Scrub.OneLine(value);
}
