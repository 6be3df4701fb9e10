using BibTool.Http;
using BibTool.Sources;
using BibTool.Sources.Arxiv;
using BibTool.Sources.Crossref;
using BibTool.Sources.DataCite;
using BibTool.Sources.Landing;
using BibTool.Sources.Ncbi;
using BibTool.Sources.OpenReview;


namespace BibTool.Tests.Support;

/// <summary>Sources pointed at loopback servers, with short waits so tests stay quick.</summary>
public static class Clients
{
    public static readonly RetryPolicy FastRetry = new() { BaseDelay = TimeSpan.FromMilliseconds(40), MaxDelay = TimeSpan.FromSeconds(2), MaxAttempts = 4 };

    public static CrossrefSource Crossref(LoopbackServer server, string? mailto = "test@example.org", RetryPolicy? retry = null, TimeSpan? timeout = null) =>
        new(HttpSetup.CreateClient(server.BaseUrl, HttpSetup.UserAgent("0.1.0", mailto), TimeSpan.FromSeconds(5)), mailto, "bibtool/test",
            retry ?? FastRetry, timeout ?? TimeSpan.FromSeconds(10));

    public static ArxivSource Arxiv(LoopbackServer server, TimeSpan? interval = null, RetryPolicy? retry = null, int batch = ArxivSource.DefaultBatchSize) =>
        new(HttpSetup.CreateClient(server.BaseUrl, HttpSetup.UserAgent("0.1.0", null), TimeSpan.FromSeconds(5)), "bibtool/test", retry ?? FastRetry, TimeSpan.FromSeconds(10))
        {
            MinInterval = interval ?? TimeSpan.FromMilliseconds(200),
            BatchSize = batch,
        };

    /// <summary>A resolver with Crossref and arXiv only (what most tests exercise), through the default registry.</summary>
    public static BibTool.Resolve.Resolver Resolver(BibTool.Store.MetadataStore store, CrossrefSource? crossref, ArxivSource? arxiv) =>
        new(store, SourceRegistry.Default, BibTool.Resolve.Resolver.Fetchers(("crossref", crossref), ("arxiv", arxiv)));

    public static HttpClient Http(LoopbackServer server) => HttpSetup.CreateClient(server.BaseUrl, HttpSetup.UserAgent("0.1.0", "test@example.org"), TimeSpan.FromSeconds(5));

    /// <summary>Every source of the registry, Crossref and the title search at <paramref name="crossref"/>, arXiv at <paramref name="arxiv"/>, the rest at <paramref name="others"/>.</summary>
    public static Dictionary<string, ISourceFetcher> All(LoopbackServer crossref, LoopbackServer arxiv, LoopbackServer others)
    {
        var crossrefSource = Crossref(crossref);
        var ncbi = new RateGate(50, TimeSpan.FromSeconds(1), concurrency: 2);
        return new Dictionary<string, ISourceFetcher>
        {
            ["crossref"] = crossrefSource,
            ["datacite"] = new DataCiteSource(Http(others), "bibtool/test", TimeSpan.FromSeconds(10)),
            ["openalex"] = new BibTool.Sources.OpenAlex.OpenAlexSource(Http(others), "bibtool/test", "test@example.org", null, TimeSpan.FromSeconds(10)),
            ["openalex-search"] = new BibTool.Sources.OpenAlex.OpenAlexSearchSource(Http(others), "bibtool/test", "test@example.org", null, TimeSpan.FromSeconds(10)),
            ["arxiv"] = Arxiv(arxiv),
            ["pmc"] = new PmcSource(Http(others), "bibtool/test", ncbi, "test@example.org", TimeSpan.FromSeconds(10)),
            ["pubmed"] = new PubMedSource(Http(others), "bibtool/test", ncbi, "test@example.org", null, TimeSpan.FromSeconds(10)),
            ["openreview"] = new OpenReviewSource(Http(others), "bibtool/test", TimeSpan.FromSeconds(10)),
            ["landing"] = new LandingPageSource(HttpSetup.CreateClient(null, "bibtool/test", TimeSpan.FromSeconds(5)), "bibtool/test", others.BaseUrl, TimeSpan.FromSeconds(10)) { MinInterval = TimeSpan.FromMilliseconds(50) },
            ["search"] = new SearchSource(Http(crossref), crossrefSource.Gate, "test@example.org", "bibtool/test", TimeSpan.FromSeconds(10)),
            ["arxiv-search"] = new ArxivSearchSource(Http(arxiv), new PacingGate(TimeSpan.FromMilliseconds(200)), "bibtool/test", TimeSpan.FromSeconds(10), FastRetry),
        };
    }
}
