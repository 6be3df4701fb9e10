using BibTool.Identifiers;
using BibTool.Sources.Arxiv;
using BibTool.Tests.Support;

namespace BibTool.Tests;

public class ArxivSourceTests
{
    private static Identifier Arxiv(string id) => IdentifierParser.Parse("arXiv:" + id);

    [Fact]
    public void DefaultsFollowArxivsTerms()
    {
        var source = new ArxivSource(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9") }, "bibtool/test");
        Assert.Equal(TimeSpan.FromSeconds(3), source.MinInterval);
        Assert.Equal(100, source.BatchSize);
    }

    [Fact]
    public async Task RecordedBatchWithOneAbsentId()
    {
        await using var server = new LoopbackServer(FixtureReplay.Arxiv());
        var results = await Clients.Arxiv(server).FetchAsync([Arxiv("0808.05394"), Arxiv("1707.08567")], null, default);

        var request = Assert.Single(server.Requests);
        Assert.Equal("0808.05394,1707.08567", request.QueryValue("id_list"));
        Assert.Equal("2", request.QueryValue("max_results"));

        var present = results.Single(r => r.Identifier.Value == "1707.08567");
        Assert.Null(present.Error);
        var record = Assert.Single(present.Records).Record;
        Assert.Equal("entry", record.Extra["excerpt"]);
        // The stored entry is a byte-exact slice of the recorded feed.
        var feed = File.ReadAllBytes(TestPaths.Fixture("arxiv", "current-format-2026", "id_0808.05394,1707.08567.atom.xml"));
        Assert.True(feed.AsSpan().IndexOf(record.Body) > 0);
        Assert.StartsWith("<entry>", record.BodyText);
        Assert.EndsWith("</entry>", record.BodyText);

        var absent = results.Single(r => r.Identifier.Value == "0808.05394");
        Assert.Equal("not found at arXiv (no entry in the answer)", absent.Error);
        Assert.True(Assert.Single(absent.Records).Record.IsNotFound);
    }

    [Theory]
    [InlineData("astro-ph/0601001")]
    [InlineData("1605.08386")]
    [InlineData("math/9501234")]
    [InlineData("1710.08557")]
    public async Task RecordedSingleIdsIncludingOldStyleAndLegacyFormat(string id)
    {
        await using var server = new LoopbackServer(FixtureReplay.Arxiv());
        var result = Assert.Single(await Clients.Arxiv(server).FetchAsync([Arxiv(id)], null, default));
        Assert.Null(result.Error);
        var work = ArxivMapper.Map("arxiv:" + id, ArxivSource.ParseStoredEntry(result.Records[0].Record.Body));
        Assert.Equal(id, work.Eprint!.Id);
        Assert.Equal(id, Assert.Single(server.Requests).QueryValue("id_list"));
    }

    [Fact]
    public async Task EmptyAnswerIsTriedOnceMoreThenStoredAsAbsent()
    {
        await using var server = new LoopbackServer(FixtureReplay.Arxiv());
        var result = Assert.Single(await Clients.Arxiv(server).FetchAsync([Arxiv("0808.05394")], null, default));
        Assert.Equal(2, server.Requests.Count);
        Assert.True(result.Records[0].Record.IsNotFound);
    }

    [Fact]
    public async Task MalformedIdIsReportedAndTheRestAskedAgain()
    {
        // The recorded HTTP 400 error feed for id "abc" answers any request naming abc; other
        // requests get the recorded feed for 1605.08386.
        var error = FixtureReplay.Load(TestPaths.Fixture("arxiv", "current-format-2026", "id_abc_error-400.atom.xml"));
        var single = FixtureReplay.Load(TestPaths.Fixture("arxiv", "current-format-2026", "id_1605.08386.atom.xml"));
        await using var server = new LoopbackServer(r => (r.QueryValue("id_list") ?? "").Contains("abc")
            ? FixtureReplay.ToReply(error) : FixtureReplay.ToReply(single));
        var bad = new Identifier(IdentifierType.Arxiv, "abc", "abc");
        var results = await Clients.Arxiv(server).FetchAsync([bad, Arxiv("1605.08386")], null, default);
        Assert.Equal("arXiv rejected the id: incorrect id format for abc", results.Single(r => r.Identifier == bad).Error);
        Assert.Empty(results.Single(r => r.Identifier == bad).Records);
        Assert.Null(results.Single(r => r.Identifier.Value == "1605.08386").Error);
        Assert.Equal(["abc,1605.08386", "1605.08386"], server.Requests.Select(r => r.QueryValue("id_list")));
    }

    [Fact]
    public async Task BatchesArePacedOneAtATime()
    {
        // SYNTHETIC feeds (Synthetic.Arxiv): 250 ids, more than the recordings hold.
        await using var server = new LoopbackServer(Synthetic.Arxiv());
        var ids = Enumerable.Range(1, 250).Select(i => Arxiv($"2401.{i:D5}")).ToList();
        var interval = TimeSpan.FromMilliseconds(400);
        var results = await Clients.Arxiv(server, interval).FetchAsync(ids, null, default);

        Assert.All(results, r => Assert.Null(r.Error));
        Assert.Equal(250, results.Select(r => r.Identifier).Distinct().Count());
        var requests = server.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(["100", "100", "50"], requests.Select(r => r.QueryValue("max_results")));
        Assert.Equal([100, 100, 50], requests.Select(r => r.QueryValue("id_list")!.Split(',').Length));
        Assert.Equal(1, server.MaxInFlight);
        foreach (var (a, b) in requests.Zip(requests.Skip(1)))
            Assert.True(b.Arrived - a.Arrived >= interval - TimeSpan.FromMilliseconds(5), $"{(b.Arrived - a.Arrived).TotalMilliseconds} ms apart");
    }

    [Fact]
    public async Task TruncatedFeedIsRetried()
    {
        var calls = 0;
        await using var server = new LoopbackServer(r =>
        {
            var reply = Synthetic.Arxiv()(r);
            return Interlocked.Increment(ref calls) == 1 ? new Reply { Body = reply.Body, TruncateAt = reply.Body.Length - 40 } : reply;
        });
        var result = Assert.Single(await Clients.Arxiv(server).FetchAsync([Arxiv("2402.12749")], null, default));
        Assert.Null(result.Error);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task AFeedCutShortWithWholeFramingIsRetried()
    {
        // A 200 whose Content-Length matches a body that stops mid-feed (a proxy's cut copy): asked again.
        var calls = 0;
        await using var server = new LoopbackServer(r =>
        {
            var reply = Synthetic.Arxiv()(r);
            return Interlocked.Increment(ref calls) == 1 ? new Reply { Body = reply.Body[..(reply.Body.Length - 40)], Headers = reply.Headers } : reply;
        });
        var result = Assert.Single(await Clients.Arxiv(server).FetchAsync([Arxiv("2402.12749")], null, default));
        Assert.Null(result.Error);
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    // Synthetic feeds, refused for what they say: the same answer would come again, so it is asked once.
    [InlineData("dtd")]
    [InlineData("invalid-utf8")]
    public async Task AnAnswerRefusedForItsContentIsAskedOnce(string kind)
    {
        await using var server = new LoopbackServer(r =>
        {
            var reply = Synthetic.Arxiv()(r);
            var text = System.Text.Encoding.UTF8.GetString(reply.Body);
            var body = kind == "dtd"
                ? System.Text.Encoding.UTF8.GetBytes(text.Replace("<feed", "<!DOCTYPE feed [<!ENTITY boom \"boom\">]>\n<feed", StringComparison.Ordinal))
                : [.. reply.Body[..200], 0xC3, 0x28, .. reply.Body[200..]];
            return new Reply { Body = body, Headers = reply.Headers };
        });
        var result = Assert.Single(await Clients.Arxiv(server).FetchAsync([Arxiv("2402.12749")], null, default));
        Assert.NotNull(result.Error);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task VersionedIdsFetchThatVersionAsTheWork()
    {
        await using var server = new LoopbackServer(Synthetic.Arxiv());
        var id = IdentifierParser.Parse("https://arxiv.org/abs/2305.10415v6");
        var result = Assert.Single(await Clients.Arxiv(server).FetchAsync([id], null, default));
        Assert.Null(result.Error);
        Assert.Equal("2305.10415v6", Assert.Single(server.Requests).QueryValue("id_list"));
        Assert.Equal("arxiv:2305.10415", result.Records[0].Id.WorkKey);
    }
}
