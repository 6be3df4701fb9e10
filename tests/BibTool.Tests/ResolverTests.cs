using BibTool.Identifiers;
using BibTool.Resolve;
using BibTool.Store;
using BibTool.Tests.Support;

namespace BibTool.Tests;

public class ResolverTests
{
    private static Identifier Id(string text) => IdentifierParser.Parse(text);

    /// <summary>The most requests that arrived within any window of the given length.</summary>
    public static int MostInAnyWindow(IReadOnlyList<RecordedRequest> requests, TimeSpan window)
    {
        var times = requests.Select(r => r.Arrived).Order().ToList();
        var most = 0;
        for (int start = 0, end = 0; end < times.Count; end++)
        {
            while (times[end] - times[start] >= window) start++;
            most = Math.Max(most, end - start + 1);
        }
        return most;
    }

    [Fact]
    public async Task StoreFirstThenFetchThenNothing()
    {
        using var temp = TestPaths.TempDir();
        await using var crossref = new LoopbackServer(FixtureReplay.Crossref());
        await using var arxiv = new LoopbackServer(FixtureReplay.Arxiv());
        var store = new MetadataStore(temp.Path);
        var ids = new[]
        {
            Id("doi:10.1038/srep16696"), Id("doi:10.26434/chemrxiv.5406907"), Id("doi:10.1371/notarealdoi"),
            Id("arXiv:1605.08386"), Id("https://doi.org/10.1038/SREP16696"), Id("https://example.org/landing"),
        };

        var first = await Clients.Resolver(store, Clients.Crossref(crossref), Clients.Arxiv(arxiv)).ResolveAsync(ids, offline: false);
        Assert.Equal(5, first.Resolutions.Count);
        // The landing page has sources (the page, a title search), but none was given to this resolver.
        Assert.Equal([Outcome.Fetched, Outcome.Fetched, Outcome.NotFound, Outcome.Fetched, Outcome.Failed], first.Resolutions.Select(r => r.Outcome));
        Assert.StartsWith("no client for the landing page or the Crossref title search or the arXiv title search", first.Resolutions[4].Message);
        Assert.False(first.Complete);
        Assert.Equal(5, crossref.Requests.Count + arxiv.Requests.Count);

        var second = await Clients.Resolver(store, Clients.Crossref(crossref), Clients.Arxiv(arxiv)).ResolveAsync(ids, offline: false);
        Assert.Equal([Outcome.Cached, Outcome.Cached, Outcome.NotFound, Outcome.Cached, Outcome.Failed], second.Resolutions.Select(r => r.Outcome));
        Assert.Equal(0, second.Requests);
        Assert.Equal(5, crossref.Requests.Count + arxiv.Requests.Count);

        var library = new WorkLibrary(store);
        Assert.Equal("Binding Modes of Ligands Using Enhanced Sampling (BLUES): Rapid Decorrelation of Ligand Binding Modes Using Nonequilibrium Candidate Monte Carlo",
            library.Find(Id("doi:10.26434/chemrxiv.5406907"))!.Title!.Plain);
        Assert.Null(library.Find(Id("doi:10.1371/notarealdoi")));
        Assert.Equal("1605.08386", library.Find(Id("arXiv:1605.08386"))!.Eprint!.Id);
    }

    [Fact]
    public async Task OfflineUsesTheStoreAloneAndSaysWhatIsMissing()
    {
        using var temp = TestPaths.TempDir();
        var store = new MetadataStore(temp.Path);
        await using var crossref = new LoopbackServer(FixtureReplay.Crossref());
        await Clients.Resolver(store, Clients.Crossref(crossref), null).ResolveAsync([Id("doi:10.1038/srep16696")], offline: false);

        var report = await Clients.Resolver(store, (BibTool.Sources.Crossref.CrossrefSource?)null, null).ResolveAsync([Id("doi:10.1038/srep16696"), Id("doi:10.1038/ng.3834"), Id("arXiv:1605.08386")], offline: true);
        Assert.Equal([Outcome.Cached, Outcome.Missing, Outcome.Missing], report.Resolutions.Select(r => r.Outcome));
        Assert.Equal("not in the store (offline)", report.Resolutions[1].Message);
        Assert.Single(crossref.Requests);
    }

    [Fact]
    public async Task DamagedRecordIsReportedAndFetchedAgain()
    {
        using var temp = TestPaths.TempDir();
        var store = new MetadataStore(temp.Path);
        await using var crossref = new LoopbackServer(FixtureReplay.Crossref());
        var id = Id("doi:10.1038/srep16696");
        await Clients.Resolver(store, Clients.Crossref(crossref), null).ResolveAsync([id], offline: false);
        var path = store.PathFor(id);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..1000]);

        var resolver = Clients.Resolver(store, Clients.Crossref(crossref), null);
        var problems = new List<string>();
        resolver.Damaged += problems.Add;
        var report = await resolver.ResolveAsync([id], offline: false);
        Assert.Equal(Outcome.Fetched, Assert.Single(report.Resolutions).Outcome);
        Assert.Contains("damaged record (body is", Assert.Single(problems));
        Assert.Equal(2, crossref.Requests.Count);
        Assert.NotNull(new WorkLibrary(store).Find(id));
    }

    [Fact]
    public async Task CrossrefConcurrencyAndRateStayWithinTheAdvertisedLimits()
    {
        // SYNTHETIC responder advertising the 2026 polite limits (10 per second, 3 in flight), 50 ms per answer.
        using var temp = TestPaths.TempDir();
        await using var server = new LoopbackServer(Synthetic.Crossref(limit: 10, concurrency: 3, latency: TimeSpan.FromMilliseconds(50)));
        var ids = Enumerable.Range(0, 32).Select(i => Id($"doi:10.5555/synthetic.{i}")).ToList();
        var report = await Clients.Resolver(new MetadataStore(temp.Path), Clients.Crossref(server), null).ResolveAsync(ids, offline: false);

        Assert.True(report.Complete);
        Assert.Equal(32, server.Requests.Count);
        Assert.Equal(32, server.Requests.Select(r => r.Path).Distinct().Count());
        Assert.Equal(3, server.MaxInFlight);
        // Arrival times carry the test machine's scheduling jitter: a 50 ms allowance keeps this about the limiter.
        Assert.True(MostInAnyWindow(server.Requests, TimeSpan.FromMilliseconds(950)) <= 10);
    }

    [Fact]
    public async Task LimitsAdaptWhenTheHeadersChange()
    {
        // SYNTHETIC: the first 6 answers advertise 10/s with 3 in flight, later ones 4/s with 1.
        using var temp = TestPaths.TempDir();
        var count = 0;
        var tightenedAt = DateTime.MaxValue;
        await using var server = new LoopbackServer(r =>
        {
            var n = Interlocked.Increment(ref count);
            if (n == 7) tightenedAt = DateTime.UtcNow;
            var doi = Uri.UnescapeDataString(r.Path["/works/".Length..]);
            return new Reply { Body = Synthetic.CrossrefWork(doi), Headers = n <= 6 ? Synthetic.CrossrefHeaders(10, 3) : Synthetic.CrossrefHeaders(4, 1), Delay = TimeSpan.FromMilliseconds(20) };
        });
        var ids = Enumerable.Range(0, 20).Select(i => Id($"doi:10.5555/adapt.{i}")).ToList();
        var crossref = Clients.Crossref(server);
        var report = await Clients.Resolver(new MetadataStore(temp.Path), crossref, null).ResolveAsync(ids, offline: false);
        Assert.True(report.Complete);
        Assert.Equal((4, 1), (crossref.Gate.Limit, crossref.Gate.Concurrency));
        // A request admitted before the new limits arrived may still land just after; from the
        // next second on, the new limit holds.
        var late = server.Requests.Where(r => r.Arrived > tightenedAt.AddSeconds(1.1)).ToList();
        Assert.NotEmpty(late);
        Assert.True(MostInAnyWindow(late, TimeSpan.FromMilliseconds(950)) <= 4);
    }

    [Fact]
    public async Task ArxivBatchesRunWhileCrossrefIsBusy()
    {
        using var temp = TestPaths.TempDir();
        await using var crossref = new LoopbackServer(Synthetic.Crossref(limit: 5, concurrency: 1, latency: TimeSpan.FromMilliseconds(30)));
        await using var arxiv = new LoopbackServer(Synthetic.Arxiv());
        var ids = Enumerable.Range(0, 10).Select(i => Id($"doi:10.5555/busy.{i}"))
            .Concat(Enumerable.Range(1, 3).Select(i => Id($"arXiv:2401.0000{i}"))).ToList();
        var report = await Clients.Resolver(new MetadataStore(temp.Path), Clients.Crossref(crossref), Clients.Arxiv(arxiv)).ResolveAsync(ids, offline: false);
        Assert.True(report.Complete);
        Assert.Single(arxiv.Requests);
        Assert.True(arxiv.Requests[0].Arrived < crossref.Requests.Max(r => r.Arrived), "arXiv did not wait for Crossref to finish");
    }
}

public class EarlySettlingTests
{
    [Fact]
    public async Task AWorkSettlesWhenItsAnswerIsInNotWhenTheSlowestSourceIsDone()
    {
        // arXiv is held until the Crossref work has settled; the recorded answers are replayed.
        using var temp = TestPaths.TempDir();
        var crossrefSettled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arxivReplay = FixtureReplay.Arxiv();
        await using var crossref = new LoopbackServer(FixtureReplay.Crossref());
        var arxivAnswered = false;
        await using var arxiv = new LoopbackServer(async request =>
        {
            // Never longer than 10 s: a resolver that waits for the round fails below instead of hanging.
            await Task.WhenAny(crossrefSettled.Task, Task.Delay(TimeSpan.FromSeconds(10)));
            arxivAnswered = true;
            return arxivReplay(request);
        });
        var resolver = Clients.Resolver(new MetadataStore(temp.Path), Clients.Crossref(crossref), Clients.Arxiv(arxiv));
        var order = new List<string>();
        bool? arxivAnsweredBeforeCrossrefSettled = null;
        resolver.Settled += r =>
        {
            lock (order) order.Add(r.Identifier.Value);
            if (r.Identifier.Value != "10.1038/srep16696") return;
            arxivAnsweredBeforeCrossrefSettled = arxivAnswered;
            crossrefSettled.TrySetResult();
        };
        var report = await resolver.ResolveAsync([IdentifierParser.Parse("doi:10.1038/srep16696"), IdentifierParser.Parse("arXiv:1605.08386")], offline: false);
        Assert.Equal(["10.1038/srep16696", "1605.08386"], order);
        Assert.All(report.Resolutions, r => Assert.Equal(Outcome.Fetched, r.Outcome));
        Assert.False(arxivAnsweredBeforeCrossrefSettled);
    }
}
