using System.Diagnostics;
using BibTool.Store;
using BibTool.Identifiers;
using BibTool.Tests.Support;

namespace BibTool.Tests;

public class ResolveCommandTests
{
    // The seed survey's DOIs and arXiv ids were never recorded, so the seed is resolved against
    // SYNTHETIC responders (Synthetic.*), with generous limits to keep the test quick.
    private static (LoopbackServer Crossref, LoopbackServer Arxiv) SeedServers(TimeSpan? latency = null, int limit = 50, int concurrency = 5) =>
        (new LoopbackServer(Synthetic.Crossref(limit, concurrency, latency)), new LoopbackServer(Synthetic.Arxiv()));

    private static string[] Args(TempDir temp, LoopbackServer crossref, LoopbackServer arxiv, params string[] more) =>
        Args(temp, crossref, arxiv, Synthetic.Others, more);

    private static string[] Args(TempDir temp, LoopbackServer crossref, LoopbackServer arxiv, LoopbackServer others, params string[] more) =>
        ["resolve", TestPaths.SeedSurvey, "--cache", temp.Path, "--crossref-url", crossref.BaseUrl, "--arxiv-url", arxiv.BaseUrl, "--mailto", "ci@example.org",
            .. Synthetic.OtherSourceArgs(others), .. more];

    [Fact]
    public async Task SeedSurveyResolvesOnceThenNeverAgain()
    {
        using var temp = TestPaths.TempDir();
        var (crossref, arxiv) = SeedServers();
        await using var _ = crossref;
        await using var __ = arxiv;

        var first = await CliRunner.RunAsync(Args(temp, crossref, arxiv));
        Assert.Equal(0, first.ExitCode);
        // The first line says what will be done, per the source each work starts at (the survey's
        // identifiers, as list counts them: doi 86, one of them DataCite's, arxiv 19, url 12, pmcid 5,
        // openreview 2, pmid 1).
        var plan = first.Stderr.Split('\n')[0];
        Assert.StartsWith("resolving 125 works: 85 crossref, 19 arxiv, 12 landing, 5 ", plan);
        Assert.EndsWith(", 2 openreview, 1 datacite, 1 pubmed", plan);
        // 85 of the survey's 86 DOIs (10.24432/C5G59C is DataCite's), the 5 DOIs the PMCIDs convert
        // to, and the DOI the MDPI landing page names: each asked once.
        Assert.Equal(91, crossref.Requests.Count);
        Assert.Equal(91, crossref.Requests.Select(r => r.Path.ToLowerInvariant()).Distinct().Count());
        Assert.Equal(5, crossref.Requests.Count(r => r.Path.StartsWith("/works/10.5555%2Fpmc.", StringComparison.Ordinal)));
        var arxivRequest = Assert.Single(arxiv.Requests);
        Assert.Equal(19, arxivRequest.QueryValue("id_list")!.Split(',').Length);
        Assert.Equal("19", arxivRequest.QueryValue("max_results"));
        // Per answering source: 125 works, none built from the survey alone.
        Assert.Contains("crossref: 91 works: 0 cached, 91 fetched, 0 not found, 0 failed", first.Stderr);
        Assert.Contains("arxiv: 19 works: 0 cached, 19 fetched", first.Stderr);
        Assert.Contains("datacite: 2 works: 0 cached, 2 fetched", first.Stderr);
        Assert.Contains("landing: 10 works: 0 cached, 10 fetched", first.Stderr);
        Assert.Contains("openreview: 2 works: 0 cached, 2 fetched", first.Stderr);
        Assert.Contains("pubmed: 1 works: 0 cached, 1 fetched", first.Stderr);
        Assert.Contains("fetched doi:10.1038/s41586-023-06555-x (crossref)", first.Stderr);
        Assert.Contains("fetched pmcid:PMC6345440 (crossref, pmcid via pmc)", first.Stderr);
        Assert.Contains("fetched url:https://www.mdpi.com/2076-3417/11/14/6421 (crossref, landing page's DOI)", first.Stderr);
        var folders = Directory.GetFiles(temp.Path, "*.rec", SearchOption.AllDirectories)
            .GroupBy(f => Path.GetRelativePath(temp.Path, f).Split(Path.DirectorySeparatorChar)[0]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["arxiv"] = 19, ["crossref"] = 91, ["datacite"] = 2, ["landing"] = 12, ["openreview"] = 2, ["pmc"] = 5, ["pubmed"] = 1 }, folders);

        var second = await CliRunner.RunAsync(Args(temp, crossref, arxiv));
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(91, crossref.Requests.Count);
        Assert.Single(arxiv.Requests);
        Assert.Contains("crossref: 91 works: 91 cached, 0 fetched", second.Stderr);
        Assert.Contains("0 requests", second.Stderr);

        var offline = await CliRunner.RunAsync(["resolve", TestPaths.SeedSurvey, "--cache", temp.Path, "--offline"]);
        Assert.Equal(0, offline.ExitCode);
        Assert.Contains("arxiv: 19 works: 19 cached", offline.Stderr);
    }

    [Fact]
    public async Task FailuresAreListedWithReasonsAndExitOne()
    {
        using var temp = TestPaths.TempDir();
        await using var crossref = new LoopbackServer(Synthetic.Crossref(unknown: new HashSet<string> { "10.1145/3458754" }));
        await using var arxiv = new LoopbackServer(Synthetic.Arxiv(unknown: new HashSet<string> { "2311.16079" }));
        // Crossref's 404 passes the DOI on to DataCite, which does not know it either.
        await using var others = new LoopbackServer(Synthetic.OtherSources(unknownDois: new HashSet<string> { "10.1145/3458754" }));
        var result = await CliRunner.RunAsync(Args(temp, crossref, arxiv, others, "--table", "Language Models"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("2 not resolved:", result.Stderr);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        Assert.Contains($"  doi:10.1145/3458754: not found at Crossref (HTTP 404, {today}), nor at DataCite (HTTP 404, {today})", result.Stderr);
        Assert.Contains($"  arxiv:2311.16079: not found at arXiv (the answer had no entry for this id, {today})", result.Stderr);
        Assert.Single(others.Requests, r => r.Path == "/dois/10.1145%2F3458754");
        // The rest is stored, and so are the negative answers: a rerun asks nothing.
        var requests = crossref.Requests.Count + arxiv.Requests.Count + others.Requests.Count;
        var rerun = await CliRunner.RunAsync(Args(temp, crossref, arxiv, others, "--table", "Language Models"));
        Assert.Equal(1, rerun.ExitCode);
        Assert.Equal(requests, crossref.Requests.Count + arxiv.Requests.Count + others.Requests.Count);
    }

    [Fact]
    public async Task OfflineReportsWhatTheStoreLacks()
    {
        using var temp = TestPaths.TempDir();
        var result = await CliRunner.RunAsync(["resolve", TestPaths.SeedSurvey, "--cache", temp.Path, "--offline", "--table", "Genomics"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("crossref: 2 works: 0 cached, 0 fetched, 0 not found, 0 failed, 2 missing", result.Stderr);
        Assert.Contains("  doi:10.1038/nature15393: not in the store (offline)", result.Stderr);
    }

    [Theory]
    [InlineData("--crossref-url", "ftp://x", "bibtool: crossref-url 'ftp://x' is not an http(s) URL")]
    [InlineData("--mailto", "nobody", "bibtool: mailto 'nobody' is not an e-mail address")]
    [InlineData("--timeout", "soon", "bibtool: timeout 'soon' is not a positive number of seconds")]
    public async Task BadSettingsAreOneLine(string option, string value, string message)
    {
        var result = await CliRunner.RunAsync("resolve", TestPaths.SeedSurvey, option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message, result.Stderr.Trim());
    }

    [Fact]
    public async Task SettingsComeFromTheConfigFile()
    {
        using var temp = TestPaths.TempDir();
        await using var crossref = new LoopbackServer(Synthetic.Crossref());
        await using var arxiv = new LoopbackServer(Synthetic.Arxiv());
        var config = temp.File("bibtool.json");
        var others = Synthetic.Others.BaseUrl;
        File.WriteAllText(config, $$"""
            { "mailto": "config@example.org", "crossrefUrl": "{{crossref.BaseUrl}}", "arxivUrl": "{{arxiv.BaseUrl}}", "cache": "{{temp.File("store")}}",
              "dataciteUrl": "{{others}}", "ncbiUrl": "{{others}}", "openreviewUrl": "{{others}}", "landingGateway": "{{others}}" }
            """);
        var result = await CliRunner.RunAsync("resolve", TestPaths.SeedSurvey, "--config", config, "--table", "Other Models");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, crossref.Requests.Count);
        Assert.All(crossref.Requests, r => Assert.Equal("config@example.org", r.QueryValue("mailto")));
        Assert.True(File.Exists(new MetadataStore(temp.File("store")).PathFor(IdentifierParser.Parse("doi:10.1101/2024.01.14.575543"))));
    }

    [Fact]
    public async Task KilledMidRunThenRerunLosesNothing()
    {
        using var temp = TestPaths.TempDir();
        // SYNTHETIC responders; 150 ms per Crossref answer so the run is still going when killed.
        var (crossref, arxiv) = SeedServers(latency: TimeSpan.FromMilliseconds(150), limit: 20, concurrency: 3);
        await using var _ = crossref;
        await using var __ = arxiv;
        var bibtool = Path.Combine(AppContext.BaseDirectory, "bibtool.dll");
        var start = new ProcessStartInfo("dotnet", [bibtool, .. Args(temp, crossref, arxiv, "--quiet")])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        using (var process = Process.Start(start)!)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Directory.GetFiles(temp.Path, "*.rec", SearchOption.AllDirectories).Length < 20 && DateTime.UtcNow < deadline && !process.HasExited)
                await Task.Delay(20);
            Assert.False(process.HasExited, "the run finished before it could be killed");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        var stored = Directory.GetFiles(temp.Path, "*.rec", SearchOption.AllDirectories).Length;
        Assert.InRange(stored, 20, 131);
        var before = crossref.Requests.Count;

        var rerun = await CliRunner.RunAsync(Args(temp, crossref, arxiv, "--quiet"));
        Assert.Equal(0, rerun.ExitCode);
        Assert.Contains($"crossref: 91 works: ", rerun.Stderr);
        // Every work is asked for once, except the few that were in flight when the process died.
        var paths = crossref.Requests.Select(r => r.Path.ToLowerInvariant()).ToList();
        Assert.Equal(91, paths.Distinct().Count());
        Assert.InRange(paths.Count - 91, 0, 3);
        Assert.True(crossref.Requests.Count > before);
        foreach (var file in Directory.GetFiles(temp.Path, "*.rec", SearchOption.AllDirectories))
            Assert.Null(StoredRecordDamage(file));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp", SearchOption.AllDirectories));
    }

    private static string? StoredRecordDamage(string file)
    {
        StoredRecord.Parse(File.ReadAllBytes(file), out var damage);
        return damage;
    }
}

public class RefreshTests
{
    [Fact]
    public async Task RefreshFetchesAgainAndSaysWhatChanged()
    {
        // SYNTHETIC: the first answers lack page numbers and the preprint's journal version, the
        // later ones have them (what a refresh is for).
        using var temp = TestPaths.TempDir();
        var second = false;
        await using var crossref = new LoopbackServer(request =>
        {
            var doi = Uri.UnescapeDataString(request.Path["/works/".Length..]);
            var body = System.Text.Json.Nodes.JsonNode.Parse(Synthetic.CrossrefWork(doi))!;
            var message = body["message"]!.AsObject();
            if (!second) message.Remove("page");
            if (second && doi.EndsWith("575543")) message["updated-by"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"DOI":"10.5555/retraction","type":"retraction"}]""");
            return new Reply { Body = System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()), Headers = Synthetic.CrossrefHeaders(50, 5) };
        });
        await using var arxiv = new LoopbackServer(Synthetic.Arxiv());
        await using var others = new LoopbackServer(Synthetic.OtherSources());
        string[] args = ["resolve", TestPaths.SeedSurvey, "--table", "Other Models", "--cache", temp.Path, "--crossref-url", crossref.BaseUrl, "--arxiv-url", arxiv.BaseUrl,
            "--mailto", "ci@example.org", .. Synthetic.OtherSourceArgs(others)];

        Assert.Equal(0, (await CliRunner.RunAsync(args)).ExitCode);
        Assert.Equal(2, crossref.Requests.Count);
        Assert.Single(others.Requests, r => r.Path == "/notes");

        second = true;
        var refresh = await CliRunner.RunAsync([.. args, "--refresh"]);
        Assert.Equal(0, refresh.ExitCode);
        Assert.Equal(4, crossref.Requests.Count);
        // Every source is asked again, the OpenReview note too (it did not change).
        Assert.Equal(2, others.Requests.Count(r => r.Path == "/notes"));
        var lines = refresh.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("doi:10.1101/2024.01.14.575543: page: (none) → ", lines[0]);
        Assert.EndsWith("; note: (none) → Retracted (notice: doi:10.5555/retraction)", lines[0]);
        Assert.StartsWith("doi:10.1109/ISBI56570.2024.10635453: page: (none) → ", lines[1]);
        Assert.Contains("refresh: 2 of 3 works changed", refresh.Stderr);

        // The refreshed answers are the store now: a plain run asks nothing.
        Assert.Equal(0, (await CliRunner.RunAsync(args)).ExitCode);
        Assert.Equal(4, crossref.Requests.Count);
        Assert.Equal(2, (await CliRunner.RunAsync([.. args, "--refresh", "--offline"])).ExitCode);
    }
}

public class ExportResolvesOnlyItsRowsTests
{
    [Fact]
    public async Task ExportFetchesOnlyTheRowsItsPlaceFiltersKeep()
    {
        using var temp = TestPaths.TempDir();
        await using var crossref = new LoopbackServer(Synthetic.Crossref());
        await using var arxiv = new LoopbackServer(Synthetic.Arxiv());
        var result = await CliRunner.RunAsync("export", TestPaths.SeedSurvey, "--format", "ris", "--table", "Genomics", "--where", "year>=2000",
            "--cache", temp.Path, "--crossref-url", crossref.BaseUrl, "--arxiv-url", arxiv.BaseUrl, "--mailto", "ci@example.org");
        Assert.Equal(0, result.ExitCode);
        // The Genomics table's two DOIs (its third row is a PMCID, which has no source yet).
        Assert.Equal(["/works/10.1038%2Fnature15393", "/works/10.1038%2Fnature11247"], crossref.Requests.Select(r => r.Path).Order().Reverse());
        Assert.Empty(arxiv.Requests);
        // Synthetic years are 2020–2025, so both resolved works pass; the PMCID row has no year and does not.
        Assert.Equal(2, result.Stdout.Split("ER  - ").Length - 1);
    }
}

public class AliasRerunTests
{
    [Fact]
    public async Task AnAliasWhoseTargetIsMissingIsFetchedAgain()
    {
        using var temp = TestPaths.TempDir();
        File.WriteAllText(temp.File("s.md"), "| Name | Paper |\n|---|---|\n| BLUES | [p](https://doi.org/10.26434/chemrxiv.5406907) |\n");
        await using var crossref = new LoopbackServer(FixtureReplay.Crossref());
        string[] args = ["resolve", temp.File("s.md"), "--cache", temp.File("store"), "--crossref-url", crossref.BaseUrl, "--arxiv-url", crossref.BaseUrl, "--quiet"];
        Assert.Equal(0, (await CliRunner.RunAsync(args)).ExitCode);
        Assert.Equal(2, crossref.Requests.Count);

        File.Delete(new MetadataStore(temp.File("store")).PathFor(IdentifierParser.Parse("doi:10.26434/chemrxiv.5406907.v5")));
        var rerun = await CliRunner.RunAsync(args);
        Assert.Equal(0, rerun.ExitCode);
        // The stored 301 still names its target: only the target is asked again.
        Assert.Equal(3, crossref.Requests.Count);
        Assert.Equal("/works/10.26434%2Fchemrxiv.5406907.v5", crossref.Requests[^1].Path);
    }
}

public class MaxAgeTests
{
    [Fact]
    public async Task RecordsOlderThanTheMaximumAgeAreFetchedAgain()
    {
        using var temp = TestPaths.TempDir();
        File.WriteAllText(temp.File("s.md"), "| Name | Paper |\n|---|---|\n| Old | [p](https://doi.org/10.1234/old) |\n| New | [p](https://doi.org/10.1234/new) |\n");
        var store = new MetadataStore(temp.File("store"));
        // SYNTHETIC records: one fetched 40 days ago, one today.
        foreach (var (doi, age) in new[] { ("10.1234/old", 40), ("10.1234/new", 0) })
        {
            var id = IdentifierParser.Parse("doi:" + doi);
            store.Write(id, BibTool.Sources.Records.Make("crossref", id, "https://api.crossref.org/works/x", 200, "application/json", Synthetic.CrossrefWork(doi), "bibtool/test") with { Fetched = DateTimeOffset.UtcNow.AddDays(-age) });
        }
        await using var crossref = new LoopbackServer(Synthetic.Crossref());
        string[] args = ["resolve", temp.File("s.md"), "--cache", temp.File("store"), "--crossref-url", crossref.BaseUrl, "--mailto", "ci@example.org", "--quiet"];

        Assert.Equal(0, (await CliRunner.RunAsync([.. args, "--max-age", "60d"])).ExitCode);
        Assert.Empty(crossref.Requests);
        Assert.Equal(0, (await CliRunner.RunAsync([.. args, "--max-age", "30d"])).ExitCode);
        Assert.Equal("/works/10.1234%2Fold", Assert.Single(crossref.Requests).Path);
        // The refetched record is new now: the same age limit asks nothing more.
        Assert.Equal(0, (await CliRunner.RunAsync([.. args, "--max-age", "30d"])).ExitCode);
        Assert.Single(crossref.Requests);
        var bad = await CliRunner.RunAsync([.. args, "--max-age", "soon"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--max-age 'soon' is not an age", bad.Stderr);
    }
}

public class RefreshCommandTests
{
    private sealed class Upstream : IAsyncDisposable
    {
        public bool Second;
        public bool Failing;
        public LoopbackServer Crossref { get; }
        public LoopbackServer Arxiv { get; } = new(Synthetic.Arxiv());
        public LoopbackServer Others { get; } = new(Synthetic.OtherSources());

        public Upstream()
        {
            // SYNTHETIC: the first answers lack page numbers, the later ones have them and one
            // work has been retracted; a failing upstream answers 500.
            Crossref = new LoopbackServer(request =>
            {
                if (Failing) return new Reply { Status = 503, Body = "down"u8.ToArray(), Headers = [("Retry-After", "0")] };
                var doi = Uri.UnescapeDataString(request.Path["/works/".Length..]);
                var body = System.Text.Json.Nodes.JsonNode.Parse(Synthetic.CrossrefWork(doi))!;
                var message = body["message"]!.AsObject();
                if (!Second) message.Remove("page");
                if (Second && doi.EndsWith("575543")) message["updated-by"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"DOI":"10.5555/retraction","type":"retraction"}]""");
                return new Reply { Body = System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()), Headers = Synthetic.CrossrefHeaders(50, 5) };
            });
        }

        public string[] Args(string command, string cache) =>
            [command, TestPaths.SeedSurvey, "--table", "Other Models", "--cache", cache, "--crossref-url", Crossref.BaseUrl, "--arxiv-url", Arxiv.BaseUrl,
             "--mailto", "ci@example.org", "--timeout", "2", .. Synthetic.OtherSourceArgs(Others)];

        public async ValueTask DisposeAsync()
        {
            await Crossref.DisposeAsync();
            await Arxiv.DisposeAsync();
            await Others.DisposeAsync();
        }
    }

    [Fact]
    public async Task OnlyTheNamedWorkIsFetchedAndTheReportSaysFieldOldNew()
    {
        using var temp = TestPaths.TempDir();
        await using var upstream = new Upstream();
        Assert.Equal(0, (await CliRunner.RunAsync(upstream.Args("resolve", temp.Path))).ExitCode);
        Assert.Equal(2, upstream.Crossref.Requests.Count);

        upstream.Second = true;
        var refresh = await CliRunner.RunAsync([.. upstream.Args("refresh", temp.Path), "--only", "10.1101/2024.01.14.575543", "--format", "json"]);
        Assert.True(refresh.ExitCode == 0, refresh.Stderr);
        // One request: the named work's, nothing else.
        Assert.Equal(["/works/10.1101%2F2024.01.14.575543"], upstream.Crossref.Requests.Skip(2).Select(r => r.Path));
        Assert.DoesNotContain(upstream.Others.Requests.Skip(1), r => r.Path == "/notes");
        using var report = System.Text.Json.JsonDocument.Parse(refresh.Stdout);
        var changed = Assert.Single(report.RootElement.GetProperty("changed").EnumerateArray());
        Assert.Equal("doi:10.1101/2024.01.14.575543", changed.GetProperty("id").GetString());
        var changes = changed.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("field").GetString()!);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, changes["page"].GetProperty("old").ValueKind);
        Assert.False(string.IsNullOrEmpty(changes["page"].GetProperty("new").GetString()));
        Assert.Equal("Retracted (notice: doi:10.5555/retraction)", changes["note"].GetProperty("new").GetString());
        Assert.Contains("refresh: 1 of 1 works changed", refresh.Stderr);
    }

    [Fact]
    public async Task OlderThanFetchesOnlyWhatIsOlder()
    {
        using var temp = TestPaths.TempDir();
        await using var upstream = new Upstream();
        Assert.Equal(0, (await CliRunner.RunAsync(upstream.Args("resolve", temp.Path))).ExitCode);
        var fresh = await CliRunner.RunAsync([.. upstream.Args("refresh", temp.Path), "--older-than", "1h"]);
        Assert.True(fresh.ExitCode == 0, fresh.Stderr);
        Assert.Equal(2, upstream.Crossref.Requests.Count);
        Assert.Equal("", fresh.Stdout);

        upstream.Second = true;
        var old = await CliRunner.RunAsync([.. upstream.Args("refresh", temp.Path), "--older-than", "0s"]);
        Assert.True(old.ExitCode == 0, old.Stderr);
        Assert.Equal(4, upstream.Crossref.Requests.Count);
        // Text report: the work, then one indented line per changed field.
        Assert.Contains("doi:10.1109/ISBI56570.2024.10635453\n  page: (none) → ", old.Stdout);
    }

    [Fact]
    public async Task AFailedFetchKeepsTheOldRecord()
    {
        using var temp = TestPaths.TempDir();
        await using var upstream = new Upstream();
        Assert.Equal(0, (await CliRunner.RunAsync(upstream.Args("resolve", temp.Path))).ExitCode);
        // Crossref's records: Crossref is the source that fails (the others answer, and may rewrite theirs).
        var records = Directory.GetFiles(Path.Combine(temp.Path, "crossref"), "*.rec", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        Assert.Equal(2, records.Count);

        upstream.Failing = true;
        var refresh = await CliRunner.RunAsync(upstream.Args("refresh", temp.Path));
        Assert.Equal(1, refresh.ExitCode);
        Assert.Contains("not resolved", refresh.Stderr);
        // Every Crossref record is still there, byte for byte, and an offline export still has the works.
        foreach (var (file, bytes) in records) Assert.Equal(bytes, File.ReadAllBytes(file));
        var export = await CliRunner.RunAsync("export", TestPaths.SeedSurvey, "--table", "Other Models", "--cache", temp.Path, "--offline", "--format", "csv");
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.DoesNotContain("Metadata not resolved", export.Stdout);
    }

    [Theory]
    [InlineData("--only", "10.9999/not-in-the-survey", "no row of")]
    [InlineData("--only", "not an id", "is not an identifier")]
    [InlineData("--older-than", "soon", "--older-than 'soon' is not an age")]
    [InlineData("--format", "xml", "unknown format 'xml'")]
    public async Task BadOptionsAreOneLineErrors(string option, string value, string message)
    {
        using var temp = TestPaths.TempDir();
        var result = await CliRunner.RunAsync("refresh", TestPaths.SeedSurvey, "--cache", temp.Path, option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }
}
