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
    public static byte[] CrossrefWork(string doi, string? type = "journal-article")
    {
        var hash = Math.Abs(doi.GetHashCode(StringComparison.Ordinal));
        var message = new Dictionary<string, object?>
        {
            ["DOI"] = doi.ToLowerInvariant(),
            ["type"] = type,
            ["title"] = new[] { $"Synthetic study of {doi}" },
            ["author"] = new object[]
            {
                new Dictionary<string, string> { ["given"] = "Ada", ["family"] = $"Synthetic{hash % 97}", ["sequence"] = "first" },
                new Dictionary<string, string> { ["given"] = "Grace", ["family"] = "Testcase", ["sequence"] = "additional" },
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
}
