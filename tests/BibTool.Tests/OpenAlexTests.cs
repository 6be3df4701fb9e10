using System.Text.Json;
using BibTool.Identifiers;
using BibTool.Resolve;
using BibTool.Sources;
using BibTool.Sources.OpenAlex;
using BibTool.Store;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>OpenAlex, against its recorded answers (tests/fixtures/openalex; abstracts stood in).</summary>
public class OpenAlexTests
{
    private static string Recording(string doi) =>
        TestPaths.Fixture("openalex", "works", "doi_" + Uri.EscapeDataString(doi).Replace(".", "%2E").Replace("%2E", ".") + ".json");

    public static TheoryData<string, string> Works => new()
    {
        { "10.1371/journal.pone.0000030", "article-journal" },
        { "10.1145/3448016.3452841", "paper-conference" },
        { "10.1101/097196", "article" },
    };

    [Theory]
    [MemberData(nameof(Works))]
    public void EveryRecordedWorkMapsWithItsAuthorsVenueDateAndNumbers(string doi, string type)
    {
        var body = File.ReadAllBytes(Recording(doi));
        using var raw = JsonDocument.Parse(body);
        var root = raw.RootElement;
        var work = OpenAlexMapper.Map("doi:" + doi, body)!;

        Assert.Equal(type, work.Type);
        Assert.Equal(root.GetProperty("title").GetString(), work.Title!.Plain);
        var authors = root.GetProperty("authorships").EnumerateArray().Select(a => a.GetProperty("author").GetProperty("display_name").GetString()).ToList();
        Assert.Equal(authors, work.Authors.Select(a => a.Display));
        Assert.Equal(root.GetProperty("publication_date").GetString(), $"{work.Issued!.Year:D4}-{work.Issued.Month:D2}-{work.Issued.Day:D2}");
        // The proceedings paper's record names no venue (source: null).
        var source = root.GetProperty("primary_location").GetProperty("source");
        Assert.Equal(source.ValueKind == JsonValueKind.Null ? null : source.GetProperty("display_name").GetString(), work.ContainerTitle);
        Assert.Equal(doi, work.Doi, StringComparer.OrdinalIgnoreCase);
        var biblio = root.GetProperty("biblio");
        Assert.Equal(biblio.GetProperty("volume").GetString(), work.Volume);
        Assert.Equal(biblio.GetProperty("issue").GetString(), work.Issue);
        var first = biblio.GetProperty("first_page").GetString();
        var last = biblio.GetProperty("last_page").GetString();
        Assert.Equal(first is null ? null : last is null || last == first ? first : $"{first}-{last}", work.Page);
        Assert.Equal(root.GetProperty("is_retracted").GetBoolean(), work.Retraction is not null);
    }

    [Fact]
    public void AnAnswerCutDownWithSelectDescribesNothing() =>
        Assert.Null(OpenAlexMapper.Map("doi:10.1021/acs.jctc.5b00178", File.ReadAllBytes(Directory.GetFiles(TestPaths.Fixture("openalex", "works"), "*_select-open_access,doi.json").Single())));

    [Fact]
    public async Task ADoiThatCrossrefAndDataCiteDoNotKnowResolvesThroughOpenAlex()
    {
        using var temp = TestPaths.TempDir();
        // Crossref and DataCite answer 404 (their recorded 404s); OpenAlex replays its recordings.
        var crossref404 = FixtureReplay.ToReply(FixtureReplay.Load(TestPaths.Fixture("crossref", "errors", "works-404_10.1371-notarealdoi.txt")));
        await using var crossref = new LoopbackServer(_ => crossref404);
        await using var arxiv = new LoopbackServer(FixtureReplay.Arxiv());
        await using var datacite = new LoopbackServer(FixtureReplay.DataCite());
        await using var openalex = new LoopbackServer(FixtureReplay.OpenAlex());
        var fetchers = Clients.All(crossref, arxiv, Synthetic.Others);
        fetchers["datacite"] = new BibTool.Sources.DataCite.DataCiteSource(Clients.Http(datacite), "bibtool/test");
        fetchers["openalex"] = new OpenAlexSource(Clients.Http(openalex), "bibtool/test", "test@example.org", null);
        var store = new MetadataStore(temp.Path);
        var known = IdentifierParser.Parse("doi:10.1371/journal.pone.0000030");
        var unknown = IdentifierParser.Parse("doi:10.1046/j.1365-2699.2003.00795");
        var report = await new Resolver(store, SourceRegistry.Default, fetchers).ResolveAsync([known, unknown], offline: false);

        var work = new WorkLibrary(store).Find(known)!;
        Assert.Equal("openalex", work.Provenance.Source);
        Assert.Equal("Markus Ralser", work.Authors[0].Display);
        Assert.Equal("PLoS ONE", work.ContainerTitle);
        Assert.Equal(new BibTool.Model.DateParts(2006, 12, 20), work.Issued);
        Assert.Single(openalex.Requests, r => r.Path == "/works/https://doi.org/10.1371/journal.pone.0000030" && r.QueryValue("mailto") == "test@example.org");

        var missing = report.Resolutions.Single(r => r.Identifier.Equals(unknown));
        Assert.Equal(Outcome.NotFound, missing.Outcome);
        Assert.Matches(@"not found at Crossref \(HTTP 404, .*\), nor at DataCite \(HTTP 404, .*\), nor at OpenAlex \(HTTP 404, ", missing.Message);
    }

    [Fact]
    public async Task TheTitleSearchTakesOnlyAStrongMatchAsAnAliasToItsDoi()
    {
        using var temp = TestPaths.TempDir();
        await using var openalex = new LoopbackServer(FixtureReplay.OpenAlex());
        var source = new OpenAlexSearchSource(Clients.Http(openalex), "bibtool/test", "test@example.org", null);
        var page = IdentifierParser.Parse("https://example.org/paperqa");
        var other = IdentifierParser.Parse("https://example.org/other");
        var results = new List<FetchResult>();
        await source.FetchAsync([new SourceRequest(page, "PaperQA: Retrieval-Augmented Generative Agent for Scientific Research", 2023),
            new SourceRequest(other, "A title nobody wrote")], r => { lock (results) results.Add(r); }, default);

        // The recorded answer's one result, read from the recording.
        using var raw = JsonDocument.Parse(File.ReadAllBytes(Directory.GetFiles(TestPaths.Fixture("openalex", "works"), "filter-title.search_*.json").Single()));
        var doi = raw.RootElement.GetProperty("results")[0].GetProperty("doi").GetString()!["https://doi.org/".Length..];
        var found = results.Single(r => r.Identifier.Equals(page));
        Assert.Null(found.Error);
        var record = Assert.Single(found.Records).Record;
        Assert.Equal(IdentifierParser.ParseKey("doi:" + doi).WorkKey, record.AliasOf);
        Assert.Equal("OpenAlex title search (score 1.00)", record.Extra["matched-by"]);
        Assert.Single(openalex.Requests, r => r.QueryValue("filter") == "title.search:PaperQA: Retrieval-Augmented Generative Agent for Scientific Research" && r.QueryValue("per-page") == "5");

        var missed = results.Single(r => r.Identifier.Equals(other));
        Assert.Equal("not found by the OpenAlex title search: the search found nothing", missed.Error);
    }
}
