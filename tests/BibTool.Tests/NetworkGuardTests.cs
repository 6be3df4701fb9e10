using System.Diagnostics;
using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Resolve;
using BibTool.Sources.Crossref;

namespace BibTool.Tests;

public class NetworkGuardTests
{
    [Fact]
    public async Task AClientAimedAtTheRealServiceFailsFast()
    {
        // The defaults point at the real Crossref; in tests every such request must be refused at once.
        var client = HttpSetup.CreateClient("https://api.crossref.org", "bibtool/test", TimeSpan.FromSeconds(5));
        var source = new CrossrefSource(client, null, "bibtool/test", Support.Clients.FastRetry);
        var clock = Stopwatch.StartNew();
        var result = await source.FetchAsync(IdentifierParser.Parse("doi:10.1038/srep16696"), default);
        Assert.NotNull(result.Error);
        Assert.Empty(result.Records);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }
}
