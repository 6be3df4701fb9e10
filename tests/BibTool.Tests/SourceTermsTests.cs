using BibTool.Http;
using BibTool.Resolve;
using BibTool.Sources;
using BibTool.Sources.Arxiv;
using BibTool.Sources.Crossref;
using BibTool.Sources.Landing;

namespace BibTool.Tests;

/// <summary>
/// Every source declares its service's terms, written out here: the published ones where the
/// service publishes them (tests/fixtures/API-NOTES.md: Crossref's pools, arXiv's 3 s, NCBI's 3
/// and 10 a second), the project's own margins elsewhere. The sources' own timing tests check that
/// their fetchers keep them.
/// </summary>
public class SourceTermsTests
{
    private static Dictionary<string, string?> Declared(BibToolSettings settings) =>
        SourceRegistry.Default.Handlers.ToDictionary(h => h.Name, h => h.Politeness(settings)?.ToString());

    [Fact]
    public void EverySourceDeclaresItsServicesTerms()
    {
        var declared = Declared(new BibToolSettings());
        Assert.Equal(new Dictionary<string, string?>
        {
            ["crossref"] = "5 per second, 1 in flight",
            ["datacite"] = "5 per second, 2 in flight",
            ["openalex"] = "10 per second, 2 in flight",
            ["arxiv"] = "one request at a time, 3 s after each, 100 ids a request",
            ["pmc"] = "3 per second, 1 in flight, 200 ids a request",
            ["pubmed"] = "3 per second, 1 in flight, 200 ids a request",
            ["openreview"] = "1 per second, 1 in flight",
            ["landing"] = "1 per second, 1 in flight, per host",
            // Searches ask Crossref's and arXiv's services within those services' terms (one budget each).
            ["search"] = null,
            ["arxiv-search"] = null,
            ["openalex-search"] = "2 per second, 1 in flight",
            ["published"] = null,
        }, declared);
    }

    [Fact]
    public void AMailtoAndAnApiKeyRaiseTheTermsTheyBuy()
    {
        var declared = Declared(new BibToolSettings { Mailto = "test@example.org" }.With("ncbi-api-key", "KEY"));
        Assert.Equal("10 per second, 1 in flight", declared["crossref"]);
        Assert.Equal("10 per second, 1 in flight, 200 ids a request", declared["pubmed"]);
        Assert.Equal("10 per second, 1 in flight, 200 ids a request", declared["pmc"]);
    }
    [Theory]
    [InlineData(1.0)]
    [InlineData(1.0 / 15)]
    public void TheRegistrysFetchersKeepTheTermsAtTheContextsPace(double pace)
    {
        var context = new SourceContext(new BibToolSettings { Mailto = "test@example.org" }, "test") { Pace = pace };
        var fetchers = SourceRegistry.Default.Handlers.ToDictionary(h => h.Name, h => h.CreateFetcher(context));
        try
        {
            // Written out: (requests, window in seconds, in flight) of each rate gate; arXiv's pause; retries.
            var rates = new Dictionary<string, (int, double, int)>
            {
                ["crossref"] = (10, 1, 1), ["search"] = (10, 1, 1), ["published"] = (10, 1, 1), ["datacite"] = (5, 1, 2), ["openalex"] = (10, 1, 2),
                ["openalex-search"] = (2, 1, 1), ["openreview"] = (1, 1, 1), ["pmc"] = (3, 1, 1), ["pubmed"] = (3, 1, 1),
            };
            foreach (var (name, fetcher) in fetchers)
            {
                if (fetcher is LandingPageSource landing)
                {
                    Assert.Equal(TimeSpan.FromSeconds(1) * pace, landing.MinInterval);
                    Assert.Equal((3, TimeSpan.FromSeconds(1) * pace), (landing.Retry.MaxAttempts, landing.Retry.BaseDelay));
                    continue;
                }
                var policy = fetcher switch
                {
                    PoliteFetcher polite => polite.Policy,
                    ArxivSource arxiv => arxiv.Policy,
                    CrossrefSource crossref => crossref.Policy,
                    _ => throw new InvalidOperationException($"{name}: a fetcher of a kind this test does not know"),
                };
                // arXiv's retries start at its pause, three seconds; every other service's at one.
                Assert.True((5, TimeSpan.FromSeconds(name.StartsWith("arxiv") ? 3 : 1) * pace) == (policy.Retry.MaxAttempts, policy.Retry.BaseDelay), $"{name}: retries");
                if (name.StartsWith("arxiv")) Assert.Equal(TimeSpan.FromSeconds(3) * pace, Assert.IsType<PacingGate>(policy.Admission).Interval);
                else
                {
                    var gate = Assert.IsType<RateGate>(policy.Admission);
                    var (requests, seconds, inFlight) = rates[name];
                    Assert.True((requests, TimeSpan.FromSeconds(seconds) * pace, inFlight) == (gate.Limit, gate.Interval, gate.Concurrency), $"{name}: {gate.Limit} per {gate.Interval}, {gate.Concurrency} in flight");
                }
            }
            Assert.Equal(12, fetchers.Count);
        }
        finally
        {
            foreach (var fetcher in fetchers.Values) fetcher.Dispose();
        }
    }
}
