using System.Text;
using System.Text.Json;

namespace BibTool.Tests.Support;

/// <summary>
/// SYNTHETIC responses, for tests that need more works than the recordings hold (the seed
/// survey's own DOIs and arXiv ids were never recorded). They follow the recorded shapes
/// (Crossref's work envelope, arXiv's 2026 Atom feed) but every value is made up here:
/// none of this is Crossref's or arXiv's data.
/// </summary>
public static class Synthetic
{
    /// <summary>A hash that is the same in every run (string.GetHashCode is not), so synthetic data is reproducible.</summary>
    public static int Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return (int)(hash & 0x7fffffff);
    }

    // Second authors with varied initials: alpha.bst labels (first letters + year) then rarely
    // collide more than 26 times, past which alpha.bst itself runs out of suffix letters.
    private static readonly string[] CoAuthors =
        ["Testcase", "Fixture", "Harness", "Mockingbird", "Oracle", "Probe", "Quokka", "Rigby", "Stub", "Vector", "Widget", "Yarrow", "Zephyr", "Baseline", "Control", "Dummy", "Example"];

    public static byte[] CrossrefWork(string doi, string? type = "journal-article")
    {
        var hash = Hash(doi);
        var message = new Dictionary<string, object?>
        {
            ["DOI"] = doi.ToLowerInvariant(),
            ["type"] = type,
            ["title"] = new[] { $"Synthetic study of {doi}" },
            ["author"] = new object[]
            {
                new Dictionary<string, string> { ["given"] = "Ada", ["family"] = $"Synthetic{hash % 97}", ["sequence"] = "first" },
                new Dictionary<string, string> { ["given"] = "Grace", ["family"] = CoAuthors[hash / 97 % CoAuthors.Length], ["sequence"] = "additional" },
            },
            ["issued"] = new Dictionary<string, object> { ["date-parts"] = new[] { new[] { 2020 + hash % 6, 1 + hash % 12, 1 + hash % 28 } } },
            ["container-title"] = new[] { "Journal of Synthetic Results" },
            ["short-container-title"] = new[] { "J. Synth. Res." },
            ["volume"] = (1 + hash % 40).ToString(),
            ["issue"] = (1 + hash % 12).ToString(),
            ["page"] = $"{100 + hash % 500}-{120 + hash % 500}",
            ["publisher"] = "Synthetic Publisher",
            ["ISSN"] = new[] { "0000-0000" },
            ["URL"] = $"https://doi.org/{doi}",
        };
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["status"] = "ok", ["message-type"] = "work", ["message-version"] = "1.0.0", ["message"] = message,
        });
    }

    public static List<(string, string)> CrossrefHeaders(int limit, int concurrency, string pool = "polite") =>
    [
        ("Content-Type", "application/json"),
        ("x-api-pool", pool),
        ("x-rate-limit-limit", limit.ToString()),
        ("x-rate-limit-interval", "1s"),
        ("x-concurrency-limit", concurrency.ToString()),
    ];

    /// <summary>A Crossref stand-in that knows every DOI, advertising the given limits.</summary>
    public static Func<RecordedRequest, Reply> Crossref(int limit = 10, int concurrency = 3, TimeSpan? latency = null, ISet<string>? unknown = null) =>
        request =>
        {
            if (request.Path == "/works") return new Reply { Body = CrossrefSearch(request.QueryValue("query.bibliographic") ?? ""), Headers = CrossrefHeaders(limit, concurrency) };
            var doi = Uri.UnescapeDataString(request.Path["/works/".Length..]);
            if (unknown?.Contains(doi.ToLowerInvariant()) == true)
                return new Reply { Status = 404, Reason = "Not Found", Body = "Resource not found."u8.ToArray(), Headers = CrossrefHeaders(limit, concurrency) };
            return new Reply { Body = CrossrefWork(doi), Headers = CrossrefHeaders(limit, concurrency), Delay = latency ?? TimeSpan.Zero };
        };

    public static string ArxivEntry(string id, int version = 1) => $"""
          <entry>
            <id>http://arxiv.org/abs/{id}v{version}</id>
            <title>Synthetic preprint {id}</title>
            <updated>2024-02-{Math.Min(version, 28):D2}T10:00:00Z</updated>
            <link href="https://arxiv.org/abs/{id}v{version}" rel="alternate" type="text/html"/>
            <summary>A synthetic abstract for {id}.</summary>
            <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
            <published>2024-01-15T10:00:00Z</published>
            <arxiv:primary_category term="cs.LG"/>
            <author>
              <name>Ada Synthetic</name>
            </author>
            <author>
              <name>Grace van Testcase</name>
            </author>
          </entry>
        """;

    public static byte[] ArxivFeed(IEnumerable<string> ids)
    {
        var list = ids.ToList();
        var feed = new StringBuilder();
        feed.Append("<?xml version='1.0' encoding='UTF-8'?>\n");
        feed.Append("<feed xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\" xmlns=\"http://www.w3.org/2005/Atom\">\n");
        feed.Append("  <id>https://arxiv.org/api/synthetic</id>\n  <title>arXiv Query: synthetic</title>\n");
        feed.Append($"  <opensearch:itemsPerPage>{list.Count}</opensearch:itemsPerPage>\n  <opensearch:totalResults>{list.Count}</opensearch:totalResults>\n  <opensearch:startIndex>0</opensearch:startIndex>\n");
        foreach (var id in list)
        {
            var versioned = System.Text.RegularExpressions.Regex.Match(id, @"^(.+?)v(\d+)$");
            feed.Append(versioned.Success ? ArxivEntry(versioned.Groups[1].Value, int.Parse(versioned.Groups[2].Value)) : ArxivEntry(id)).Append('\n');
        }
        feed.Append("</feed>");
        return Encoding.UTF8.GetBytes(feed.ToString());
    }

    /// <summary>An arXiv stand-in that knows every id except <paramref name="unknown"/>.</summary>
    public static Func<RecordedRequest, Reply> Arxiv(ISet<string>? unknown = null) =>
        request =>
        {
            var ids = (request.QueryValue("id_list") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Where(id => unknown?.Contains(id) != true);
            return new Reply { Body = ArxivFeed(ids), Headers = [("Content-Type", "application/atom+xml; charset=utf-8")] };
        };

    /// <summary>A Crossref work list whose one item has exactly the title searched for (SYNTHETIC).</summary>
    public static byte[] CrossrefSearch(string query) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["status"] = "ok", ["message-type"] = "work-list", ["message-version"] = "1.0.0",
        ["message"] = new Dictionary<string, object>
        {
            ["total-results"] = 1, ["items-per-page"] = 5,
            ["items"] = new[] { new Dictionary<string, object> { ["DOI"] = $"10.5555/search.{Hash(query) % 100000}", ["title"] = new[] { query }, ["score"] = 80.5 } },
        },
    });

    /// <summary>A DataCite JSON:API document for any DOI (SYNTHETIC): a dataset by a person and an organisation.</summary>
    public static byte[] DataCiteDoi(string doi) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["data"] = new Dictionary<string, object>
        {
            ["id"] = doi.ToLowerInvariant(), ["type"] = "dois",
            ["attributes"] = new Dictionary<string, object>
            {
                ["doi"] = doi.ToLowerInvariant(),
                ["titles"] = new[] { new Dictionary<string, string> { ["title"] = $"Synthetic dataset {doi}" } },
                ["creators"] = new object[]
                {
                    new Dictionary<string, string> { ["name"] = "Synthetic, Ada", ["nameType"] = "Personal", ["givenName"] = "Ada", ["familyName"] = "Synthetic" },
                    new Dictionary<string, string> { ["name"] = "Synthetic Data Consortium", ["nameType"] = "Organizational" },
                },
                ["publisher"] = "Synthetic Repository",
                ["publicationYear"] = 2023,
                ["types"] = new Dictionary<string, string> { ["resourceTypeGeneral"] = "Dataset", ["citeproc"] = "dataset" },
            },
        },
    });

    /// <summary>PMC ID converter records (SYNTHETIC): every PMCID converts to a made-up DOI and PMID.</summary>
    public static byte[] IdConversion(IEnumerable<string> ids) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["status"] = "ok",
        ["records"] = ids.Select(id => new Dictionary<string, string>
        {
            ["pmcid"] = id, ["pmid"] = "9" + new string(id.Where(char.IsDigit).ToArray()), ["doi"] = $"10.5555/pmc.{id.ToLowerInvariant()}",
        }).ToArray(),
    });

    /// <summary>A PubMed efetch answer (SYNTHETIC values in the recorded 2024 layout, DOCTYPE included) for every PMID asked.</summary>
    public static byte[] PubMedArticles(IEnumerable<string> pmids)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2024//EN\" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd\">\n<PubmedArticleSet>\n");
        foreach (var pmid in pmids)
            xml.Append($"<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID><Article PubModel=\"Print\"><Journal><ISSN IssnType=\"Electronic\">0000-0019</ISSN><JournalIssue CitedMedium=\"Internet\"><Volume>5</Volume><Issue>1</Issue><PubDate><Year>2018</Year><Month>Jul</Month></PubDate></JournalIssue><Title>Journal of Synthetic Imaging</Title><ISOAbbreviation>J Synth Imaging</ISOAbbreviation></Journal><ArticleTitle>Synthetic PubMed article {pmid}.</ArticleTitle><Pagination><MedlinePgn>36501</MedlinePgn></Pagination><AuthorList CompleteYN=\"Y\"><Author ValidYN=\"Y\"><LastName>Synthetic</LastName><ForeName>Ada</ForeName><Initials>A</Initials></Author><Author ValidYN=\"Y\"><LastName>Testcase</LastName><ForeName>Grace</ForeName><Initials>G</Initials></Author></AuthorList><Language>eng</Language></Article></MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType=\"pubmed\">{pmid}</ArticleId></ArticleIdList></PubmedData></PubmedArticle>\n");
        xml.Append("</PubmedArticleSet>");
        return Encoding.UTF8.GetBytes(xml.ToString());
    }

    /// <summary>An OpenReview API v2 notes answer (SYNTHETIC) in the documented shape: every content field is { "value": … }.</summary>
    public static byte[] OpenReviewNote(string id) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["notes"] = new[]
        {
            new Dictionary<string, object>
            {
                ["id"] = id, ["forum"] = id, ["pdate"] = 1705276800000L,
                ["content"] = new Dictionary<string, object>
                {
                    ["title"] = new Dictionary<string, string> { ["value"] = $"Synthetic OpenReview paper {id}" },
                    ["authors"] = new Dictionary<string, string[]> { ["value"] = ["Ada Synthetic", "Grace van Testcase"] },
                    ["venue"] = new Dictionary<string, string> { ["value"] = "ICLR 2024 poster" },
                    ["venueid"] = new Dictionary<string, string> { ["value"] = "ICLR.cc/2024/Conference" },
                },
            },
        },
        ["count"] = 1,
    });

    /// <summary>
    /// A landing page (SYNTHETIC) of the kind each host serves: PMLR, NeurIPS and CVF pages carry
    /// Highwire tags (some unquoted, content before name, upper case), MDPI names its Crossref DOI,
    /// PhysioNet names a DataCite DOI in JSON-LD. The survey's pages were never recorded.
    /// </summary>
    public static string LandingPage(string host, string path)
    {
        var slug = path.Trim('/').Split('/').Last();
        return host switch
        {
            "www.mdpi.com" or "mdpi.com" => $"<html><head><META NAME=\"citation_title\" CONTENT=\"Synthetic MDPI article\"><meta name=\"citation_doi\" content=\"10.3390/synthetic.{slug}\"></head><body></body></html>",
            "www.physionet.org" or "physionet.org" =>
                $"<html><head><title>PhysioNet</title><script type=\"application/ld+json\">{{\"@context\":\"https://schema.org\",\"@type\":\"Dataset\",\"name\":\"Synthetic PhysioNet dataset\",\"identifier\":\"https://doi.org/10.13026/synthetic-{slug}\"}}</script></head></html>",
            "openaccess.thecvf.com" => $"<html><head><meta content=\"Synthetic CVF paper {slug}\" name=citation_title><meta content=\"Synthetic, Ada\" name=citation_author><meta content=\"Testcase, Grace\" name=citation_author><meta content=\"2023\" name=citation_publication_date><meta content=\"Proceedings of the Synthetic Conference on Computer Vision\" name=citation_conference_title><meta content=\"100\" name=citation_firstpage><meta content=\"109\" name=citation_lastpage></head></html>",
            _ => $"<html><head><meta name=\"citation_title\" content=\"Synthetic paper {slug}\"><meta name=\"citation_author\" content=\"Ada Synthetic\"><meta name=\"citation_author\" content=\"Grace Testcase\"><meta name=\"citation_publication_date\" content=\"2023/12/10\"><meta name=\"citation_journal_title\" content=\"Proceedings of Synthetic Learning Research\"><meta name=\"citation_volume\" content=\"225\"></head></html>",
        };
    }

    /// <summary>
    /// One stand-in for every source but Crossref and arXiv (SYNTHETIC answers): DataCite
    /// (/dois/), E-utilities (efetch), the PMC ID converter, OpenReview (/notes) and, through the
    /// landing gateway, any landing page (/HOST/PATH).
    /// </summary>
    public static Func<RecordedRequest, Reply> OtherSources(ISet<string>? unknownDois = null) =>
        request =>
        {
            var path = request.Path;
            if (path.StartsWith("/dois/", StringComparison.Ordinal) && unknownDois?.Contains(Uri.UnescapeDataString(path["/dois/".Length..]).ToLowerInvariant()) == true)
                return Reply.Text(404, "{\"errors\":[{\"status\":\"404\",\"title\":\"The resource you are looking for doesn't exist.\"}]}", "application/vnd.api+json");
            if (path.StartsWith("/dois/", StringComparison.Ordinal))
                return new Reply { Body = DataCiteDoi(Uri.UnescapeDataString(path["/dois/".Length..])), Headers = [("Content-Type", "application/vnd.api+json; charset=utf-8")] };
            if (path == "/entrez/eutils/efetch.fcgi")
                return new Reply { Body = PubMedArticles((request.QueryValue("id") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)), Headers = [("Content-Type", "text/xml; charset=UTF-8")] };
            if (path.StartsWith("/tools/idconv/", StringComparison.Ordinal))
                return new Reply { Body = IdConversion((request.QueryValue("ids") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)), Headers = [("Content-Type", "application/json; charset=ISO-8859-1")] };
            if (path == "/notes")
                return new Reply { Body = OpenReviewNote(request.QueryValue("id") ?? ""), Headers = [("Content-Type", "application/json; charset=utf-8")] };
            // OpenAlex is asked only for DOIs Crossref and DataCite do not know: it does not know them either
            // (a 404 with a small HTML page, the shape OpenAlex sends).
            if (path == "/works")
                return Reply.Text(200, """{"meta":{"count":0,"page":1,"per_page":5},"results":[],"group_by":[]}""", "application/json");
            if (path.StartsWith("/works/", StringComparison.Ordinal))
                return Reply.Text(404, "<!doctype html><title>404 Not Found</title><h1>Not Found</h1>", "text/html; charset=utf-8");
            var parts = path.TrimStart('/').Split('/', 2);
            return new Reply { Body = Encoding.UTF8.GetBytes(LandingPage(parts[0], parts.Length > 1 ? parts[1] : "")), Headers = [("Content-Type", "text/html; charset=utf-8")] };
        };

    /// <summary>
    /// The options that point every source but Crossref and arXiv at <paramref name="server"/>: every
    /// URL setting the registry's sources declare, so a new source is aimed at it too.
    /// </summary>
    public static string[] OtherSourceArgs(LoopbackServer server) =>
        [.. BibTool.Resolve.BibToolSettings.SourceSettings
            .Where(s => s.IsUrl && s != BibTool.Sources.Crossref.CrossrefHandler.Url && s != BibTool.Sources.Arxiv.ArxivHandler.Url)
            .SelectMany(s => new[] { s.Option, server.BaseUrl })];

    /// <summary>A process-wide stand-in for the other sources, for tests that do not count its requests.</summary>
    public static LoopbackServer Others => _others.Value;
    private static readonly Lazy<LoopbackServer> _others = new(() => new LoopbackServer(OtherSources()));
}
