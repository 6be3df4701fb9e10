using System.Globalization;
using System.Xml.Linq;
using BibTool.Model;
using BibTool.Text;

namespace BibTool.Sources.Ncbi;

/// <summary>Maps one PubMed &lt;PubmedArticle&gt; (read by element names; 2019 and 2024 layouts) into a <see cref="Work"/>.</summary>
public static class PubMedMapper
{
    public static Work Map(string key, XElement article)
    {
        if (article.Name.LocalName != "PubmedArticle") throw new FormatException($"expected a PubmedArticle, found {article.Name.LocalName}");
        var citation = article.Element("MedlineCitation") ?? throw new FormatException("PubmedArticle without MedlineCitation");
        var body = citation.Element("Article") ?? throw new FormatException("PubmedArticle without Article");
        var journal = body.Element("Journal");
        var issue = journal?.Element("JournalIssue");
        var work = new Work { Id = key, Type = "article-journal", Provenance = { Source = "pubmed" } };

        if (body.Element("ArticleTitle") is { } title && title.Value.Trim().Length > 0)
            work.Title = Markup.ToRichText(SafeXml.InnerMarkup(title).Trim().TrimEnd('.'));
        else if (body.Element("VernacularTitle") is { } vernacular && vernacular.Value.Trim().Length > 0)
            work.Title = Markup.ToRichText(SafeXml.InnerMarkup(vernacular).Trim().TrimEnd('.'));

        foreach (var author in body.Element("AuthorList")?.Elements("Author") ?? [])
        {
            if (author.Attribute("ValidYN")?.Value == "N") continue;
            var family = Text(author.Element("LastName"));
            var given = Text(author.Element("ForeName")) ?? Text(author.Element("Initials"));
            if (family is not null) work.Authors.Add(new Name(family, given, Suffix: Text(author.Element("Suffix"))));
            else if (Text(author.Element("CollectiveName")) is { } collective) work.Authors.Add(Name.Organisation(collective));
        }

        work.ContainerTitle = Text(journal?.Element("Title"));
        work.ContainerTitleShort = Text(journal?.Element("ISOAbbreviation"));
        work.Volume = Text(issue?.Element("Volume"));
        work.Issue = Text(issue?.Element("Issue"));
        work.Issued = Date(issue?.Element("PubDate")) ?? Date(body.Element("ArticleDate"));
        var pagination = body.Element("Pagination");
        var start = Text(pagination?.Element("StartPage"));
        var end = Text(pagination?.Element("EndPage"));
        work.Page = start is not null ? (end is not null && end != start ? $"{start}-{end}" : start) : Text(pagination?.Element("MedlinePgn"));
        foreach (var issn in journal?.Elements("ISSN") ?? [])
            if (Text(issn) is { } value && !work.Issn.Contains(value)) work.Issn.Add(value);

        var ids = article.Element("PubmedData")?.Element("ArticleIdList")?.Elements("ArticleId") ?? [];
        string? Id(string type) => ids.Where(i => i.Attribute("IdType")?.Value == type).Select(Text).FirstOrDefault(v => v is not null);
        work.Doi = Id("doi") ?? body.Elements("ELocationID").Where(e => e.Attribute("EIdType")?.Value == "doi").Select(Text).FirstOrDefault(v => v is not null);
        if (work.Doi is not null && !Identifiers.IdentifierParser.IsValidDoi(work.Doi)) work.Doi = null;
        var pmid = Text(citation.Element("PMID"));
        if (pmid is not null) work.Ids["pmid"] = pmid;
        if (Id("pmc") is { } pmcid) work.Ids["pmcid"] = pmcid;
        work.Url = work.Doi is not null ? "https://doi.org/" + work.Doi : $"https://pubmed.ncbi.nlm.nih.gov/{pmid}/";

        var parts = (body.Element("Abstract")?.Elements("AbstractText") ?? [])
            .Select(a => (Label: a.Attribute("Label")?.Value, Text: a.Value.Trim())).Where(a => a.Text.Length > 0).ToList();
        if (parts.Count > 0)
            work.Abstract = RichText.FromPlain(string.Join(" ", parts.Select(p => p.Label is { Length: > 0 } label ? $"{label}: {p.Text}" : p.Text)));
        work.Language = Text(body.Element("Language")) switch { "eng" => "en", "ger" => "de", "fre" => "fr", "spa" => "es", "ita" => "it", "jpn" => "ja", "chi" => "zh", _ => null };
        foreach (var keyword in citation.Element("KeywordList")?.Elements("Keyword") ?? [])
            if (Text(keyword) is { } k && !work.Keywords.Contains(k)) work.Keywords.Add(k);
        return work;
    }

    private static string? Text(XElement? element) =>
        element is null || string.IsNullOrWhiteSpace(element.Value) ? null : string.Join(' ', element.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>&lt;Year&gt;/&lt;Month&gt; (number or "Jun")/&lt;Day&gt;, or a MedlineDate such as "1998 Dec-1999 Jan".</summary>
    private static DateParts? Date(XElement? date)
    {
        if (date is null) return null;
        if (!int.TryParse(Text(date.Element("Year")), NumberStyles.Integer, CultureInfo.InvariantCulture, out var year))
            return Dates.ParseIso(Text(date.Element("MedlineDate"))) is { } medline ? new DateParts(medline.Year) : null;
        var monthText = Text(date.Element("Month"));
        int? month = int.TryParse(monthText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m
            : Dates.MonthNumber(monthText);
        if (month is not (>= 1 and <= 12)) return new DateParts(year);
        int? day = int.TryParse(Text(date.Element("Day")), NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) && d is >= 1 and <= 31 ? d : null;
        return new DateParts(year, month, day);
    }
}
