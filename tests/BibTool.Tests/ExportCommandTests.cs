using System.Text.Json;
using BibTool.Tests.Support;

namespace BibTool.Tests;

public class ExportCommandTests(ExportStores stores) : IClassFixture<ExportStores>
{
    private CliResult Export(string store, params string[] more) =>
        CliRunner.Run(["export", TestPaths.SeedSurvey, "--cache", store, "--offline", .. more]);

    private List<JsonElement> Csl(params string[] filters)
    {
        var result = Export(stores.SeedStore, ["--format", "csljson", .. filters]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().ToList();
    }

    [Fact]
    public void OneRecordPerWorkInSurveyOrder()
    {
        var items = Csl();
        Assert.Equal(125, items.Count);
        Assert.Equal(items.Count, items.Select(i => i.GetProperty("id").GetString()!.ToLowerInvariant()).Distinct().Count());
        Assert.Equal("arXiv:2509.02208", items[0].GetProperty("number").GetString());
        // PMC-CLIP, PMC-OA and PathCap share one paper: one record.
        Assert.Single(items, i => i.TryGetProperty("DOI", out var doi) && doi.GetString() == "10.1007/978-3-031-43993-3_51");
    }

    [Fact]
    public void UnresolvedWorksAreWrittenFromTheSurveyAndSaidSo()
    {
        using var empty = TestPaths.TempDir();
        var result = Export(empty.Path, "--format", "csljson", "--name", "EHRMamba");
        var item = Assert.Single(JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray());
        Assert.Equal("EHRMamba: Towards Generalizable and Scalable Foundation Models for Electronic Health Records", item.GetProperty("title").GetString());
        Assert.Equal("https://proceedings.mlr.press/v259/fallahpour25a.html", item.GetProperty("URL").GetString());
        Assert.Equal("Metadata not resolved: from the survey only", item.GetProperty("note").GetString());
        Assert.Contains($"warning: {TestPaths.SeedSurvey}:56: url:https://proceedings.mlr.press/v259/fallahpour25a.html not resolved (not in the store (offline)); written from the survey as", result.Stderr);
        Assert.Contains("csljson: 1 records (0 resolved, 1 from the survey only) from 1 rows", result.Stderr);
    }

    [Fact]
    public void ManyWorksFailingForOneReasonAreSaidInOneLineFewOneByOne()
    {
        // SYNTHETIC surveys of DOIs and a landing page, exported offline from an empty store: one reason for all.
        using var temp = TestPaths.TempDir();
        string Survey(string name, int dois)
        {
            var path = temp.File(name);
            File.WriteAllText(path, "# Models\n\n| Model | Paper |\n|---|---|\n" +
                string.Concat(Enumerable.Range(1, dois).Select(i => $"| M{i} | [doi](https://doi.org/10.5555/shared.{i}) |\n")) +
                "| Page | [paper](https://example.org/paper.html) |\n");
            return path;
        }
        string[] Export(string survey)
        {
            var result = CliRunner.Run("export", survey, "--format", "bibtex", "--offline", "--cache", temp.File("store"), "-o", temp.File("out.bib"));
            Assert.Equal(0, result.ExitCode);
            return result.Stderr.Trim().Split('\n');
        }

        // Five works, one reason: one line naming their survey lines, and no line per work.
        var many = Survey("many.md", 4);
        var lines = Export(many);
        Assert.Equal([$"warning: 5 works not resolved (not in the store (offline)); written from the survey: {many} lines 5, 6, 7, 8, 9",
            "bibtex: 5 records (0 resolved, 5 from the survey only) from 5 rows"], lines);
        Assert.Equal(5, File.ReadAllText(temp.File("out.bib")).Split("\n@").Length);

        // Three: a line each, in the survey's order.
        var few = Survey("few.md", 2);
        lines = Export(few);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith($"warning: {few}:5: doi:10.5555/shared.1 not resolved (not in the store (offline)); written from the survey as ", lines[0]);
        Assert.StartsWith($"warning: {few}:6: doi:10.5555/shared.2 not resolved", lines[1]);
        Assert.StartsWith($"warning: {few}:7: url:https://example.org/paper.html not resolved", lines[2]);
    }

    [Fact]
    public void EveryWorkOfTheSurveyHasMetadataFromASource()
    {
        // Against the stand-ins for every source, no record is built from the survey alone.
        var items = Csl();
        Assert.Equal(125, items.Count);
        Assert.DoesNotContain(items, i => i.TryGetProperty("note", out var note) && note.GetString()!.Contains("not resolved"));
        Assert.All(items, i =>
        {
            Assert.True(i.TryGetProperty("author", out var authors) && authors.GetArrayLength() > 0, i.GetProperty("id").GetString());
            Assert.True(i.TryGetProperty("issued", out _), i.GetProperty("id").GetString());
        });
        // The landing page's own tags, a PMCID's DOI, and an OpenReview venue reach the record.
        var pmlr = Assert.Single(items, i => i.TryGetProperty("URL", out var url) && url.GetString() == "https://proceedings.mlr.press/v259/fallahpour25a.html");
        Assert.Equal("Synthetic paper fallahpour25a.html", pmlr.GetProperty("title").GetString());
        Assert.Equal("Proceedings of Synthetic Learning Research", pmlr.GetProperty("container-title").GetString());
        // The PMCID row's work is its DOI's, and keeps the PMCID and the PMID the converter gave.
        var kather = Assert.Single(items, i => i.TryGetProperty("DOI", out var doi) && doi.GetString() == "10.5555/pmc.pmc6345440");
        Assert.Equal("PMC6345440", kather.GetProperty("PMCID").GetString());
        Assert.Equal("96345440", kather.GetProperty("PMID").GetString());
        Assert.Single(items, i => i.TryGetProperty("container-title", out var venue) && venue.GetString() == "ICLR 2024" && i.GetProperty("title").GetString() == "Synthetic OpenReview paper QzTpTRVtrP");
    }

    [Fact]
    public void StrictMakesUnresolvedWorksAnError()
    {
        using var temp = TestPaths.TempDir();
        var output = temp.File("out.bib");
        File.WriteAllText(output, "previous");
        var result = Export(temp.File("empty-store"), "--format", "bibtex", "--table", "Genomics", "--strict", "-o", output);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("3 works not resolved; nothing written (--strict)", result.Stderr);
        Assert.Equal("previous", File.ReadAllText(output));
        Assert.Equal(0, Export(stores.SeedStore, "--format", "bibtex", "--table", "Genomics", "--strict", "-o", output).ExitCode);
        Assert.StartsWith("@", File.ReadAllText(output));
    }

    [Fact]
    public void OfflineWithAnEmptyStoreStillWritesEveryWork()
    {
        using var temp = TestPaths.TempDir();
        var result = Export(temp.Path, "--format", "ris", "--table", "Other Models");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, result.Stdout.Split("ER  - ").Length - 1);
        Assert.Equal(3, result.Stderr.Split('\n').Count(l => l.StartsWith("warning: ")));
    }

    [Theory]
    [InlineData(new[] { "--where", "year>=2024" }, "year", 2024)]
    [InlineData(new[] { "--where", "type=preprint" }, "type", 0)]
    [InlineData(new[] { "--where", "venue~Synthetic" }, "venue", 0)]
    public void FiltersOnResolvedFields(string[] filter, string field, int minimumYear)
    {
        var all = Csl();
        var subset = Csl(filter);
        Assert.NotEmpty(subset);
        Assert.True(subset.Count < all.Count);
        switch (field)
        {
            case "year":
                Assert.All(subset, i => Assert.True(i.GetProperty("issued").GetProperty("date-parts")[0][0].GetInt32() >= minimumYear));
                Assert.Equal(all.Count(i => i.TryGetProperty("issued", out var d) && d.GetProperty("date-parts")[0][0].GetInt32() >= minimumYear), subset.Count);
                break;
            case "type":
                Assert.All(subset, i => Assert.Equal("arXiv", i.GetProperty("publisher").GetString()));
                Assert.Equal(19, subset.Count);
                break;
            default:
                Assert.All(subset, i => Assert.Contains("Synthetic", i.GetProperty("container-title").GetString()));
                break;
        }
    }

    [Fact]
    public void PlaceAndColumnFiltersCombine()
    {
        var items = Csl("--category", "Foundation Models", "--where", "subfield=Pathology", "--where", "base~DINO");
        // UNI, Virchow, RudolfV (DINOv2) and HIPT (DINO), independently counted in the survey.
        Assert.Equal(4, items.Count);
    }

    [Fact]
    public void UnknownFieldOrFormatIsAOneLineError()
    {
        var field = Export(stores.SeedStore, "--format", "bibtex", "--where", "colour=red");
        Assert.Equal(2, field.ExitCode);
        Assert.StartsWith("bibtool: unknown field 'colour'", field.Stderr);
        var format = Export(stores.SeedStore, "--format", "endnote");
        Assert.Equal(2, format.ExitCode);
        Assert.Equal("bibtool: unknown format 'endnote' (bibtex, biblatex, ris, csljson or csv)", format.Stderr.Trim());
        var missing = Export(stores.SeedStore);
        Assert.Equal("bibtool: export needs --format (bibtex, biblatex, ris, csljson, csv)", missing.Stderr.Trim());
    }

    [Fact]
    public void KeysArePinnedAcrossRunsAndPatterns()
    {
        using var temp = TestPaths.TempDir();
        stores.CopySeedRecords(temp.Path);
        var first = Export(temp.Path, "--format", "csljson", "--table", "Vision Models");
        var keys = JsonDocument.Parse(first.Stdout).RootElement.EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.True(File.Exists(temp.File("keys.tsv")));
        // Another pattern later does not change keys already given.
        var second = Export(temp.Path, "--format", "csljson", "--table", "Vision Models", "--key-pattern", "{name}{year}");
        Assert.Equal(keys, JsonDocument.Parse(second.Stdout).RootElement.EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        // ... and says so, with the count and how to re-key.
        Assert.Contains($"note: the key pattern '{{name}}{{year}}' gives keys to new works only: {keys.Count} works kept the keys pinned in {Path.Combine(temp.Path, "keys.tsv")}", second.Stderr);
        Assert.DoesNotContain("note: the key pattern", first.Stderr);
        // New works get the new pattern.
        var third = Export(temp.Path, "--format", "csljson", "--table", "Genomics", "--key-pattern", "{name}{year}");
        Assert.Contains("1000genomesproject", third.Stdout);
    }
}

public class ExportAllTests(ExportStores stores) : IClassFixture<ExportStores>
{
    [Fact]
    public void TheWholeStoreExportsWithoutASurvey()
    {
        using var temp = TestPaths.TempDir();
        var store = temp.File("store");
        stores.CopySeedRecords(store);
        var all = CliRunner.Run("export", "--all", "--format", "csljson", "--cache", store);
        Assert.True(all.ExitCode == 0, all.Stderr);
        var items = JsonDocument.Parse(all.Stdout).RootElement.EnumerateArray().ToList();
        // Every record that holds a work (aliases and negative answers are not works of their own).
        Assert.Equal(125, items.Count);
        Assert.Equal(125, items.Select(i => i.GetProperty("id").GetString()).Distinct().Count());
        Assert.Contains("csljson: 125 records from the whole store", all.Stderr);

        var recent = CliRunner.Run("export", "--all", "--format", "csljson", "--cache", store, "--where", "year>=2024", "--where", "type!=preprint");
        var kept = JsonDocument.Parse(recent.Stdout).RootElement.EnumerateArray().ToList();
        Assert.NotEmpty(kept);
        Assert.True(kept.Count < 125);
        Assert.All(kept, i => Assert.True(i.GetProperty("issued").GetProperty("date-parts")[0][0].GetInt32() >= 2024));
        // The keys given by the first export stay.
        Assert.All(kept, i => Assert.Contains(i.GetProperty("id").GetString(), items.Select(a => a.GetProperty("id").GetString())));

        var bad = CliRunner.Run("export", "--all", "--format", "bibtex", "--cache", store, "--table", "Genomics");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("with --all there is no survey", bad.Stderr);
        Assert.Equal(2, CliRunner.Run("export", "--all", "--format", "bibtex", "--cache", store, "--where", "subfield=Pathology").ExitCode);
        Assert.Equal(2, CliRunner.Run("export", TestPaths.SeedSurvey, "--all", "--format", "bibtex", "--cache", store).ExitCode);
    }
}

public class ProvisionalKeyTests(ExportStores stores) : IClassFixture<ExportStores>
{
    [Fact]
    public void AKeyMadeBeforeTheWorkResolvedGivesWayAndStaysAnAlias()
    {
        using var temp = TestPaths.TempDir();
        var store = temp.File("store");
        Directory.CreateDirectory(store);
        string[] args = ["export", TestPaths.SeedSurvey, "--format", "biblatex", "--cache", store, "--offline", "--table", "Other Models"];

        // Offline, nothing stored: keys come from the survey and are pinned as provisional.
        var first = CliRunner.Run(args);
        Assert.Equal(0, first.ExitCode);
        var provisional = File.ReadAllLines(Path.Combine(store, "keys.tsv")).Where(l => !l.StartsWith('#')).Select(l => l.Split('\t')).ToList();
        Assert.Equal(3, provisional.Count);
        Assert.All(provisional, p => Assert.Equal("provisional", p[2]));

        // The works resolve (the seed store's records arrive): each gets its pattern key, the old one stays as ids.
        stores.CopySeedRecords(store);
        var second = CliRunner.Run(args);
        Assert.Equal(0, second.ExitCode);
        var pins = File.ReadAllLines(Path.Combine(store, "keys.tsv")).Where(l => !l.StartsWith('#')).Select(l => l.Split('\t')).ToDictionary(p => p[0]);
        foreach (var old in provisional)
        {
            var now = pins[old[0]];
            Assert.NotEqual(old[1], now[1]);
            Assert.Equal($"was={old[1]}", now[2]);
            Assert.Contains($"@", second.Stdout);
            Assert.Contains($"{{{now[1]},\n  ids = {{{old[1]}}},\n", second.Stdout);
        }
        // Resolved keys are pinned for good: a third run changes nothing.
        var before = File.ReadAllText(Path.Combine(store, "keys.tsv"));
        Assert.Equal(0, CliRunner.Run(args).ExitCode);
        Assert.Equal(before, File.ReadAllText(Path.Combine(store, "keys.tsv")));
        var (biber, entries) = Validators.Biber(WriteOut(temp, second.Stdout), validateDataModel: true);
        Assert.True(biber.ExitCode == 0 && !biber.Stdout.Contains("WARN"), biber.ToString());
        Assert.Equal(3, entries);
    }

    private static string WriteOut(TempDir temp, string text)
    {
        var path = temp.File("out.bib");
        File.WriteAllText(path, text);
        return path;
    }
}

public class PreferPublishedTests
{
    [Fact]
    public async Task APreprintAndItsJournalVersionAreOneWorkAndPreferPublishedWritesTheJournalVersion()
    {
        // The recorded arXiv entry 1710.08557 names its journal DOI (<arxiv:doi>); Crossref's answer
        // for that DOI was not recorded and is SYNTHETIC.
        using var temp = TestPaths.TempDir();
        await using var crossref = new LoopbackServer(Synthetic.Crossref());
        var replay = FixtureReplay.Arxiv();
        await using var arxiv = new LoopbackServer(r => replay(r));
        var journalDoi = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(FixtureReplay.ArxivFeeds()["1710.08557"]), "<arxiv:doi[^>]*>([^<]+)</arxiv:doi>").Groups[1].Value;
        Assert.Equal("10.1186/s12984-017-0305-3", journalDoi);
        File.WriteAllText(temp.File("both.md"), $"| Name | Paper |\n|---|---|\n| Preprint | [arXiv](https://arxiv.org/abs/1710.08557) |\n| Journal | [paper](https://doi.org/{journalDoi}) |\n");
        File.WriteAllText(temp.File("preprint.md"), "| Name | Paper |\n|---|---|\n| Preprint | [arXiv](https://arxiv.org/abs/1710.08557) |\n");
        string[] Args(string survey, params string[] more) =>
            ["export", temp.File(survey), "--format", "biblatex", "--cache", temp.File("store"), "--crossref-url", crossref.BaseUrl, "--arxiv-url", arxiv.BaseUrl, "--mailto", "ci@example.org", .. more];

        // Two rows, one work: one record, the first row's version (the preprint).
        var plain = await CliRunner.RunAsync(Args("both.md"));
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        var entry = Assert.Single(System.Text.RegularExpressions.Regex.Matches(plain.Stdout, "^@(\\w+)\\{([^,]+),", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Equal("misc", entry.Groups[1].Value);
        var key = entry.Groups[2].Value;
        Assert.Contains("eprint = {1710.08557}", plain.Stdout);

        // check calls the two rows one work listed twice.
        var check = await CliRunner.RunAsync("check", temp.File("both.md"), "--cache", temp.File("store"), "--offline");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains($":4: problem: duplicate: doi:{journalDoi} is the same work as arxiv:1710.08557 on line 3 (a preprint and its published version)", check.Stdout);

        // --prefer-published: the journal version, under the same key, with the preprint's id kept.
        var published = await CliRunner.RunAsync(Args("both.md", "--prefer-published"));
        Assert.True(published.ExitCode == 0, published.Stderr);
        Assert.StartsWith($"@article{{{key},", published.Stdout);
        Assert.Contains($"doi = {{{journalDoi}}}", published.Stdout);
        Assert.Contains("eprint = {1710.08557}", published.Stdout);
        Assert.DoesNotContain("pubstate", published.Stdout);

        // A survey that lists only the preprint, into a new store: the journal version is fetched for it.
        var before = crossref.Requests.Count;
        var only = await CliRunner.RunAsync(Args("preprint.md", "--prefer-published", "--format", "csljson", "--cache", temp.File("fresh")));
        Assert.True(only.ExitCode == 0, only.Stderr);
        var record = System.Text.Json.JsonDocument.Parse(only.Stdout).RootElement[0];
        Assert.Equal("article-journal", record.GetProperty("type").GetString());
        Assert.Equal(journalDoi, record.GetProperty("DOI").GetString());
        Assert.Equal(["/works/10.1186%2Fs12984-017-0305-3"], crossref.Requests.Skip(before).Select(r => r.Path));
    }
}

public class PublishedSearchTests
{
    [Fact]
    public async Task APreprintsJournalVersionIsFoundByTitleAndFirstAuthorOnlyWhenBothMatch()
    {
        // The recorded arXiv entry 1605.08386 names no journal version. Crossref's search answers are
        // SYNTHETIC: the preprint itself (posted content), a journal article with the same title by
        // someone else, and one with the same title and first author (the match).
        using var temp = TestPaths.TempDir();
        var feed = System.Xml.Linq.XDocument.Load(FixtureReplay.ArxivFeeds()["1605.08386"]);
        System.Xml.Linq.XNamespace atom = "http://www.w3.org/2005/Atom";
        var entry = feed.Root!.Element(atom + "entry")!;
        var title = string.Join(' ', entry.Element(atom + "title")!.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var firstAuthor = entry.Element(atom + "author")!.Element(atom + "name")!.Value.Split(' ')[^1];
        string Item(string doi, string type, string family, int year) =>
            "{\"DOI\":\"" + doi + "\",\"type\":\"" + type + "\",\"title\":[\"" + title + "\"],\"author\":[{\"family\":\"" + family + "\",\"given\":\"A.\"}],\"issued\":{\"date-parts\":[[" + year + "]]}}";
        var searches = new List<RecordedRequest>();
        var sameAuthor = true;
        await using var crossref = new LoopbackServer(request =>
        {
            if (request.Path != "/works") return Synthetic.Crossref()(request);
            searches.Add(request);
            var items = new List<string> { Item("10.48550/arxiv.1605.08386", "posted-content", firstAuthor, 2016), Item("10.5555/other", "journal-article", "Someone", 2017) };
            if (sameAuthor) items.Add(Item("10.5555/journal.version", "journal-article", firstAuthor, 2018));
            var body = "{\"status\":\"ok\",\"message-type\":\"work-list\",\"message\":{\"items\":[" + string.Join(",", items) + "]}}";
            return new Reply { Body = System.Text.Encoding.UTF8.GetBytes(body), Headers = [("Content-Type", "application/json")] };
        });
        var replay = FixtureReplay.Arxiv();
        await using var arxiv = new LoopbackServer(r => replay(r));
        File.WriteAllText(temp.File("s.md"), "| Name | Paper |\n|---|---|\n| Walks | [arXiv](https://arxiv.org/abs/1605.08386) |\n");
        string[] Args(string command, string cache, params string[] more) =>
            [command, temp.File("s.md"), "--cache", cache, "--crossref-url", crossref.BaseUrl, "--arxiv-url", arxiv.BaseUrl, "--mailto", "ci@example.org", .. more];

        var check = await CliRunner.RunAsync(Args("check", temp.File("store")));
        Assert.True(check.ExitCode == 0, check.Stderr);
        Assert.Contains(":3: note: published: arxiv:1605.08386 has a published version: doi:10.5555/journal.version (found by a title and first-author search (score 1.00))", check.Stdout);
        var search = Assert.Single(searches);
        Assert.Equal(title, search.QueryValue("query.bibliographic"));
        Assert.Equal(firstAuthor, search.QueryValue("query.author"));
        Assert.Equal("type:journal-article,type:proceedings-article", search.QueryValue("filter"));

        // The answer is stored: a second check searches nothing; --prefer-published writes the journal version.
        Assert.Equal(0, (await CliRunner.RunAsync(Args("check", temp.File("store")))).ExitCode);
        Assert.Single(searches);
        var export = await CliRunner.RunAsync(Args("export", temp.File("store"), "--format", "csljson", "--prefer-published"));
        Assert.True(export.ExitCode == 0, export.Stderr);
        var record = System.Text.Json.JsonDocument.Parse(export.Stdout).RootElement[0];
        Assert.Equal("10.5555/journal.version", record.GetProperty("DOI").GetString());

        // Same title, another first author: no published version is claimed.
        sameAuthor = false;
        var other = await CliRunner.RunAsync(Args("check", temp.File("store2")));
        Assert.True(other.ExitCode == 0, other.Stderr);
        Assert.DoesNotContain("published", other.Stdout);
        Assert.Equal(2, searches.Count);
    }
}

public class OutputErrorTests(ExportStores stores) : IClassFixture<ExportStores>
{
    [Fact]
    public void AnUnwritableOutputIsAnOutputErrorNotAStoreError()
    {
        // The -o path goes through a regular file: no directory can be made there (even as root).
        using var temp = TestPaths.TempDir();
        File.WriteAllText(temp.File("file.txt"), "x");
        var output = Path.Combine(temp.File("file.txt"), "out.bib");
        var result = CliRunner.Run("export", TestPaths.SeedSurvey, "--format", "bibtex", "--offline", "--cache", stores.SeedStore, "-o", output);
        Assert.Equal(4, result.ExitCode);
        Assert.StartsWith($"bibtool: cannot write {output}: ", result.Stderr.Split('\n').Last(l => l.Length > 0));
        Assert.Equal("x", File.ReadAllText(temp.File("file.txt")));
        var list = CliRunner.Run("list", TestPaths.SeedSurvey, "--format", "csv", "-o", output);
        Assert.Equal(4, list.ExitCode);
    }
}

public class UnreachableServiceTests
{
    [Fact]
    public void ManyWorksFailingForOneReasonAreOneLine()
    {
        // Nothing listens on port 9: Crossref cannot be reached, and five works fail for that one reason.
        using var temp = TestPaths.TempDir();
        var rows = string.Join("", Enumerable.Range(1, 5).Select(i => $"| P{i} | [x](https://doi.org/10.5555/unreachable.{i}) |\n"));
        File.WriteAllText(temp.File("s.md"), "## M\n\n| Name | Paper |\n|---|---|\n" + rows);
        var result = CliRunner.Run("export", temp.File("s.md"), "--format", "bibtex", "--cache", temp.File("store"), "--crossref-url", "http://127.0.0.1:9", "--mailto", "t@example.org", "--timeout", "2");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var warnings = result.Stderr.Split('\n').Where(l => l.StartsWith("warning:", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(warnings);
        Assert.StartsWith("warning: 5 works not resolved (", line);
        Assert.EndsWith($"written from the survey: {temp.File("s.md")} lines 5, 6, 7, 8, 9", line);
    }
}
