using BibTool.Http;
using BibTool.Sources;
using BibTool.Sources.Arxiv;
using BibTool.Sources.Crossref;


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

    /// <summary>The pace of loopback replays: every politeness wait of the sources at a fifteenth of the services' (arXiv's 3 s: 200 ms).</summary>
    public const double LoopbackPace = 1.0 / 15;

    /// <summary>
    /// Every source of the registry, made by its handler as the command line makes it, with its
    /// service on loopback: Crossref and its searches at <paramref name="crossref"/>, arXiv and its
    /// search at <paramref name="arxiv"/>, the rest (landing pages through it as a gateway) at
    /// <paramref name="others"/>; waits at <see cref="LoopbackPace"/>.
    /// </summary>
    public static Dictionary<string, ISourceFetcher> All(LoopbackServer crossref, LoopbackServer arxiv, LoopbackServer others)
    {
        var settings = new BibTool.Resolve.BibToolSettings { Mailto = "test@example.org", Timeout = TimeSpan.FromSeconds(10) }
            .With("crossref-url", crossref.BaseUrl).With("arxiv-url", arxiv.BaseUrl)
            .With("datacite-url", others.BaseUrl).With("openalex-url", others.BaseUrl).With("ncbi-url", others.BaseUrl)
            .With("openreview-url", others.BaseUrl).With("landing-gateway", others.BaseUrl);
        var context = new SourceContext(settings, "test") { Pace = LoopbackPace };
        return SourceRegistry.Default.Handlers.ToDictionary(h => h.Name, h => h.CreateFetcher(context));
    }
}
