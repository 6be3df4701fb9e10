using System.Text.Json.Nodes;
using System.Xml.Linq;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Resolve;
using BibTool.Sources;
using BibTool.Sources.DataCite;
using BibTool.Sources.Landing;
using BibTool.Sources.Ncbi;
using BibTool.Sources.OpenReview;

using BibTool.Store;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>
/// The new sources against their real recordings in tests/fixtures, replayed over loopback
/// HTTP; expected values are written here from the recordings' raw fields or read from them by
/// the test itself, never taken from the code under test.
/// </summary>
public class SourceChainTests
{
    private static Identifier Id(string text) => IdentifierParser.Parse(text);

    private sealed class Replays : IAsyncDisposable
    {
        public LoopbackServer Crossref { get; } = new(FixtureReplay.Crossref());
        public LoopbackServer Arxiv { get; } = new(FixtureReplay.Arxiv());
        public LoopbackServer DataCite { get; } = new(FixtureReplay.DataCite());
        public LoopbackServer Ncbi { get; } = new(FixtureReplay.Ncbi());
        public LoopbackServer Landing { get; } = new(FixtureReplay.Landing());
        public LoopbackServer OpenAlex { get; } = new(FixtureReplay.OpenAlex());

        public Resolver Resolver(MetadataStore store, int ncbiBatch = BibTool.Sources.Ncbi.Ncbi.BatchSize)
        {
            var fetchers = Clients.All(Crossref, Arxiv, Landing);
            fetchers["datacite"] = new DataCiteSource(Clients.Http(DataCite), "bibtool/test");
            fetchers["openalex"] = new BibTool.Sources.OpenAlex.OpenAlexSource(Clients.Http(OpenAlex), "bibtool/test", "test@example.org", null);
            fetchers["openalex-search"] = new BibTool.Sources.OpenAlex.OpenAlexSearchSource(Clients.Http(OpenAlex), "bibtool/test", "test@example.org", null);
            var ncbi = new BibTool.Http.RateGate(50, TimeSpan.FromSeconds(1), 2);
            fetchers["pubmed"] = new PubMedSource(Clients.Http(Ncbi), "bibtool/test", ncbi, "test@example.org", null) { BatchSize = ncbiBatch };
            // The recorded conversions are one id each: the replay answers one PMCID per request.
            fetchers["pmc"] = new PmcSource(Clients.Http(Ncbi), "bibtool/test", ncbi, "test@example.org") { BatchSize = ncbiBatch };
            return new Resolver(store, SourceRegistry.Default, fetchers);
        }

        public int Requests => Crossref.Requests.Count + Arxiv.Requests.Count + DataCite.Requests.Count + Ncbi.Requests.Count + Landing.Requests.Count + OpenAlex.Requests.Count;

        public async ValueTask DisposeAsync()
        {
            await Crossref.DisposeAsync();
            await Arxiv.DisposeAsync();
            await DataCite.DisposeAsync();
            await Ncbi.DisposeAsync();
            await Landing.DisposeAsync();
            await OpenAlex.DisposeAsync();
        }
    }

    [Fact]
    public async Task ADoiCrossrefDoesNotKnowIsAskedOfDataCite()
    {
        using var temp = TestPaths.TempDir();
        await using var replays = new Replays();
        var store = new MetadataStore(temp.Path);
        var lipics = Id("doi:10.4230/LIPIcs.TQC.2013.93");
        var zenodo = Id("doi:10.5281/zenodo.1196821");
        var unknown = Id("doi:10.4124/05f6c379");
        var report = await replays.Resolver(store).ResolveAsync([lipics, zenodo, unknown], offline: false);

        Assert.Equal([Outcome.Fetched, Outcome.Fetched, Outcome.NotFound], report.Resolutions.Select(r => r.Outcome));
        Assert.Equal(["datacite", "datacite", "crossref"], report.Resolutions.Select(r => r.Source));
        // LIPIcs is asked of Crossref first (recorded 404); Zenodo's prefix goes straight to DataCite.
        Assert.Equal(["/works/10.4124%2F05f6c379", "/works/10.4230%2Flipics.tqc.2013.93"], replays.Crossref.Requests.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.Equal(3, replays.DataCite.Requests.Count);
        Assert.Contains("not found at Crossref (HTTP 404", report.Resolutions[2].Message);
        Assert.Contains("nor at DataCite (HTTP 404", report.Resolutions[2].Message);

        var library = new WorkLibrary(store);
        var raw = JsonNode.Parse(File.ReadAllBytes(TestPaths.Fixture("datacite", "rest", "10.5281%2Fzenodo.1196821.json")))!["data"]!["attributes"]!;
        var work = library.Find(zenodo)!;
        Assert.Equal((string)raw["titles"]![0]!["title"]!, work.Title!.Plain);
        Assert.Equal("dataset", work.Type);
        Assert.Equal((int)raw["publicationYear"]!, work.Year);
        Assert.Equal(raw["creators"]!.AsArray().Select(c => (string)c!["familyName"]!), work.Authors.Select(a => a.Family));
        Assert.Equal("Zenodo", work.Publisher);
        Assert.Equal("datacite", work.Provenance.Source);

        var conference = library.Find(lipics)!;
        Assert.Equal("paper-conference", conference.Type);
        Assert.Equal("LIPIcs, Volume 22, TQC 2013", conference.ContainerTitle);

        var before = replays.Requests;
        var again = await replays.Resolver(store).ResolveAsync([lipics, zenodo, unknown], offline: false);
        Assert.Equal([Outcome.Cached, Outcome.Cached, Outcome.NotFound], again.Resolutions.Select(r => r.Outcome));
        Assert.Equal(before, replays.Requests);
    }

    public static TheoryData<string> DataCiteRecordings()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestPaths.Fixture("datacite", "rest"), "*.json").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(DataCiteRecordings))]
    public void EveryDataCiteRecordingMapsItsCreatorsTitleAndYear(string file)
    {
        var bytes = File.ReadAllBytes(TestPaths.Fixture("datacite", "rest", file));
        var work = DataCiteMapper.Map("doi:x", bytes);
        var raw = JsonNode.Parse(bytes)!["data"]!["attributes"]!;
        var firstTitle = string.Join(' ', ((string)raw["titles"]![0]!["title"]!).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(firstTitle, work.Title!.Plain);
        Assert.Equal(raw["creators"]!.AsArray().Count, work.Authors.Count);
        foreach (var (creator, name) in raw["creators"]!.AsArray().Zip(work.Authors))
        {
            if ((string?)creator!["nameType"] == "Organizational" || creator["familyName"] is null)
                Assert.Equal(string.Join(' ', ((string)creator["name"]!).Split(' ', StringSplitOptions.RemoveEmptyEntries)), name.Literal);
            else Assert.Equal(((string)creator["familyName"]!).Trim(), name.Family);
        }
        Assert.Equal(int.Parse(raw["publicationYear"]!.ToString()), work.Year);
        Assert.Equal((string)raw["doi"]!, work.Doi);
        var general = (string)raw["types"]!["resourceTypeGeneral"]!;
        Assert.Equal(general switch { "Dataset" => "dataset", "Software" => "software", "Preprint" => "article", "ConferencePaper" => "paper-conference", _ => "thesis" }, work.Type);
        Assert.Equal(general == "Preprint", work.IsPreprint);
    }

    [Fact]
    public void AThaiOrganisationOrUnspacedNameStaysWhole()
    {
        // Recorded: a creator with no nameType and no family name (a Thai name written whole).
        var work = DataCiteMapper.Map("doi:x", File.ReadAllBytes(TestPaths.Fixture("datacite", "rest", "10.14457%2Fkmitl.res.2006.17.json")));
        Assert.Equal("กัญจนา แซ่เตียว", Assert.Single(work.Authors).Literal);
    }

    [Fact]
    public async Task PmcidsConvertToTheirDoiOrPmidAndKeepBothIds()
    {
        using var temp = TestPaths.TempDir();
        await using var replays = new Replays();
        var store = new MetadataStore(temp.Path);
        var withDoi = Id("PMC1762313");
        var withoutDoi = Id("PMC3051412");
        var unknown = Id("PMC9999999");
        var report = await replays.Resolver(store, ncbiBatch: 1).ResolveAsync([withDoi, withoutDoi, unknown], offline: false);

        // PMC1762313 → 10.1371/journal.pone.0000030 (recorded at Crossref); PMC3051412 has no DOI →
        // PMID 21196160, for which no PubMed recording exists (the replay answers 404); the third gets the converter's error record.
        Assert.Equal(Outcome.Fetched, report.Resolutions[0].Outcome);
        Assert.Equal("crossref", report.Resolutions[0].Source);
        Assert.Equal("pmcid via pmc", report.Resolutions[0].MatchedBy);
        Assert.Equal(Outcome.Failed, report.Resolutions[1].Outcome);
        Assert.Contains("HTTP 404 from PubMed", report.Resolutions[1].Message);
        Assert.Equal("21196160", Assert.Single(replays.Ncbi.Requests, r => r.Path == "/entrez/eutils/efetch.fcgi").QueryValue("id"));
        Assert.Equal(Outcome.NotFound, report.Resolutions[2].Outcome);
        Assert.Contains("the PMC ID converter (the answer had no record for this PMCID", report.Resolutions[2].Message);
        Assert.Single(replays.Crossref.Requests);
        Assert.Equal(["PMC1762313", "PMC3051412", "PMC9999999"], replays.Ncbi.Requests.Where(r => r.Path.StartsWith("/tools/idconv/")).Select(r => r.QueryValue("ids")).Order());
        Assert.All(replays.Ncbi.Requests, r => Assert.Equal("bibtool", r.QueryValue("tool")));
        Assert.All(replays.Ncbi.Requests, r => Assert.Equal("test@example.org", r.QueryValue("email")));

        var work = new WorkLibrary(store).Find(withDoi)!;
        Assert.Equal("10.1371/journal.pone.0000030", work.Doi);
        Assert.Equal("PMC1762313", work.Ids.GetValueOrDefault("pmcid"));
        Assert.Equal("17183658", work.Ids.GetValueOrDefault("pmid"));
        Assert.Equal("doi:10.1371/journal.pone.0000030", work.Provenance.Canonical);
    }

    [Fact]
    public async Task PubMedRecordsComeInBatchesAndUnknownPmidsAreNotFound()
    {
        using var temp = TestPaths.TempDir();
        await using var replays = new Replays();
        var store = new MetadataStore(temp.Path);
        string[] pmids = ["211", "589", "591", "960"];
        var report = await replays.Resolver(store).ResolveAsync(pmids.Select(p => Id("pmid:" + p)), offline: false);
        Assert.All(report.Resolutions, r => Assert.Equal(Outcome.Fetched, r.Outcome));
        Assert.Equal("211,589,591,960", Assert.Single(replays.Ncbi.Requests).QueryValue("id"));

        // Expected values read from the recording with the test's own XML reading.
        var recorded = XDocument.Load(TestPaths.Fixture("ncbi", "eutils", "efetch_db-pubmed_id-211,589,591,960.xml"), LoadOptions.None);
        var library = new WorkLibrary(store);
        foreach (var article in recorded.Root!.Elements("PubmedArticle"))
        {
            var pmid = article.Element("MedlineCitation")!.Element("PMID")!.Value;
            var work = library.Find(Id("pmid:" + pmid))!;
            var body = article.Element("MedlineCitation")!.Element("Article")!;
            Assert.Equal(body.Element("ArticleTitle")!.Value.TrimEnd('.'), work.Title!.Plain);
            Assert.Equal(body.Element("Journal")!.Element("Title")!.Value, work.ContainerTitle);
            Assert.Equal(body.Element("AuthorList")!.Elements("Author").Select(a => a.Element("LastName")?.Value), work.Authors.Select(a => a.Family));
            Assert.Equal(int.Parse(body.Element("Journal")!.Element("JournalIssue")!.Element("PubDate")!.Element("Year")!.Value), work.Year);
            Assert.Equal(pmid, work.Ids.GetValueOrDefault("pmid"));
            Assert.Equal("pubmed", work.Provenance.Source);
        }

        var single = await replays.Resolver(store).ResolveAsync([Id("pmid:20412080")], offline: false);
        Assert.Equal(Outcome.Fetched, Assert.Single(single.Resolutions).Outcome);
        var hpo = library.Find(Id("pmid:20412080"))!;
        // The recording (2024, one line per article, DOCTYPE naming an external DTD that is never fetched):
        Assert.Equal("The human phenotype ontology", hpo.Title!.Plain);
        Assert.Equal("Clinical genetics", hpo.ContainerTitle);
        Assert.Equal("Clin Genet", hpo.ContainerTitleShort);
        Assert.Equal(("77", "6", "525-534"), (hpo.Volume, hpo.Issue, hpo.Page));
        Assert.Equal(new DateParts(2010, 6), hpo.Issued);
        Assert.Equal("10.1111/j.1399-0004.2010.01436.x", hpo.Doi);
    }

    [Fact]
    public async Task UnknownPmidsAnswerAnEmptySetAndAreStoredAsNotFound()
    {
        using var temp = TestPaths.TempDir();
        await using var replays = new Replays();
        var store = new MetadataStore(temp.Path);
        var report = await replays.Resolver(store).ResolveAsync([Id("pmid:233333333333333"), Id("pmid:45555666666666")], offline: false);
        Assert.All(report.Resolutions, r => Assert.Equal(Outcome.NotFound, r.Outcome));
        Assert.All(report.Resolutions, r => Assert.Contains("PubMed (the answer had no article for this PMID", r.Message));
        var again = await replays.Resolver(store).ResolveAsync([Id("pmid:233333333333333"), Id("pmid:45555666666666")], offline: false);
        Assert.Equal(0, again.Requests);
    }

    [Theory]
    // Values read by hand from the recorded pages' tags.
    [InlineData("aclanthology.org_2021.naacl-main.208.html", "How many data points is a prompt worth?", "Scao", 2021, 6, "paper-conference", "10.18653/v1/2021.naacl-main.208")]
    [InlineData("usenix.org_conference_nsdi22_presentation_goyal.html", "Backpressure Flow Control", "Goyal", 2022, null, null, null)]
    [InlineData("hal.science_jpa-00235190.html", "Déplacement de Knight dans les alliages", "Friedel", 1955, null, "article-journal", "10.1051/jphysrad:01955001606044400")]
    [InlineData("arxiv.org_abs_1902.02534.html", "Crowdsourcing open citations with CROCI -- An analysis of the current status of open citations, and a proposal", "Heibi", 2019, 2, "article", null)]
    // Zenodo's tags carry no date; its JSON-LD (typed "https://schema.org/Dataset") does.
    [InlineData("zenodo.org_records_1196821.html", null, "Staib", 2018, 3, "dataset", "10.5281/zenodo.1196821")]
    [InlineData("link.springer.com_article_10.1007%2Fs10924-010-0192-1.html", "In Vitro Cytotoxicity of Amylose-Based Bioplastic for Packaging Applications", null, 2010, 9, "article-journal", "10.1007/s10924-010-0192-1")]
    public void LandingPagesGiveTheirEmbeddedMetadata(string file, string? title, string? firstFamily, int year, int? month, string? type, string? doi)
    {
        var work = LandingPageMapper.Map("url:x", File.ReadAllBytes(TestPaths.Fixture("landing", file)), "https://example.org/page")!;
        if (title is not null) Assert.Equal(title, work.Title!.Plain);
        if (firstFamily is not null) Assert.Equal(firstFamily, work.Authors[0].Family);
        Assert.Equal(year, work.Year);
        if (month is not null) Assert.Equal(month, work.Issued!.Month);
        if (type is not null) Assert.Equal(type, work.Type);
        Assert.Equal(doi, work.Doi);
        Assert.Equal("https://example.org/page", work.Url);
    }

    [Fact]
    public void AclPageTagsWithContentBeforeNameAndNoQuotesAreRead()
    {
        var work = LandingPageMapper.Map("url:x", File.ReadAllBytes(TestPaths.Fixture("landing", "aclanthology.org_2021.naacl-main.208.html")), null)!;
        Assert.Equal(["Teven Le Scao", "Alexander M. Rush"], work.Authors.Select(a => a.Display));
        Assert.Equal("2627-2636", work.Page);
        Assert.StartsWith("Proceedings of the 2021 Conference of the North American Chapter", work.ContainerTitle);
    }

    [Fact]
    public void APageWithoutCitationTagsHasNoMetadata()
    {
        Assert.Null(LandingPageMapper.Map("url:x", "<html><head><title>Just a page</title><meta name=description content=hello></head></html>"u8.ToArray(), null));
    }

    [Fact]
    public async Task ALandingPageNamingADoiIsThatDoiAndKeepsItsUrl()
    {
        using var temp = TestPaths.TempDir();
        await using var replays = new Replays();
        var store = new MetadataStore(temp.Path);
        var zenodoPage = Id("https://zenodo.org/records/1196821");
        var aclPage = Id("https://aclanthology.org/2021.naacl-main.208");
        var report = await replays.Resolver(store).ResolveAsync([new SourceRequest(zenodoPage, "PsPM-SC4B"), new SourceRequest(aclPage, "How many data points is a prompt worth?")], offline: false);
        Assert.All(report.Resolutions, r => Assert.Equal(Outcome.Fetched, r.Outcome));
        var library = new WorkLibrary(store);

        // Zenodo's page names its DataCite DOI: the DOI's record is the metadata, the page is kept.
        var zenodo = library.Find(zenodoPage)!;
        Assert.Equal("datacite", zenodo.Provenance.Source);
        Assert.Equal("landing page's DOI", zenodo.Provenance.MatchedBy);
        Assert.Equal("https://zenodo.org/records/1196821", zenodo.Ids.GetValueOrDefault("url"));
        Assert.Equal("doi:10.5281/zenodo.1196821", zenodo.Provenance.Canonical);

        // ACL's DOI is at neither Crossref (recorded 404 in this replay) nor DataCite: the page's own tags are the metadata.
        var acl = library.Find(aclPage)!;
        Assert.Equal("landing", acl.Provenance.Source);
        Assert.Equal("How many data points is a prompt worth?", acl.Title!.Plain);
        Assert.Single(replays.Landing.Requests, r => r.Path == "/aclanthology.org/2021.naacl-main.208");
        Assert.Equal(2, replays.Landing.Requests.Count);
    }

    [Fact]
    public async Task APageWithoutMetadataFallsBackToTheTitleSearchWhichTakesOnlyStrongMatches()
    {
        using var temp = TestPaths.TempDir();
        // Crossref search answers replayed from the recordings: the chemistry-tools search found the
        // paper; the PaperQA search's top hit is a different paper.
        var chemistry = FixtureReplay.Load(TestPaths.Fixture("crossref", "lists", "works_query.title-Augmenting-large-language-models-with-chemistry-tools_rows-1.json"));
        var paperqa = FixtureReplay.Load(TestPaths.Fixture("crossref", "lists", "works_query.title-PaperQA-Retrieval-Augmented-Generative-Agent-for-Scientific-Research_rows-1.json"));
        // The matched DOI's own work was never recorded: a SYNTHETIC Crossref work stands in for it.
        // arXiv's search answers with its recorded "testing" search, whose titles match neither query.
        await using var crossref = new LoopbackServer(r => r.Path != "/works"
            ? new Reply { Body = Synthetic.CrossrefWork(Uri.UnescapeDataString(r.Path["/works/".Length..])), Headers = Synthetic.CrossrefHeaders(50, 5) }
            : FixtureReplay.ToReply(r.QueryValue("query.bibliographic")!.StartsWith("Augmenting") ? chemistry : paperqa));
        var searchFeed = FixtureReplay.Load(TestPaths.Fixture("arxiv", "current-format-2026", "search_query-testing_start-0_max-10.atom.xml"));
        await using var arxiv = new LoopbackServer(_ => FixtureReplay.ToReply(searchFeed));
        // SYNTHETIC: pages with no citation tags at all.
        await using var pages = new LoopbackServer(_ => Reply.Text(200, "<html><head><title>Paper</title></head><body>No tags here.</body></html>", "text/html"));
        var store = new MetadataStore(temp.Path);
        // SYNTHETIC: OpenAlex's title search, asked last, finds nothing here (this test is about the first two).
        await using var openalex = new LoopbackServer(_ => Reply.Text(200, """{"meta":{"count":0},"results":[],"group_by":[]}""", "application/json"));
        var fetchers = Clients.All(crossref, arxiv, pages);
        fetchers["openalex-search"] = new BibTool.Sources.OpenAlex.OpenAlexSearchSource(Clients.Http(openalex), "bibtool/test", "test@example.org", null);
        var resolver = new Resolver(store, SourceRegistry.Default, fetchers);
        var found = Id("https://example.org/chemcrow");
        var wrong = Id("https://example.org/paperqa");
        var report = await resolver.ResolveAsync(
        [
            new SourceRequest(found, "Augmenting large language models with chemistry tools", 2024),
            new SourceRequest(wrong, "PaperQA: Retrieval-Augmented Generative Agent for Scientific Research", 2023),
        ], offline: false);

        // The strong match is an alias to its DOI, with the score and the query kept in the record.
        Assert.Equal(MetadataStore.ReadState.Ok, store.TryRead("search", found, out var searched, out _));
        Assert.Equal("doi:10.1038/s42256-024-00832-8", searched!.AliasOf);
        Assert.Equal("1.000", searched.Extra["score"]);
        Assert.Equal(Outcome.Fetched, report.Resolutions[0].Outcome);
        Assert.Equal("title search (score 1.00)", report.Resolutions[0].MatchedBy);
        Assert.Equal(1.0, report.Resolutions[0].Score);
        Assert.Equal(Outcome.NotFound, report.Resolutions[1].Outcome);
        Assert.Contains("the Crossref title search (no strong match (best: doi:10.1093/jamiaopen/ooae021 \"Retrieval augmented scientific claim verification\" (2024)", report.Resolutions[1].Message);
        Assert.Contains("nor at the arXiv title search (no strong match", report.Resolutions[1].Message);
        Assert.All(crossref.Requests.Where(q => q.Path == "/works"), q => Assert.Equal("5", q.QueryValue("rows")));
    }

    [Theory]
    [InlineData("Augmenting large language models with chemistry tools", "Augmenting Large Language Models with Chemistry Tools.", 1.0)]
    [InlineData("PaperQA: Retrieval-Augmented Generative Agent for Scientific Research", "Retrieval augmented scientific claim verification", 0.0)]
    public void TitleSimilarityIsFoldedEditDistance(string a, string b, double atLeast)
    {
        var score = TitleMatch.Similarity(a, b);
        if (atLeast == 1.0) Assert.Equal(1.0, score);
        else Assert.InRange(score, 0, TitleMatch.Threshold - 0.2);
    }

    [Fact]
    public void OpenReviewNotesOfBothApiVersionsMap()
    {
        // SYNTHETIC, in the documented shapes: API v2 wraps every field in { "value": … }, v1 does not.
        var v2 = OpenReviewMapper.Map("openreview:abc", Synthetic.OpenReviewNote("abc"))!;
        Assert.Equal("Synthetic OpenReview paper abc", v2.Title!.Plain);
        Assert.Equal(["Synthetic", "Testcase"], v2.Authors.Select(a => a.Family));
        Assert.Equal("van", v2.Authors[1].NonDroppingParticle);
        Assert.Equal("ICLR 2024", v2.ContainerTitle);
        Assert.Equal("paper-conference", v2.Type);
        Assert.Equal(new DateParts(2024, 1, 15), v2.Issued);
        Assert.Equal("https://openreview.net/forum?id=abc", v2.Url);

        var v1 = OpenReviewMapper.Map("openreview:xyz", """{"notes":[{"id":"xyz","forum":"xyz","cdate":1696118400000,"content":{"title":"Under review","authors":["Ada Synthetic"],"venue":"Submitted to ICLR 2024"}}]}"""u8.ToArray())!;
        Assert.Equal("manuscript", v1.Type);
        Assert.Null(v1.ContainerTitle);
        Assert.Equal(2023, v1.Year);
        Assert.Null(OpenReviewMapper.Map("openreview:none", """{"notes":[]}"""u8.ToArray()));
    }

    [Fact]
    public async Task LandingPagesArePacedPerHostAndHostsRunTogether()
    {
        await using var pages = new LoopbackServer(Synthetic.OtherSources());
        using var source = new LandingPageSource(BibTool.Http.HttpSetup.CreateClient(null, "bibtool/test", TimeSpan.FromSeconds(5)), "bibtool/test", pages.BaseUrl)
        {
            MinInterval = TimeSpan.FromMilliseconds(300),
        };
        var urls = new[] { "https://a.example/1", "https://a.example/2", "https://a.example/3", "https://b.example/1", "https://b.example/2" };
        var results = new List<FetchResult>();
        await source.FetchAsync(urls.Select(u => new SourceRequest(Id(u))).ToList(), r => { lock (results) results.Add(r); }, default);
        Assert.All(results, r => Assert.Null(r.Error));
        Assert.Equal(5, source.RequestsMade);
        foreach (var host in new[] { "a.example", "b.example" })
        {
            var arrivals = pages.Requests.Where(r => r.Path.StartsWith($"/{host}/")).Select(r => r.Arrived).Order().ToList();
            for (var i = 1; i < arrivals.Count; i++)
                Assert.True(arrivals[i] - arrivals[i - 1] >= TimeSpan.FromMilliseconds(280), $"{host}: {(arrivals[i] - arrivals[i - 1]).TotalMilliseconds} ms apart");
        }
        // The second host does not wait for the first one's queue.
        var firstA = pages.Requests.Where(r => r.Path.StartsWith("/a.example/")).Min(r => r.Arrived);
        var firstB = pages.Requests.Where(r => r.Path.StartsWith("/b.example/")).Min(r => r.Arrived);
        Assert.True((firstB - firstA).Duration() < TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task NcbiAnswersShareOneBudget()
    {
        // Both NCBI services through one gate of 3 a second (as without an API key): 4 conversions
        // and 2 PubMed batches never exceed 3 arrivals in any second.
        await using var ncbi = new LoopbackServer(Synthetic.OtherSources());
        var gate = new BibTool.Http.RateGate(3, TimeSpan.FromSeconds(1), concurrency: 1);
        using var pmc = new PmcSource(Clients.Http(ncbi), "bibtool/test", gate, null) { BatchSize = 1 };
        using var pubmed = new PubMedSource(Clients.Http(ncbi), "bibtool/test", gate, null, null) { BatchSize = 1 };
        await Task.WhenAll(
            pmc.FetchAsync(new[] { "PMC1", "PMC2", "PMC3", "PMC4" }.Select(p => new SourceRequest(Id(p))).ToList(), _ => { }, default),
            pubmed.FetchAsync(new[] { "pmid:1", "pmid:2" }.Select(p => new SourceRequest(Id(p))).ToList(), _ => { }, default));
        var arrivals = ncbi.Requests.Select(r => r.Arrived).Order().ToList();
        Assert.Equal(6, arrivals.Count);
        for (var i = 3; i < arrivals.Count; i++)
            Assert.True(arrivals[i] - arrivals[i - 3] >= TimeSpan.FromMilliseconds(950), $"4 requests within {(arrivals[i] - arrivals[i - 3]).TotalMilliseconds} ms");
        Assert.All(ncbi.Requests, r => Assert.Equal("bibtool", r.QueryValue("tool")));
    }

    [Fact]
    public void RecordsWrittenBeforeTheyNamedTheirSourceAreStillRead()
    {
        using var temp = TestPaths.TempDir();
        var store = new MetadataStore(temp.Path);
        var doi = Id("doi:10.1038/srep16696");
        // A record as bibtool 0.1 wrote it: no "source" header, in the crossref/ folder.
        var legacy = new StoredRecord
        {
            Key = doi.WorkKey, Url = "https://api.crossref.org/works/10.1038%2Fsrep16696", Status = 200, ContentType = "application/json",
            Fetched = DateTimeOffset.Parse("2026-01-01T00:00:00Z"), Tool = "bibtool/0.1.0",
            Body = File.ReadAllBytes(TestPaths.Fixture("crossref", "works", "10.1038%2Fsrep16696.json")),
        };
        Assert.Null(legacy.Source);
        store.Write(doi, legacy);
        Assert.True(File.Exists(Path.Combine(temp.Path, "crossref", "10.1038", "srep16696.rec")));
        Assert.DoesNotContain("source:", File.ReadAllText(Path.Combine(temp.Path, "crossref", "10.1038", "srep16696.rec")).Split("\n\n")[0]);
        var work = new WorkLibrary(store).Find(doi)!;
        Assert.Equal("crossref", work.Provenance.Source);
        Assert.Equal("10.1038/srep16696", work.Doi);
        Assert.Single(BibTool.Export.StoreExport.Items(store));
    }

    [Fact]
    public async Task WhenCrossrefHasNoMatchArxivsOwnSearchMayFindThePreprint()
    {
        using var temp = TestPaths.TempDir();
        // Crossref's search answers with its recorded empty result; arXiv's with its recorded "testing"
        // search, whose first entry is 2202.12139 (titles read from the recording by hand).
        var empty = FixtureReplay.Load(TestPaths.Fixture("crossref", "lists", "works_query.title-askldjrq3rjaw938h_rows-1_empty.json"));
        await using var crossref = new LoopbackServer(_ => FixtureReplay.ToReply(empty));
        var search = FixtureReplay.Load(TestPaths.Fixture("arxiv", "current-format-2026", "search_query-testing_start-0_max-10.atom.xml"));
        await using var arxiv = new LoopbackServer(r => r.QueryValue("search_query") is not null ? FixtureReplay.ToReply(search)
            // The matched id's own entry was never recorded by itself: a SYNTHETIC feed stands in for it.
            : new Reply { Body = Synthetic.ArxivFeed((r.QueryValue("id_list") ?? "").Split(',')), Headers = [("Content-Type", "application/atom+xml")] });
        await using var pages = new LoopbackServer(_ => Reply.Text(404, "gone", "text/html"));
        var store = new MetadataStore(temp.Path);
        var page = Id("https://example.org/testing-dl");
        var report = await new Resolver(store, SourceRegistry.Default, Clients.All(crossref, arxiv, pages))
            .ResolveAsync([new SourceRequest(page, "Testing deep learning models: a first comparative study of multiple testing techniques", 2022)], offline: false);

        var resolution = Assert.Single(report.Resolutions);
        Assert.Equal(Outcome.Fetched, resolution.Outcome);
        Assert.Equal("arxiv", resolution.Source);
        Assert.Equal("arXiv title search (score 1.00)", resolution.MatchedBy);
        var query = Assert.Single(arxiv.Requests, r => r.QueryValue("search_query") is not null).QueryValue("search_query");
        Assert.Equal("ti:\"Testing deep learning models: a first comparative study of multiple testing techniques\"", query);
        Assert.Equal("2202.12139", new WorkLibrary(store).Find(page)!.Eprint!.Id);
        Assert.Equal("https://example.org/testing-dl", new WorkLibrary(store).Find(page)!.Ids.GetValueOrDefault("url"));
    }
}
