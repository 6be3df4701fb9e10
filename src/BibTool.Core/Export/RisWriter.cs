using System.Globalization;
using BibTool.Model;

namespace BibTool.Export;

/// <summary>
/// RIS as Zotero and bibutils read it: "TAG  - value" lines, one AU per author, T2 the full
/// journal or proceedings name (Zotero reads JO as an abbreviation), J2 the abbreviation,
/// PY the year and DA "YYYY/MM/DD/", every record closed by "ER  - ". No value holds a line break.
/// </summary>
public sealed class RisWriter : IBibliographyWriter
{
    public string Name => "ris";
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

        Tag("TY", Type(w));
        foreach (var author in w.Authors) Tag("AU", PersonName(author));
        foreach (var editor in w.Editors) Tag("A2", PersonName(editor));
        Tag("TI", w.Title?.Plain);
        Tag("T2", w.ContainerTitle ?? w.EventTitle ?? (w.IsPreprint ? w.Publisher : null));
        Tag("J2", w.ContainerTitleShort);
        Tag("T3", w.CollectionTitle);
        if (w.Issued is { } d)
        {
            Tag("PY", d.Year.ToString("D4", CultureInfo.InvariantCulture));
            Tag("DA", $"{d.Year:D4}/{(d.Month is { } m ? m.ToString("D2", CultureInfo.InvariantCulture) : "")}/{(d.Day is { } day ? day.ToString("D2", CultureInfo.InvariantCulture) : "")}/");
        }
        Tag("VL", w.Volume);
        Tag("IS", w.Issue);
        if (w.Page is { } pages)
        {
            var dash = pages.IndexOfAny(['-', '–', '—']);
            Tag("SP", dash > 0 ? pages[..dash].Trim() : pages);
            if (dash > 0) Tag("EP", pages[(dash + 1)..].Trim('-', '–', '—', ' '));
        }
        else Tag("SP", w.ArticleNumber);
        Tag("PB", w.Publisher);
        Tag("CY", w.PublisherPlace);
        foreach (var issn in w.Issn) Tag("SN", issn);
        foreach (var isbn in w.Isbn) Tag("SN", isbn);
        Tag("DO", w.Doi);
        Tag("UR", w.Url);
        Tag("AB", w.Abstract?.Plain);
        Tag("LA", w.Language);
        foreach (var keyword in w.Keywords) Tag("KW", keyword);
        if (w.Eprint is { } eprint) Tag("M1", $"{eprint.ServerName}:{eprint.Id}{(eprint.Class is null ? "" : $" [{eprint.Class}]")}");
        Tag("N1", Notes.For(w));
        Tag("ID", item.Key);
        output.Write("ER  - ");
        output.Write(NewLine);
        output.Write(NewLine);
    }

    private static string Type(Work w) => w.Type switch
    {
        _ when w.IsPreprint => "UNPB",
        "article-journal" => "JOUR",
        "article-magazine" => "MGZN",
        "article-newspaper" => "NEWS",
        "paper-conference" => "CPAPER",
        "chapter" => "CHAP",
        "book" => "BOOK",
        "thesis" => "THES",
        "report" => "RPRT",
        "dataset" => "DATA",
        "webpage" => "ELEC",
        "standard" => "STAND",
        _ => "GEN",
    };

    private static string PersonName(Name name)
    {
        if (name.IsLiteral) return name.Literal!;
        var family = name.NonDroppingParticle is { Length: > 0 } particle ? $"{particle} {name.Family}" : name.Family ?? "";
        var text = name.Given is { Length: > 0 } given ? $"{family}, {given}" : family;
        return name.Suffix is { Length: > 0 } suffix ? $"{text}, {suffix}" : text;
    }

    private static string OneLine(string value) => BibTool.Text.Scrub.OneLine(value);
}
