using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>
/// What Zotero's import translators read, checked on every recorded work: the expected values come
/// from the raw recordings (Crossref's JSON, arXiv's Atom); the tags and fields are where Zotero's
/// RIS, BibTeX and CSL-JSON importers look (checked by hand with Zotero's own translators, see the
/// README's format section).
/// </summary>
public class ZoteroFidelityTests(ExportStores stores) : IClassFixture<ExportStores>
{
    private string Export(string format)
    {
        var path = Path.Combine(stores.Directory, $"zotero.{format}");
        if (File.Exists(path)) return path;
        var result = CliRunner.Run(["export", stores.FixtureSurvey, "--format", format, "-o", path, "--cache", stores.FixtureStore, "--offline"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return path;
    }

    private static IEnumerable<JsonElement> RawMessages() =>
        FixtureReplay.CrossrefWorks().Values.Select(f => JsonDocument.Parse(File.ReadAllBytes(f)).RootElement.GetProperty("message"));

    private static string Doi(JsonElement m) => m.GetProperty("DOI").GetString()!.ToLowerInvariant();

    private static List<List<(string Tag, string Value)>> Ris(string text) => RecordedFidelityTests.RisRecords(text);

    private Dictionary<string, List<(string Tag, string Value)>> RisByDoi() =>
        Ris(File.ReadAllText(Export("ris"))).Where(r => r.Any(t => t.Tag == "DO")).ToDictionary(r => r.First(t => t.Tag == "DO").Value.ToLowerInvariant());

    private Dictionary<string, JsonElement> CslByDoi() =>
        JsonDocument.Parse(File.ReadAllText(Export("csljson"))).RootElement.EnumerateArray()
            .Where(e => e.TryGetProperty("DOI", out _)).ToDictionary(e => e.GetProperty("DOI").GetString()!.ToLowerInvariant());

    [Fact]
    public void RisNamesEveryArxivIdInM2()
    {
        // Zotero keeps M2 in Extra, where "arXiv: ID" names the preprint's id.
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var surveyed = File.ReadAllText(stores.FixtureSurvey);
        var ids = FixtureReplay.ArxivFeeds().Values.Distinct().SelectMany(f => XDocument.Load(f).Root!.Elements(atom + "entry"))
            .Select(e => (string?)e.Element(atom + "id") ?? "").Where(id => id.Contains("arxiv.org/abs/"))
            .Select(id => Regex.Replace(id[(id.IndexOf("/abs/", StringComparison.Ordinal) + 5)..], "v[0-9]+$", ""))
            .Where(id => surveyed.Contains($"arxiv.org/abs/{id}", StringComparison.Ordinal)).ToHashSet();
        Assert.True(ids.Count >= 5);
        var m2 = Ris(File.ReadAllText(Export("ris"))).SelectMany(r => r.Where(t => t.Tag == "M2").Select(t => t.Value)).ToHashSet();
        foreach (var id in ids) Assert.Contains($"arXiv: {id}", m2);
    }

    [Fact]
    public void RisPutsProceedingsInC3AndNeverAPublisherAsAContainer()
    {
        var ris = RisByDoi();
        var checkedProceedings = 0;
        foreach (var m in RawMessages())
        {
            var record = ris[Doi(m)];
            string? Get(string tag) => record.Where(t => t.Tag == tag).Select(t => t.Value).FirstOrDefault();
            var type = m.GetProperty("type").GetString();
            var container = m.TryGetProperty("container-title", out var c) && c.GetArrayLength() > 0 ? c[0].GetString() : null;
            var publisher = m.TryGetProperty("publisher", out var p) ? p.GetString() : null;
            if (type == "proceedings-article" && container is not null)
            {
                Assert.Equal(container, Get("C3"));
                checkedProceedings++;
            }
            // A work with no container never gets its publisher as one (a preprint's server is the exception).
            if (container is null && type != "posted-content" && publisher is not null) Assert.NotEqual(publisher, Get("T2"));
        }
        Assert.True(checkedProceedings >= 2, $"{checkedProceedings} proceedings papers");
    }

    [Fact]
    public void BibtexCarriesTheFullDate()
    {
        // bibtex reads year and month; Zotero reads date, so the day survives the import.
        var entries = BibTool.BibFiles.BibParser.ReadFile(Export("bibtex")).Records.Where(r => r["doi"] is not null)
            .ToDictionary(r => r["doi"]!.ToLowerInvariant());
        var days = 0;
        foreach (var m in RawMessages())
        {
            var parts = m.GetProperty("issued").GetProperty("date-parts")[0];
            if (parts.ValueKind != JsonValueKind.Array || parts.GetArrayLength() < 3 || parts[0].ValueKind != JsonValueKind.Number) continue;
            var iso = $"{parts[0].GetInt32():D4}-{parts[1].GetInt32():D2}-{parts[2].GetInt32():D2}";
            Assert.Equal(iso, entries[Doi(m)]["date"]);
            days++;
        }
        Assert.True(days >= 20, $"{days} works with a full date");
    }

    [Fact]
    public void AJournalIssueIsAJournalArticleWithItsJournalVolumeIssueAndIssn()
    {
        var csl = CslByDoi();
        var ris = RisByDoi();
        var issues = RawMessages().Where(m => m.GetProperty("type").GetString() == "journal-issue").ToList();
        Assert.NotEmpty(issues);
        foreach (var m in issues)
        {
            var item = csl[Doi(m)];
            Assert.Equal("article-journal", item.GetProperty("type").GetString());
            Assert.Equal(m.GetProperty("container-title")[0].GetString(), item.GetProperty("container-title").GetString());
            // The recording names the issue and volume in its journal-issue object.
            var issue = m.GetProperty("journal-issue");
            if (issue.TryGetProperty("issue", out var number)) Assert.Equal(number.GetString(), item.GetProperty("issue").GetString());
            foreach (var issn in m.GetProperty("ISSN").EnumerateArray()) Assert.Contains(issn.GetString()!, item.GetProperty("ISSN").GetString());
            var record = ris[Doi(m)];
            Assert.Contains(("TY", "JOUR"), record);
            foreach (var issn in m.GetProperty("ISSN").EnumerateArray()) Assert.Contains(issn.GetString()!, record.First(t => t.Tag == "SN").Value);
            // (BibTeX and BibLaTeX keep an issue without authors a @misc: their @article requires an author.)
        }
    }

    [Fact]
    public void BlogPostsAndPeerReviewsAreTheirZoteroTypesWithTheirDoi()
    {
        var csl = CslByDoi();
        var ris = RisByDoi();
        var seen = 0;
        foreach (var m in RawMessages())
        {
            var type = m.GetProperty("type").GetString();
            var blog = type == "posted-content" && m.TryGetProperty("subtype", out var s) && s.GetString() == "blog";
            if (!blog && type != "peer-review") continue;
            seen++;
            var item = csl[Doi(m)];
            Assert.Equal(blog ? "post-weblog" : "manuscript", item.GetProperty("type").GetString());
            // Neither Zotero type has a DOI field: the DOI travels in note (Zotero's Extra).
            Assert.Contains($"DOI: {m.GetProperty("DOI").GetString()}", item.GetProperty("note").GetString());
            Assert.Contains((blog ? ("TY", "BLOG") : ("TY", "MANSCPT")), ris[Doi(m)]);
        }
        Assert.True(seen >= 2, $"{seen} blog posts and peer reviews");
    }

    private Dictionary<string, BibTool.BibFiles.BibRecord> BibByDoi(string format) =>
        BibTool.BibFiles.BibParser.ReadFile(Export(format)).Records.Where(r => r["doi"] is not null)
            .ToDictionary(r => r["doi"]!.ToLowerInvariant());

    [Theory]
    [InlineData("bibtex")]
    [InlineData("biblatex")]
    public void TitleMarkupIsInTheFormZoterosImporterReads(string format)
    {
        // Zotero's BibTeX.js reads \textit{X} as <i>X</i> only when no brace is inside, and a superscript only as $^{...}$.
        var entries = BibByDoi(format);
        int italics = 0, superscripts = 0;
        foreach (var m in RawMessages())
        {
            if (!m.TryGetProperty("title", out var t) || t.GetArrayLength() == 0) continue;
            // Crossref's titles hold HTML, sometimes escaped twice ("&amp;lt;sup&amp;gt;").
            var raw = System.Net.WebUtility.HtmlDecode(System.Net.WebUtility.HtmlDecode(t[0].GetString()!));
            var title = entries[Doi(m)]["title"]!;
            foreach (Match italic in Regex.Matches(raw, "<i>([A-Za-z ]+)</i>"))
            {
                Assert.Contains(@"{{\textit{" + italic.Groups[1].Value + "}}}", title);
                italics++;
            }
            foreach (Match sup in Regex.Matches(raw, "<sup>([0-9A-Za-z]+)</sup>"))
            {
                Assert.Contains(@"{$^{\textrm{" + sup.Groups[1].Value + "}}$}", title);
                superscripts++;
            }
        }
        Assert.True(italics >= 3 && superscripts >= 1, $"{italics} italic runs, {superscripts} superscripts");
    }

    [Fact]
    public void BibtexWritesCurlyApostrophesAndUnicodeHyphensAsZoteroReadsThem()
    {
        // ASCII BibTeX writes ’ as {\textquoteright} (Zotero decodes it; a plain ' it would keep as ');
        // U+2010, which LaTeX's utf8 input typesets, stays as it is.
        var entries = BibByDoi("bibtex");
        int apostrophes = 0, hyphens = 0;
        foreach (var m in RawMessages())
        {
            var doi = Doi(m);
            if (m.TryGetProperty("title", out var t) && t.GetArrayLength() > 0 && t[0].GetString()!.Contains('\u2019'))
            {
                Assert.Contains(@"{\textquoteright}", entries[doi]["title"]);
                apostrophes++;
            }
            if (!m.TryGetProperty("author", out var authors)) continue;
            foreach (var family in authors.EnumerateArray().Select(a => a.TryGetProperty("family", out var f) ? f.GetString()! : "").Where(f => f.Contains('\u2010')))
            {
                Assert.Contains(family, entries[doi]["author"]);
                hyphens++;
            }
        }
        Assert.True(apostrophes >= 1 && hyphens >= 1, $"{apostrophes} apostrophes, {hyphens} hyphenated names");
    }

    [Fact]
    public void ConferenceNamesAndThesisTypesReachZotero()
    {
        var bibtex = BibByDoi("bibtex");
        var ris = RisByDoi();
        int events = 0, theses = 0;
        foreach (var m in RawMessages())
        {
            var type = m.GetProperty("type").GetString();
            if (type == "proceedings-article" && m.TryGetProperty("event", out var e) && e.TryGetProperty("name", out var name)
                && bibtex[Doi(m)].Type == "inproceedings")
            {
                // bibtex ignores eventtitle; Zotero reads it as the conference name.
                Assert.Equal(name.GetString(), bibtex[Doi(m)]["eventtitle"]);
                events++;
            }
            if (type == "dissertation")
            {
                // Zotero reads a thesis's M3 as its thesis type.
                Assert.Contains(("M3", m.GetProperty("degree")[0].GetString()!), ris[Doi(m)]);
                theses++;
            }
        }
        Assert.True(events >= 2 && theses >= 1, $"{events} conference names, {theses} theses");
    }

    [Fact]
    public void BiblatexGivesZoteroTheLanguageAndPlace()
    {
        var biblatex = File.ReadAllText(Export("biblatex"));
        var entries = BibTool.BibFiles.BibParser.ReadFile(Export("biblatex")).Records;
        // Every entry with a langid says it in language too (the field Zotero reads; biblatex clears it when it is the document's).
        var withLangid = entries.Where(r => r["langid"] is not null).ToList();
        Assert.NotEmpty(withLangid);
        Assert.All(withLangid, r => Assert.Equal(r["langid"], r["language"]));
        // The place is written as address (biblatex's alias of location), never location beside it.
        Assert.DoesNotContain("  location = ", biblatex);
    }
}

/// <summary>No JSON bibtool writes repeats a key in an object (Zotero and most readers keep one of the two silently).</summary>
public class JsonDuplicateKeyTests(ExportStores stores) : IClassFixture<ExportStores>
{
    /// <summary>Object paths where a property name appears twice.</summary>
    public static List<string> DuplicateKeys(string json)
    {
        var found = new List<string>();
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        var stack = new Stack<HashSet<string>>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject: stack.Push([]); break;
                case JsonTokenType.EndObject: stack.Pop(); break;
                case JsonTokenType.PropertyName:
                    var name = reader.GetString()!;
                    if (!stack.Peek().Add(name)) found.Add($"{name} at byte {reader.TokenStartIndex}");
                    break;
            }
        }
        return found;
    }

    [Theory]
    [InlineData("export", "--format", "csljson")]
    [InlineData("list", "--format", "json")]
    [InlineData("check", "--format", "json")]
    public void NoJsonOutputRepeatsAKey(params string[] command)
    {
        // The seed survey (its PubMed rows name PMIDs and PMCIDs their records carry too) and every recorded work.
        using var temp = TestPaths.TempDir();
        stores.CopySeedRecords(temp.Path);
        foreach (var (survey, store) in new[] { (TestPaths.SeedSurvey, temp.Path), (stores.FixtureSurvey, stores.FixtureStore) })
        {
            var result = CliRunner.Run([command[0], survey, .. command[1..], "--cache", store, .. command[0] == "list" ? Array.Empty<string>() : ["--offline"]]);
            Assert.True(result.ExitCode is 0 or 1, result.Stderr);
            Assert.Empty(DuplicateKeys(result.Stdout));
        }
    }
}
