using BibTool.Http;
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
}
