using BibTool.Identifiers;
using BibTool.Resolve;
using BibTool.Sources;
using BibTool.Sources.Crossref;
using BibTool.Store;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>
/// One bad record never poisons a bibliography: a stored answer of the wrong shape (SYNTHETIC
/// bodies, hostile on purpose) is reported for its work, fetched again on the next run, and every
/// other work is exported meanwhile.
/// </summary>
public class RecordHardeningTests
{
    private static StoredRecord Crossref(Identifier id, string body) =>
        Records.Make("crossref", id, "https://api.crossref.org/works/x", 200, "application/json", System.Text.Encoding.UTF8.GetBytes(body), "bibtool/test");

    public static TheoryData<string> BadBodies => new()
    {
        "[]",
        "null",
        "\"x\"",
        """{"message":{"title":"not a list","author":"nobody","institution":{"name":1},"relation":[],"updated-by":{"type":"retraction"},"issued":[2020]}}""",
        """{"message":{"title":["ok"],"author":[1,"x",null,{"family":["list"]}],"ISSN":"1234-5678","page":{"a":1}}}""",
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public void AWrongShapeReadsAsAbsentFieldsOrADamagedRecordNeverAnException(string body)
    {
        using var temp = TestPaths.TempDir();
        var store = new MetadataStore(temp.Path);
        var bad = IdentifierParser.Parse("doi:10.1234/bad");
        store.Write(bad, Crossref(bad, body));
        var (work, problem) = new WorkLibrary(store).Lookup(bad);
        // Either the fields of the wrong type are simply absent, or the record is called unreadable.
        Assert.True(work is not null || problem!.Contains("stored answer cannot be read"), problem);
        if (body.StartsWith('{')) Assert.NotNull(work);
    }

    [Fact]
    public async Task AnUnreadableRecordIsFetchedAgainAndTheExportGoesOn()
    {
        using var temp = TestPaths.TempDir();
        var store = new MetadataStore(temp.Path);
        var bad = IdentifierParser.Parse("doi:10.1234/bad");
        var good = IdentifierParser.Parse("doi:10.1234/good");
        store.Write(bad, Crossref(bad, "[]"));
        store.Write(good, Crossref(good, System.Text.Encoding.UTF8.GetString(Synthetic.CrossrefWork("10.1234/good"))));
        File.WriteAllText(temp.File("s.md"), "| Name | Paper |\n|---|---|\n| Bad | [p](https://doi.org/10.1234/bad) |\n| Good | [p](https://doi.org/10.1234/good) |\n");

        // Offline: the good work is exported, the bad one written from the survey with a warning naming it.
        var offline = await CliRunner.RunAsync("export", temp.File("s.md"), "--format", "bibtex", "--cache", temp.Path, "--offline");
        Assert.Equal(0, offline.ExitCode);
        Assert.Contains("Synthetic study of 10.1234/good", offline.Stdout);
        Assert.Contains("doi:10.1234/bad not resolved (", offline.Stderr);
        Assert.Contains("stored answer cannot be read", offline.Stderr);
        Assert.Equal(1, (await CliRunner.RunAsync("export", temp.File("s.md"), "--format", "bibtex", "--cache", temp.Path, "--offline", "--strict")).ExitCode);

        // Online: the damaged record is reported and fetched again; the sound one is not.
        await using var crossref = new LoopbackServer(Synthetic.Crossref());
        var report = await Clients.Resolver(store, Clients.Crossref(crossref), null).ResolveAsync([bad, good], offline: false);
        Assert.Equal([Outcome.Fetched, Outcome.Cached], report.Resolutions.Select(r => r.Outcome));
        Assert.Equal("/works/10.1234%2Fbad", Assert.Single(crossref.Requests).Path);
        Assert.NotNull(new WorkLibrary(store).Find(bad));
    }

    [Theory]
    [InlineData("doi:.")]
    [InlineData("doi:..")]
    [InlineData("https://doi.org/10.1234/../../tmp/x")]
    [InlineData("https://doi.org/10.1234/./")]
    [InlineData("doi:10.1234/")]
    [InlineData("doi:10.12/short-registrant")]
    public void MalformedDoisAreNoIdentifier(string link) => Assert.Equal(IdentifierType.None, IdentifierParser.Parse(link).Type);

    [Theory]
    [InlineData("doi:10.1234/a..b", "10.1234/a..b")]
    [InlineData("doi:10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0", "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0")]
    public void OddButValidDoisStay(string link, string value) => Assert.Equal(value, IdentifierParser.Parse(link).Value);

    [Theory]
    [InlineData("1e300s", 3600.0)]
    [InlineData("Infinity", null)]
    [InlineData("NaN", null)]
    [InlineData("-5s", null)]
    [InlineData("0.001ms", 0.1)]
    [InlineData("1s", 1.0)]
    public void RateLimitIntervalsAreClamped(string header, double? seconds) =>
        Assert.Equal(seconds, CrossrefSource.ParseInterval(header)?.TotalSeconds);

    [Fact]
    public async Task AnArxivEntryInsideACommentOrCdataIsNotTakenForTheRealOne()
    {
        using var temp = TestPaths.TempDir();
        // SYNTHETIC feed: a decoy entry in a comment, and CDATA holding "</entry>" inside the real one.
        var feed = System.Text.Encoding.UTF8.GetString(Synthetic.ArxivFeed(["2401.00001"]))
            .Replace("<title>arXiv Query: synthetic</title>", "<title>arXiv Query: synthetic</title><!-- <entry><id>http://arxiv.org/abs/2401.00001v1</id><title>Decoy</title></entry> -->")
            .Replace("<summary>A synthetic abstract for 2401.00001.</summary>", "<summary><![CDATA[An abstract with </entry> in it.]]></summary>");
        await using var arxiv = new LoopbackServer(_ => new Reply { Body = System.Text.Encoding.UTF8.GetBytes(feed), Headers = [("Content-Type", "application/atom+xml")] });
        var store = new MetadataStore(temp.Path);
        var id = IdentifierParser.Parse("arXiv:2401.00001");
        var report = await Clients.Resolver(store, null, Clients.Arxiv(arxiv)).ResolveAsync([id], offline: false);
        Assert.Equal(Outcome.Fetched, Assert.Single(report.Resolutions).Outcome);
        var work = new WorkLibrary(store).Find(id)!;
        Assert.Equal("Synthetic preprint 2401.00001", work.Title!.Plain);
        // The abstract is arXiv's plain text: its "</entry>" is kept as text.
        Assert.Equal("An abstract with </entry> in it.", work.Abstract!.Plain);
        var stored = store.Read(id)!.BodyText;
        Assert.DoesNotContain("Decoy", stored);
        Assert.Contains("<![CDATA[An abstract with </entry> in it.]]>", stored);
        Assert.EndsWith("</entry>", stored);
    }

    [Fact]
    public async Task TheHttpStackNeverResendsARequestBehindTheGatesBack()
    {
        // SYNTHETIC server: the second request is answered with a reset. On a reused keep-alive
        // connection .NET would send it again by itself, unseen by the gate; every request the
        // server sees must be one the client counted.
        var calls = 0;
        await using var server = new LoopbackServer(_ => Interlocked.Increment(ref calls) == 2 ? new Reply { Reset = true, Delay = TimeSpan.FromMilliseconds(50) } : Reply.Text(200, "ok"));
        var http = new BibTool.Http.PoliteClient(new BibTool.Http.HttpPolicy
        {
            Service = "test", Admission = new BibTool.Http.RateGate(100, TimeSpan.FromSeconds(1), concurrency: 1), Retry = Clients.FastRetry,
        }, Clients.Http(server));
        for (var i = 0; i < 3; i++)
        {
            var (answer, error, _) = await http.SendAsync(token => http.Client.GetAsync($"/{i}", token), default);
            Assert.True(answer is not null, error);
        }
        Assert.Equal(server.Requests.Count, http.RequestsMade);
        Assert.Equal(4, http.RequestsMade);
    }

    [Fact]
    public async Task EveryRetryPassesTheRateGateAndBodiesAreCapped()
    {
        // SYNTHETIC server: 503 twice, then an answer larger than the cap, then a small one.
        var calls = 0;
        await using var server = new LoopbackServer(_ => Interlocked.Increment(ref calls) switch
        {
            <= 2 => Reply.Text(503, "busy"),
            3 => new Reply { Body = new byte[2048], Headers = [("Content-Type", "application/octet-stream")] },
            _ => Reply.Text(200, "ok"),
        });
        var gate = new BibTool.Http.RateGate(1, TimeSpan.FromMilliseconds(400), concurrency: 1);
        var http = new BibTool.Http.PoliteClient(new BibTool.Http.HttpPolicy
        {
            Service = "test", Admission = gate, Retry = Clients.FastRetry, MaxBytes = 1024, AttemptTimeout = TimeSpan.FromSeconds(5),
        }, Clients.Http(server));
        var (answer, error, attempts) = await http.SendAsync(token => http.Client.GetAsync("/x", token), default);
        Assert.Null(answer);
        Assert.Equal("the answer from test is larger than 1024 bytes", error);
        Assert.Equal(3, attempts);
        var arrivals = server.Requests.Select(r => r.Arrived).ToList();
        // The retry delays are 20–160 ms, but the gate admits one request per 400 ms.
        for (var i = 1; i < arrivals.Count; i++) Assert.True(arrivals[i] - arrivals[i - 1] >= TimeSpan.FromMilliseconds(380), $"{(arrivals[i] - arrivals[i - 1]).TotalMilliseconds} ms");
        var second = await http.SendAsync(token => http.Client.GetAsync("/y", token), default);
        Assert.Equal("ok", System.Text.Encoding.UTF8.GetString(second.Answer!.Body));
        Assert.Equal(4, http.RequestsMade);
    }
}

/// <summary>
/// End to end against a hostile Crossref (SYNTHETIC answers, one kind of wrongness per DOI):
/// resolve and every export finish with a documented exit code, one line per problem, and every
/// sound work is written.
/// </summary>
public class HostileServerTests
{
    private static readonly string[] Bodies =
    [
        "[]", "null", "\"x\"", "{}", "{\"message\":[]}",
        """{"message":{"title":[1,{"a":2}],"author":"nobody","issued":{"date-parts":"2020"},"ISSN":[{"x":1}],"relation":[],"updated-by":{}}}""",
        """{"message":{"title":["Lone \ud800 surrogate \\input{/tmp/m} {"],"author":[{"family":"A}, note={x","given":"\u0000"}]}}""",
        "{\"message\":{\"title\":[\"cut short",
        "\u00ff\u00fe not utf-8",
    ];

    [Fact]
    public async Task HostileAnswersNeverCrashAnExport()
    {
        using var temp = TestPaths.TempDir();
        var survey = new System.Text.StringBuilder("| Name | Paper |\n|---|---|\n");
        for (var i = 0; i < Bodies.Length; i++) survey.Append($"| Bad{i} | [p](https://doi.org/10.1234/bad{i}) |\n");
        survey.Append("| Good | [p](https://doi.org/10.1234/good) |\n");
        File.WriteAllText(temp.File("s.md"), survey.ToString());
        await using var crossref = new LoopbackServer(request =>
        {
            var doi = Uri.UnescapeDataString(request.Path["/works/".Length..]);
            if (doi == "10.1234/good") return new Reply { Body = Synthetic.CrossrefWork(doi), Headers = Synthetic.CrossrefHeaders(50, 5) };
            var index = int.Parse(doi["10.1234/bad".Length..]);
            var bytes = index == Bodies.Length - 1 ? [0xff, 0xfe, 0x20, 0x6e] : System.Text.Encoding.UTF8.GetBytes(Bodies[index]);
            return new Reply { Body = bytes, Headers = Synthetic.CrossrefHeaders(50, 5) };
        });
        string[] network = ["--cache", temp.File("store"), "--crossref-url", crossref.BaseUrl, "--mailto", "ci@example.org", .. Synthetic.OtherSourceArgs(Synthetic.Others)];
        var resolve = await CliRunner.RunAsync(["resolve", temp.File("s.md"), .. network, "--quiet", "--timeout", "2"]).WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Contains(resolve.ExitCode, new[] { 0, 1 });
        Assert.DoesNotContain("internal error", resolve.Stderr);
        foreach (var format in BibTool.Export.Writers.Formats)
        {
            var export = await CliRunner.RunAsync(["export", temp.File("s.md"), "--format", format, "--offline", "--cache", temp.File("store")]).WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(export.ExitCode == 0, $"{format}: {export.Stderr}");
            Assert.DoesNotContain("internal error", export.Stderr);
            Assert.Contains("Synthetic study of 10.1234/good", export.Stdout);
            if (format is "bibtex" or "biblatex") Assert.DoesNotContain("\\input", export.Stdout);
        }
    }
}
