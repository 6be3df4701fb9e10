using System.Text.Json;
using AngleSharp.Html.Parser;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Text;

namespace BibTool.Sources.Landing;

/// <summary>
/// Reads the citation metadata a landing page embeds, as Zotero's embedded-metadata translator
/// does: Highwire/Google Scholar <c>citation_*</c> tags first, then Dublin Core (<c>DC.*</c> or
/// <c>dc.*</c>), PRISM (<c>prism.*</c>) and JSON-LD (<c>ScholarlyArticle</c>, <c>Dataset</c>, …).
/// Tag names are case-insensitive; attribute order and quoting are the HTML parser's business.
/// </summary>
public static class LandingPageMapper
{
    /// <summary>The page's metadata tags by lower-case name, in page order.</summary>
    public sealed class PageMeta
    {
        private readonly Dictionary<string, List<string>> _tags = new(StringComparer.Ordinal);
        public List<JsonElement> JsonLd { get; } = [];

        public void Add(string name, string content)
        {
            if (!_tags.TryGetValue(name, out var list)) _tags[name] = list = [];
            list.Add(content);
        }

        public IReadOnlyList<string> All(params string[] names)
        {
            foreach (var name in names)
                if (_tags.TryGetValue(name, out var list) && list.Count > 0) return list;
            return [];
        }

        public string? First(params string[] names) => All(names).FirstOrDefault();
    }

    /// <summary>
    /// One parser per thread: a new one builds its browsing context and configuration each time,
    /// which cost more than parsing a page (an export reads many pages, on every core).
    /// </summary>
    private static readonly ThreadLocal<HtmlParser> Parser = new(() => new HtmlParser(new HtmlParserOptions { IsScripting = false }));

    public static PageMeta Read(byte[] body)
    {
        var html = System.Text.Encoding.UTF8.GetString(body);
        using var document = Parser.Value!.ParseDocument(html);
        var meta = new PageMeta();
        foreach (var tag in document.QuerySelectorAll("meta"))
        {
            var name = (tag.GetAttribute("name") ?? tag.GetAttribute("property"))?.Trim().ToLowerInvariant();
            var content = tag.GetAttribute("content");
            if (name is null || string.IsNullOrWhiteSpace(content)) continue;
            meta.Add(name, Scrub.OneLine(content));
        }
        foreach (var script in document.QuerySelectorAll("script[type='application/ld+json']"))
        {
            try
            {
                using var json = JsonDocument.Parse(script.TextContent, new JsonDocumentOptions { MaxDepth = 32, AllowTrailingCommas = true });
                foreach (var node in Nodes(json.RootElement)) meta.JsonLd.Add(node.Clone());
            }
            catch (JsonException) { }
        }
        return meta;
    }

    private static IEnumerable<JsonElement> Nodes(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Array => root.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object),
        JsonValueKind.Object when Json.Property(root, "@graph") is { ValueKind: JsonValueKind.Array } graph => graph.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object),
        JsonValueKind.Object => [root],
        _ => [],
    };

    private static readonly HashSet<string> ScholarlyTypes =
        ["ScholarlyArticle", "Article", "Dataset", "Book", "Chapter", "Thesis", "Report", "SoftwareSourceCode", "CreativeWork", "MedicalScholarlyArticle", "TechArticle"];

    private static JsonElement? Scholarly(PageMeta meta) =>
        meta.JsonLd.Select(n => (JsonElement?)n).FirstOrDefault(n => TypesOf(n!.Value).Any(ScholarlyTypes.Contains));

    // "Dataset", "schema:Dataset" and "https://schema.org/Dataset" are one type.
    private static IEnumerable<string> TypesOf(JsonElement node) => (Json.Property(node, "@type") switch
    {
        { ValueKind: JsonValueKind.String } s => [s.GetString()!],
        { ValueKind: JsonValueKind.Array } a => a.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!),
        _ => [],
    }).Select(t => t[(Math.Max(t.LastIndexOf('/'), t.LastIndexOf(':')) + 1)..]);

    /// <summary>The DOI the page names for itself, if any (validated).</summary>
    public static string? Doi(PageMeta meta)
    {
        var candidates = meta.All("citation_doi", "bepress_citation_doi").Concat(meta.All("prism.doi")).Concat(meta.All("dc.identifier"));
        if (Scholarly(meta) is { } node) candidates = candidates.Append(Json.Text(node, "identifier") ?? "").Append(Json.Text(node, "@id") ?? "");
        foreach (var candidate in candidates)
        {
            var text = candidate.Trim();
            if (!text.Contains("10.")) continue;
            var parsed = IdentifierParser.Parse(text.StartsWith("10.") ? "doi:" + text : text);
            if (parsed.Type == IdentifierType.Doi) return parsed.Display;
        }
        return null;
    }

    public static Work? Map(string key, byte[] body, string? pageUrl) => Map(key, Read(body), pageUrl);

    public static Work? Map(string key, PageMeta meta, string? pageUrl)
    {
        var ld = Scholarly(meta);
        var title = meta.First("citation_title", "dc.title", "prism.title") ?? Json.Text(ld, "headline") ?? Json.Text(ld, "name");
        if (title is null) return null;
        var ldTypes = ld is { } l ? TypesOf(l).ToList() : [];
        var work = new Work { Id = key, Title = Markup.ToRichText(title), Provenance = { Source = "landing" } };

        var authors = meta.All("citation_author", "dc.creator");
        foreach (var author in authors) work.Authors.Add(Names.Parse(author));
        if (work.Authors.Count == 0 && ld is { } node)
            foreach (var person in JsonPeople(node, "author").Concat(JsonPeople(node, "creator")))
                work.Authors.Add(person);

        work.Issued = Dates.ParseIso(meta.First("citation_publication_date", "citation_date", "dc.date", "prism.publicationdate", "citation_online_date", "dc.date.issued")
            ?? Json.Text(ld, "datePublished") ?? Json.Text(ld, "dateCreated"));
        var conference = meta.First("citation_conference_title", "citation_conference");
        var journal = meta.First("citation_journal_title", "prism.publicationname");
        var thesis = meta.First("citation_dissertation_institution");
        var report = meta.First("citation_technical_report_institution");
        var book = meta.First("citation_inbook_title", "citation_book_title");
        work.Type = conference is not null ? "paper-conference"
            : journal is not null ? "article-journal"
            : thesis is not null ? "thesis"
            : report is not null ? "report"
            : book is not null ? "chapter"
            : ldTypes.Contains("Dataset") ? "dataset"
            : ldTypes.Contains("SoftwareSourceCode") ? "software"
            : "document";
        work.ContainerTitle = conference ?? journal ?? book ?? Json.Text(Json.Property(ld, "isPartOf"), "name");
        work.ContainerTitleShort = meta.First("citation_journal_abbrev");
        work.Publisher = thesis ?? report ?? meta.First("citation_publisher", "dc.publisher") ?? Json.Text(Json.Property(ld, "publisher"), "name") ?? Json.Text(ld, "publisher");
        work.Volume = meta.First("citation_volume", "prism.volume");
        work.Issue = meta.First("citation_issue", "prism.number");
        var first = meta.First("citation_firstpage", "prism.startingpage");
        var last = meta.First("citation_lastpage", "prism.endingpage");
        if (first is not null) work.Page = last is not null && last != first ? $"{first}-{last}" : first;
        foreach (var issn in meta.All("citation_issn").Concat(meta.All("prism.issn")))
            if (!work.Issn.Contains(issn)) work.Issn.Add(issn);
        foreach (var isbn in meta.All("citation_isbn"))
            if (!work.Isbn.Contains(isbn)) work.Isbn.Add(isbn);
        work.Doi = Doi(meta);
        work.Url = pageUrl;
        if (pageUrl is not null) work.Ids["url"] = pageUrl;
        if ((meta.First("citation_abstract", "dc.description") ?? Json.Text(ld, "description")) is { } abstractText)
            work.Abstract = RichText.FromPlain(abstractText);
        work.Language = meta.First("citation_language", "dc.language")?.ToLowerInvariant();
        foreach (var keyword in meta.All("citation_keywords").SelectMany(k => k.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
            if (!work.Keywords.Contains(keyword)) work.Keywords.Add(keyword);
        if (meta.First("citation_arxiv_id") is { } arxiv && IdentifierParser.SplitArxivId(arxiv) is { } parts)
        {
            work.Eprint = new Eprint("arxiv", parts.Id, Version: parts.Version);
            work.IsPreprint = work.ContainerTitle is null;
            if (work.IsPreprint) { work.Type = "article"; work.Publisher ??= "arXiv"; }
        }
        return work;
    }

    private static IEnumerable<Name> JsonPeople(JsonElement node, string property)
    {
        var value = Json.Property(node, property);
        var people = value?.ValueKind == JsonValueKind.Array ? value.Value.EnumerateArray().ToList() : value is { } single ? [single] : [];
        foreach (var person in people)
        {
            if (person.ValueKind == JsonValueKind.String) { yield return Names.Parse(person.GetString()!); continue; }
            var family = Json.Text(person, "familyName");
            var given = Json.Text(person, "givenName");
            if (family is not null) yield return new Name(family, given);
            else if (Json.Text(person, "name") is { } name)
                yield return TypesOf(person).Contains("Organization") ? Name.Organisation(name) : Names.Parse(name);
        }
    }
}
