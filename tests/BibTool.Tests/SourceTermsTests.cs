using BibTool.Resolve;
using BibTool.Sources;

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
}
