using System.Diagnostics;
using BibTool.Identifiers;
using BibTool.Tests.Support;

namespace BibTool.Tests;

public class CrossrefSourceTests
{
    private static Identifier Doi(string doi) => IdentifierParser.Parse("doi:" + doi);

    [Fact]
    public async Task RecordedWorkIsStoredAsReceivedWithPolitePoolParameters()
    {
        await using var server = new LoopbackServer(FixtureReplay.Crossref());
        var source = Clients.Crossref(server, mailto: "someone@example.org");
        var result = await source.FetchAsync(Doi("10.1016/j.neurobiolaging.2010.03.024"), default);

        Assert.Null(result.Error);
        var (id, record) = Assert.Single(result.Records);
        Assert.Equal("doi:10.1016/j.neurobiolaging.2010.03.024", id.WorkKey);
        Assert.Equal(200, record.Status);
        Assert.Equal(File.ReadAllBytes(TestPaths.Fixture("crossref", "works", "10.1016%2Fj.neurobiolaging.2010.03.024.json")), record.Body);
        Assert.StartsWith("application/json", record.ContentType);
        Assert.StartsWith(server.BaseUrl + "/works/10.1016%2Fj.neurobiolaging.2010.03.024", record.Url);

        var request = Assert.Single(server.Requests);
        Assert.Equal("someone@example.org", request.QueryValue("mailto"));
        Assert.Matches(@"^bibtool/\d+\.\d+\.\d+ \(mailto:someone@example\.org\)$", request.Headers["User-Agent"]);
        // The recorded answer advertised the 2026 polite pool: 10 per second, 3 in flight.
        Assert.Equal((10, TimeSpan.FromSeconds(1), 3), (source.Gate.Limit, source.Gate.Interval, source.Gate.Concurrency));
    }

    [Fact]
    public async Task PublicPoolWithoutMailto()
    {
        await using var server = new LoopbackServer(FixtureReplay.Crossref());
        var source = Clients.Crossref(server, mailto: null);
        var result = await source.FetchAsync(Doi("10.1371/journal.pone.0033693"), default);
        Assert.Null(result.Error);
        var request = Assert.Single(server.Requests);
        Assert.Null(request.QueryValue("mailto"));
        Assert.DoesNotContain("mailto", request.Headers["User-Agent"]);
        Assert.Equal((5, 1), (source.Gate.Limit, source.Gate.Concurrency));
    }

    [Fact]
    public async Task NotFoundIsStoredAsANegativeAnswer()
    {
        await using var server = new LoopbackServer(FixtureReplay.Crossref());
        var result = await Clients.Crossref(server).FetchAsync(Doi("10.1371/notarealdoi"), default);
        var (_, record) = Assert.Single(result.Records);
        Assert.Equal(404, record.Status);
        Assert.True(record.IsNotFound);
        Assert.Equal("Resource not found.", record.BodyText);
        Assert.Equal("not found at Crossref (HTTP 404: Resource not found.)", result.Error);
    }

    [Fact]
    public async Task AliasIsFollowedAndStoredUnderBothDois()
    {
        await using var server = new LoopbackServer(FixtureReplay.Crossref());
        var result = await Clients.Crossref(server).FetchAsync(Doi("10.26434/chemrxiv.5406907"), default);
        Assert.Null(result.Error);
        Assert.Equal(2, result.Records.Count);
        var (aliasId, alias) = result.Records[0];
        Assert.Equal("doi:10.26434/chemrxiv.5406907", aliasId.WorkKey);
        Assert.Equal(301, alias.Status);
        Assert.Equal("doi:10.26434/chemrxiv.5406907.v5", alias.AliasOf);
        var (targetId, target) = result.Records[1];
        Assert.Equal("doi:10.26434/chemrxiv.5406907.v5", targetId.WorkKey);
        Assert.Equal(200, target.Status);
        Assert.Equal(["/works/10.26434%2Fchemrxiv.5406907", "/works/10.26434%2Fchemrxiv.5406907.v5"], server.Requests.Select(r => r.Path));
    }

    [Theory]
    [InlineData("10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v", "/works/10.1002%2F1096-9861%2820010212%29430%3A3%3C283%3A%3Aaid-cne1031%3E3.0.co%3B2-v")]
    [InlineData("10.1890/0012-9658(2006)87[2832:tiopma]2.0.co;2", "/works/10.1890%2F0012-9658%282006%2987%5B2832%3Atiopma%5D2.0.co%3B2")]
    [InlineData("10.1111/(issn)1442-9993", "/works/10.1111%2F%28issn%291442-9993")]
    public async Task SpecialCharacterDoisAreEscapedWhole(string doi, string path)
    {
        await using var server = new LoopbackServer(FixtureReplay.Crossref());
        var result = await Clients.Crossref(server).FetchAsync(Doi(doi), default);
        Assert.Null(result.Error);
        Assert.Equal(path, Assert.Single(server.Requests).Path);
    }

    /// <summary>Answers the first <paramref name="failures"/> requests with <paramref name="failure"/>, then replays the recordings.</summary>
    private static Func<RecordedRequest, Reply> FailingFirst(int failures, Func<Reply> failure)
    {
        var replay = FixtureReplay.Crossref();
        var count = 0;
        return request => Interlocked.Increment(ref count) <= failures ? failure() : replay(request);
    }

    public static TheoryData<string> Faults() => ["503", "500-recorded", "429", "reset", "truncated", "timeout"];

    private static Reply Fault(string kind, byte[] realBody) => kind switch
    {
        "503" => Reply.Text(503, "Service Unavailable"),
        // The recorded 500 body Crossref sends with an exception.
        "500-recorded" => FixtureReplay.ToReply(FixtureReplay.Load(TestPaths.Fixture("crossref", "errors", "works-500_cursor-5.json"))),
        // SYNTHETIC 429: no recording exists; the shape is the one quoted in API-NOTES (old HTML body).
        "429" => new Reply { Status = 429, Reason = "Too Many Requests", Body = "<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.\n</body></html>"u8.ToArray(), Headers = [("Content-Type", "text/html"), ("Retry-After", "1")] },
        "reset" => new Reply { Reset = true },
        "truncated" => new Reply { Body = realBody, TruncateAt = realBody.Length / 2, Headers = [("Content-Type", "application/json")] },
        "timeout" => new Reply { Body = realBody, Delay = TimeSpan.FromSeconds(6) },
        _ => throw new ArgumentException(kind),
    };

    [Fact]
    public async Task AWholeAnswerThatIsNotJsonIsRefusedOnce()
    {
        // A proxy's error page with status 200 (SYNTHETIC): whole, but not JSON. Asking again would get
        // the same page, so it is asked once, reported, and nothing is stored.
        await using var server = new LoopbackServer(_ => new Reply { Body = "<html>gateway</html>"u8.ToArray(), Headers = [("Content-Type", "text/html")] });
        var result = await Clients.Crossref(server).FetchAsync(Doi("10.1038/srep16696"), default);
        Assert.NotNull(result.Error);
        Assert.Empty(result.Records);
        Assert.Single(server.Requests);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task TransientFaultsAreRetried(string kind)
    {
        var real = File.ReadAllBytes(TestPaths.Fixture("crossref", "works", "10.1038%2Fsrep16696.json"));
        // Two failures, then the answer; a timeout only once, since two timed-out attempts use up the
        // request's deadline (twice the attempt timeout).
        var failures = kind == "timeout" ? 1 : 2;
        await using var server = new LoopbackServer(FailingFirst(failures, () => Fault(kind, real)));
        // Only the timeout case needs a short deadline; elsewhere a loaded machine must not look like a fault.
        var source = Clients.Crossref(server, timeout: kind == "timeout" ? TimeSpan.FromMilliseconds(1500) : TimeSpan.FromSeconds(20));
        var clock = Stopwatch.StartNew();
        var result = await source.FetchAsync(Doi("10.1038/srep16696"), default);
        Assert.Null(result.Error);
        Assert.Equal(real, Assert.Single(result.Records).Record.Body);
        Assert.Equal(failures + 1, result.Requests);
        Assert.Equal(failures + 1, server.Requests.Count);
        if (kind == "429") Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"Retry-After: 1 honoured twice, took {clock.Elapsed}");
    }

    [Fact]
    public async Task PersistentFailureGivesUpAfterTheBoundAndStoresNothing()
    {
        await using var server = new LoopbackServer(_ => Reply.Text(503, "down"));
        var result = await Clients.Crossref(server).FetchAsync(Doi("10.1038/srep16696"), default);
        Assert.Empty(result.Records);
        Assert.Equal("HTTP 503 from Crossref (gave up after 4 attempts)", result.Error);
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public void BackoffGrowsExponentiallyWithJitterAndHonoursRetryAfter()
    {
        var policy = new BibTool.Http.RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(1), Random = new Random(7) };
        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(policy.Delay(1).TotalMilliseconds, 100, 200);
            Assert.InRange(policy.Delay(2).TotalMilliseconds, 200, 400);
            Assert.InRange(policy.Delay(3).TotalMilliseconds, 400, 800);
            Assert.InRange(policy.Delay(6).TotalMilliseconds, 500, 1000);
        }
        var spread = Enumerable.Range(0, 50).Select(_ => policy.Delay(3)).Distinct().Count();
        Assert.True(spread > 40, "jitter spreads retries");
        Assert.Equal(TimeSpan.FromSeconds(1), policy.Delay(1, new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1))));
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(TimeSpan.FromMilliseconds(700), policy.Delay(1, new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddMilliseconds(700)), now));
        // A Retry-After beyond the cap is capped.
        Assert.Equal(TimeSpan.FromSeconds(1), policy.Delay(1, new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromHours(1))));
    }

    [Fact]
    public async Task RetriesReallyWait()
    {
        var times = new List<DateTime>();
        await using var server = new LoopbackServer(r => { lock (times) times.Add(DateTime.UtcNow); return Reply.Text(500, "x"); });
        var retry = new BibTool.Http.RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(200), MaxAttempts = 4 };
        await Clients.Crossref(server, retry: retry).FetchAsync(Doi("10.1/x"), default);
        Assert.Equal(4, times.Count);
        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToList();
        // Never sooner than half the exponential ceiling (a loaded machine may only make them later).
        Assert.True(gaps[0] >= 95 && gaps[1] >= 195 && gaps[2] >= 395, string.Join(", ", gaps));
    }

    [Fact]
    public async Task UnreachableServiceFailsFast()
    {
        // Nothing listens on this loopback port: connection refused, as for a machine without network.
        var source = new BibTool.Sources.Crossref.CrossrefSource(
            BibTool.Http.HttpSetup.CreateClient("http://127.0.0.1:9", "bibtool/test", TimeSpan.FromSeconds(2)), null, "bibtool/test");
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => source.FetchAsync(Doi($"10.1/{i}"), default)));
        Assert.All(results, r => Assert.NotNull(r.Error));
        Assert.Contains(results, r => r.Error!.StartsWith("Crossref is unreachable at http://127.0.0.1:9"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("1s", 1.0)]
    [InlineData("60s", 60.0)]
    [InlineData("1", 1.0)]
    [InlineData("500ms", 0.5)]
    [InlineData("1m", 60.0)]
    public void IntervalHeaderParses(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), BibTool.Sources.Crossref.CrossrefSource.ParseInterval(text));

    [Fact]
    public async Task OldHeaderSpellingIsRead()
    {
        // The June 2025 recordings carry only X-Ratelimit-*; this DOI's recorded answer is one of them.
        await using var server = new LoopbackServer(_ => new Reply
        {
            Body = File.ReadAllBytes(TestPaths.Fixture("crossref", "works", "10.1007%2F12080.1874-1746.json")),
            Headers = FixtureReplay.Load(TestPaths.Fixture("crossref", "works", "10.1007%2F12080.1874-1746.json")).Headers,
        });
        var headers = FixtureReplay.Load(TestPaths.Fixture("crossref", "works", "10.1007%2F12080.1874-1746.json")).Headers;
        Assert.Contains(headers, h => h.Name == "X-Ratelimit-Limit");
        var source = Clients.Crossref(server);
        await source.FetchAsync(Doi("10.1007/12080.1874-1746"), default);
        Assert.Equal(50, source.Gate.Limit);
    }
}
