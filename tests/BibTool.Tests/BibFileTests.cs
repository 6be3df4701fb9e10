using System.Text.Json.Nodes;
using BibTool.BibFiles;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>The strict BibTeX reader, on the real .bib files in the recordings and on hostile ones.</summary>
public class BibParserTests
{
    public static TheoryData<string> RealBibFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestPaths.Fixture("crossref", "transform"), "*.bib").Concat(Directory.GetFiles(TestPaths.Fixture("dblp", "rec"), "*.bib")).Order())
            data.Add(Path.GetRelativePath(TestPaths.Fixtures, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(RealBibFiles))]
    public void ReadsEveryRecordedBibFile(string relative)
    {
        var path = Path.Combine(TestPaths.Fixtures, relative);
        var file = BibParser.ReadFile(path);
        var record = Assert.Single(file.Records);
        // The DOI the file was requested for, from its name; dblp's record is a book by DOI too.
        var doi = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(path), @"doi\s*=\s*\{([^}]+)\}", System.Text.RegularExpressions.RegexOptions.IgnoreCase).Groups[1].Value;
        Assert.Equal(doi, record["doi"]);
        Assert.False(string.IsNullOrEmpty(record.Key));
        // Every field's raw span starts with the value's delimiter or a bare word.
        foreach (var field in record.Fields) Assert.Matches(@"^[{""0-9A-Za-z]", file.Text[field.ValueStart..field.ValueEnd]);
    }

    [Fact]
    public void MacrosConcatenationQuotesAndCommentsReadAsBibtexReadsThem()
    {
        const string text = """
            Free text before entries is ignored, even me@example.org.
            @string{jnl = "Journal of " # {Things}}
            @preamble{ "\newcommand{\noop}[1]{}" }
            @comment{ @article{fake, title = {not an entry}} }
            @article{real,
              journal = jnl # " Letters",
              title = "A {"}quoted{"} title",
              month = sep,
              year = 2020,
            }
            """;
        var file = BibParser.Parse(text);
        var record = Assert.Single(file.Records);
        Assert.Equal("real", record.Key);
        Assert.Equal("Journal of Things Letters", record["journal"]);
        Assert.Equal("A {\"}quoted{\"} title", record["title"]);
        Assert.Equal("September", record["month"]);
        Assert.Equal("2020", record["year"]);
    }

    [Theory]
    [InlineData("@article{k, title = {open\n", ":1: a '{' is never closed; the entry on line 1 is left as it is")]
    [InlineData("@article{k,\n title = {a} year = 2020}", ":2: @article{k: ',' or the end of the entry expected after the field 'title'; the entry on line 1 is left as it is")]
    [InlineData("@article{k, title = \"unclosed}", ":1: a '}' closes nothing inside a quoted value; the entry on line 1 is left as it is")]
    [InlineData("@article{, title={a}}", ":1: @article has no key; the entry on line 1 is left as it is")]
    public void AnEntryBibtexCannotReadIsReportedByLineAndLeftOut(string text, string message)
    {
        // The broken entry first, a sound one after it on its own line: the sound one is still read.
        var file = BibParser.Parse(text + "\n@misc{after, title = {Sound}}\n", "refs.bib");
        Assert.Equal(["refs.bib" + message], file.Warnings);
        Assert.Equal("after", Assert.Single(file.Records).Key);
    }

    [Fact]
    public void WhatBibtexOnlyWarnsAboutIsReadAsBibtexReadsItWithAWarning()
    {
        const string text = "@article{k, title={First},\n title={Second}, journal = jcn # { Letters}}\n" +
                            "@book{k, title={Repeated key}}\n" +
                            "@misc{u, t\u00eftle\u00ad = n\u00e4me, note = {x}}\n@string{n\u00e4me = {Unicode macro}}\n@misc{v, t\u00eftle = n\u00e4me}\n";
        var file = BibParser.Parse(text, "refs.bib");
        Assert.Equal([
            "refs.bib:2: @article{k: the field 'title' is given twice; bibtex uses the first, and so does bibtool (the second is left as it is)",
            "refs.bib:2: the macro 'jcn' is not defined by an @string here (bibtex reads it as empty; --macros FILE.bib reads a file that defines it); its field is left as it is",
            "refs.bib:3: the key 'k' is used twice (first on line 1); bibtex uses the first, so this entry is left as it is",
            "refs.bib:4: the macro 'n\u00e4me' is not defined by an @string here (bibtex reads it as empty; --macros FILE.bib reads a file that defines it); its field is left as it is",
        ], file.Warnings);
        Assert.Equal(["k", "u", "v"], file.Records.Select(r => r.Key));
        var k = file.Records[0];
        Assert.Equal("First", k["title"]);
        Assert.Equal(" Letters", k["journal"]);
        Assert.False(k.Field("journal")!.Known);
        Assert.True(k.Field("title")!.Known);
        Assert.Equal("t\u00eftle\u00ad", file.Records[1].Fields[0].Name);
        Assert.Equal("Unicode macro", file.Records[2]["t\u00eftle"]);
        // A companion file's definitions fill the gap.
        var withMacros = BibParser.Parse(text, "refs.bib", new Dictionary<string, string> { ["jcn"] = "J. Chem. Notes" });
        Assert.Equal("J. Chem. Notes Letters", withMacros.Records[0]["journal"]);
        Assert.True(withMacros.Records[0].Field("journal")!.Known);
    }
}

/// <summary>Refreshing a user's .bib: only what differs upstream changes; every other byte stays.</summary>
public class BibRefreshTests
{
    private static string RecordedBib(string doi) =>
        Path.Combine(TestPaths.Fixture("crossref", "transform"), Uri.EscapeDataString(doi) + ".bib");

    private static async Task<CliResult> Refresh(LoopbackServer crossref, string bib, string cache, params string[] more) =>
        await CliRunner.RunAsync(["refresh", bib, "--cache", cache, "--crossref-url", crossref.BaseUrl, "--mailto", "ci@example.org", "--quiet", .. more]);

    [Fact]
    public async Task ARealBibFileWhoseWorkDidNotChangeStaysByteForByte()
    {
        // Crossref's own BibTeX for a recorded work, refreshed against that work's recorded JSON.
        using var temp = TestPaths.TempDir();
        var bib = temp.File("refs.bib");
        var doi = "10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v";
        File.Copy(RecordedBib(doi), bib);
        var before = File.ReadAllBytes(bib);
        await using var crossref = new LoopbackServer(FixtureReplay.Crossref());
        var result = await Refresh(crossref, bib, temp.File("cache"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Equal(before, File.ReadAllBytes(bib));
        Assert.False(File.Exists(bib + ".bak"));
        Assert.Contains("1 entries, 1 checked, 0 changed", result.Stderr);
    }

    [Fact]
    public async Task OnlyTheFieldsThatChangedUpstreamChange()
    {
        // The same real file; Crossref's answer is the recording with two values changed (SYNTHETIC
        // change: a corrected volume and new pages).
        using var temp = TestPaths.TempDir();
        var doi = "10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v";
        var bib = temp.File("refs.bib");
        File.Copy(RecordedBib(doi), bib);
        var original = File.ReadAllText(bib);
        var recorded = JsonNode.Parse(File.ReadAllText(FixtureReplay.CrossrefWorks()[doi]))!;
        recorded["message"]!["volume"] = "431";
        recorded["message"]!["page"] = "283-299";
        await using var crossref = new LoopbackServer(_ => new Reply { Body = System.Text.Encoding.UTF8.GetBytes(recorded.ToJsonString()), Headers = [("Content-Type", "application/json")] });

        var dry = await Refresh(crossref, bib, temp.File("cache"), "--dry-run", "--format", "json");
        Assert.True(dry.ExitCode == 0, dry.Stderr);
        Assert.Equal(original, File.ReadAllText(bib));
        var changes = System.Text.Json.JsonDocument.Parse(dry.Stdout).RootElement.GetProperty("changes").EnumerateArray()
            .Select(c => (c.GetProperty("field").GetString(), c.GetProperty("old").GetString(), c.GetProperty("new").GetString())).ToList();
        Assert.Equal([("volume", "{430}", "431"), ("pages", "{283–305}", "283--299")], changes);

        var run = await Refresh(crossref, bib, temp.File("cache"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(original, File.ReadAllText(bib + ".bak"));
        // Byte for byte, the file is the original with exactly those two values replaced.
        var expected = original.Replace("volume={430}", "volume={431}").Replace("pages={283–305}", "pages={283--299}");
        Assert.NotEqual(original, expected);
        Assert.Equal(expected, File.ReadAllText(bib));
        // A second run finds nothing to change.
        var again = await Refresh(crossref, bib, temp.File("cache"));
        Assert.Equal("", again.Stdout);
        Assert.Equal(expected, File.ReadAllText(bib));
    }

    [Fact]
    public async Task ARefreshReachesItsFixedPointInOneRun()
    {
        // A record with a DOI and nothing else, refreshed against the recorded work: the year and
        // the month (read here from the recording) come in the same run, and a second run finds nothing.
        using var temp = TestPaths.TempDir();
        var parts = JsonNode.Parse(File.ReadAllBytes(TestPaths.Fixture("crossref", "works", "10.1038%2Fsrep16696.json")))!["message"]!["issued"]!["date-parts"]![0]!.AsArray();
        string[] months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
        var bib = temp.File("refs.bib");
        const string original = "@article{k,\n  doi = {10.1038/srep16696},\n}\n";
        File.WriteAllText(bib, original);
        await using var crossref = new LoopbackServer(FixtureReplay.Crossref());
        var first = await Refresh(crossref, bib, temp.File("cache"));
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains($"k: year: (none) → {parts[0]}", first.Stdout);
        Assert.Contains($"k: month: (none) → {months[parts[1]!.GetValue<int>() - 1]}", first.Stdout);
        var again = await Refresh(crossref, bib, temp.File("cache"));
        Assert.Equal("", again.Stdout);
        Assert.Equal(original, File.ReadAllText(bib + ".bak"));
    }

    [Fact]
    public async Task AFileOfManyEntriesKeepsEverythingBibtoolDoesNotManage()
    {
        // SYNTHETIC works (Synthetic.Crossref) behind a hand-written file with macros, comments,
        // an aligned dblp-style entry missing its pages, and an entry with no identifier.
        using var temp = TestPaths.TempDir();
        var (first, F) = SyntheticMessage.Of("10.5555/one");
        var authors = string.Join(" and ", first["author"]!.AsArray().Select(a => $"{a!["family"]}, {a["given"]}"));
        var text = string.Join("\n",
            "% My bibliography",
            "@string{ jnl = \"" + F("container-title") + "\" }",
            "@comment{ kept as it is }",
            "",
            "@article{mine2020,",
            "  author       = {" + authors + "},",
            "  title        = {" + F("title") + "},",
            "  journal      = jnl,",
            "  year         = " + first["issued"]!["date-parts"]![0]![0] + ",",
            "  volume       = {" + F("volume") + "},",
            "  doi          = {10.5555/one},",
            "  timestamp    = {Tue, 04 Oct 2022 22:39:18 +0200},",
            "}",
            "",
            "Some notes between entries.",
            "",
            "@misc{noid, title = {A talk}, howpublished = {In person}}",
            "");
        var bib = temp.File("refs.bib");
        File.WriteAllText(bib, text);
        await using var crossref = new LoopbackServer(Synthetic.Crossref());
        var result = await Refresh(crossref, bib, temp.File("cache"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        // The fields the entry lacks and the work has are added, aligned like their neighbours;
        // nothing else changes.
        var pages = System.Text.RegularExpressions.Regex.Replace(F("page"), @"\s*-+\s*", "--");
        var added = "";
        if (first["issued"]!["date-parts"]![0]!.AsArray().Count > 1)
            added += "  month        = " + new[] { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" }[first["issued"]!["date-parts"]![0]![1]!.GetValue<int>() - 1] + ",\n";
        if (first["issue"] is not null) added += "  number       = {" + F("issue") + "},\n";
        added += "  pages        = {" + pages + "},\n";
        var expected = text.Replace("  timestamp    = {Tue, 04 Oct 2022 22:39:18 +0200},\n", "  timestamp    = {Tue, 04 Oct 2022 22:39:18 +0200},\n" + added);
        Assert.Contains($"mine2020: pages: (none) → {pages}", result.Stdout);
        Assert.Contains("refs.bib:17: noid: left as it is (no doi, eprint, pmid or url)", result.Stdout);
        Assert.Equal(expected, File.ReadAllText(bib));
        Assert.Equal(text, File.ReadAllText(bib + ".bak"));
    }

    [Fact]
    public async Task AnUnreadableEntryIsReportedAndTheRestIsStillRefreshed()
    {
        using var temp = TestPaths.TempDir();
        var bib = temp.File("mixed.bib");
        const string broken = "@article{broken,\n  title = {open,\n";
        const string sound = "@article{sound,\n  title = {Old},\n  year = 2020,\n  doi = {10.5555/sound},\n}\n";
        File.WriteAllText(bib, broken + sound);
        await using var crossref = new LoopbackServer(_ => new Reply { Body = Work("10.5555/sound", "New title"), Headers = [("Content-Type", "application/json")] });
        var result = await Refresh(crossref, bib, temp.File("cache"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"warning: {bib}:2: a '{{' is never closed; the entry on line 1 is left as it is", result.Stderr);
        Assert.Equal(broken + sound.Replace("{Old}", "{New title}") , File.ReadAllText(bib));
    }

    [Fact]
    public async Task ALatin1FileIsRefreshedInLatin1AndAValueItCannotHoldIsRefused()
    {
        // An 8-bit file (SYNTHETIC): ö, Ü and ß as single Latin-1 bytes, in a comment and a title.
        using var temp = TestPaths.TempDir();
        var bib = temp.File("latin1.bib");
        var text = "% Bibliographie von J\u00f6rg\n@article{muller,\n  title = {\u00dcber Gr\u00f6\u00dfen},\n  volume = {6},\n  year = 2020,\n  doi = {10.5555/latin1},\n}\n" +
                   "@article{far,\n  title = {Far},\n  year = 2020,\n  doi = {10.5555/cjk},\n}\n";
        var original = System.Text.Encoding.Latin1.GetBytes(text);
        Assert.Contains((byte)0xF6, original);
        File.WriteAllBytes(bib, original);
        await using var crossref = new LoopbackServer(request => new Reply
        {
            Body = request.Path.Contains("latin1") ? Work("10.5555/latin1", "\u00dcber Gr\u00f6\u00dfen", volume: "7") : Work("10.5555/cjk", "Far east \u6f22\u5b57"),
            Headers = [("Content-Type", "application/json")],
        });
        var result = await Refresh(crossref, bib, temp.File("cache"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"warning: {bib}:1: not UTF-8; read as Latin-1 (8-bit), and written back in it", result.Stderr);
        Assert.Contains($"warning: {bib}:9: far: title is left as it is: Latin-1 cannot hold the new value (Far east \u6f22\u5b57)", result.Stderr);
        // Byte for byte: the original Latin-1 bytes with the volume replaced, nothing re-encoded.
        Assert.Equal(System.Text.Encoding.Latin1.GetBytes(text.Replace("{6}", "{7}")), File.ReadAllBytes(bib));
        Assert.Equal(original, File.ReadAllBytes(bib + ".bak"));
    }

    [Fact]
    public async Task AByteOrderMarkStays()
    {
        using var temp = TestPaths.TempDir();
        var bib = temp.File("bom.bib");
        var text = "@article{k,\n  title = {Caf\u00e9 Old},\n  year = 2020,\n  doi = {10.5555/bom},\n}\n";
        File.WriteAllBytes(bib, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(text)]);
        await using var crossref = new LoopbackServer(_ => new Reply { Body = Work("10.5555/bom", "Caf\u00e9 new"), Headers = [("Content-Type", "application/json")] });
        var result = await Refresh(crossref, bib, temp.File("cache"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal([0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(text.Replace("Caf\u00e9 Old", "Caf\u00e9 new"))], File.ReadAllBytes(bib));
    }

    [Fact]
    public async Task AMacroFromACompanionFileIsReadAndAFieldUsingAnUnknownOneIsLeftAlone()
    {
        using var temp = TestPaths.TempDir();
        var bib = temp.File("refs.bib");
        var companion = temp.File("journals.bib");
        // The journal's name lives in a companion file, as in TeX Live's own bibliographies.
        var text = "@article{k,\n  author = {Doe, Jane},\n  title = {Old},\n  journal = jnl,\n  year = 2020,\n  doi = {10.5555/macro},\n}\n";
        File.WriteAllText(bib, text);
        File.WriteAllText(companion, "@string{jnl = {Journal of Synthetic Tests}}\n");
        var answer = System.Text.Json.Nodes.JsonNode.Parse(Work("10.5555/macro", "New", author: "Doe, Jane"))!;
        answer["message"]!["container-title"] = new JsonArray("Journal of Synthetic Tests");
        await using var crossref = new LoopbackServer(_ => new Reply { Body = System.Text.Encoding.UTF8.GetBytes(answer.ToJsonString()), Headers = [("Content-Type", "application/json")] });

        // Without the companion: bibtex would read the journal as empty; it is left alone, with a warning.
        var alone = await Refresh(crossref, bib, temp.File("cache"), "--dry-run", "--format", "json");
        Assert.True(alone.ExitCode == 0, alone.Stderr);
        Assert.Contains($"warning: {bib}:4: the macro 'jnl' is not defined by an @string here", alone.Stderr);
        Assert.Equal(["title"], System.Text.Json.JsonDocument.Parse(alone.Stdout).RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("field").GetString()));

        // With it: the journal reads as the work's, so only the title changes, and no warning.
        var with = await Refresh(crossref, bib, temp.File("cache"), "--macros", companion);
        Assert.True(with.ExitCode == 0, with.Stderr);
        Assert.DoesNotContain("warning", with.Stderr);
        Assert.Equal(text.Replace("{Old}", "{New}"), File.ReadAllText(bib));
    }

    /// <summary>A SYNTHETIC Crossref answer: one journal article, the fields given.</summary>
    internal static byte[] Work(string doi, string title, string? volume = null, string? author = null) =>
        System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["status"] = "ok",
            ["message"] = new JsonObject
            {
                ["DOI"] = doi, ["type"] = "journal-article", ["title"] = new JsonArray(title),
                ["author"] = author is null ? new JsonArray() : new JsonArray(new JsonObject { ["family"] = author.Split(", ")[0], ["given"] = author.Split(", ")[1] }),
                ["volume"] = volume, ["issued"] = new JsonObject { ["date-parts"] = new JsonArray(new JsonArray(2020)) },
            },
        }.ToJsonString());
}

public class CslJsonRefreshTests
{
    [Fact]
    public async Task OnlyTheVariablesThatDifferChangeAndEveryOtherByteStays()
    {
        // SYNTHETIC works (Synthetic.Crossref) behind a hand-written file: a stale page, a missing
        // volume, a note and a custom variable bibtool does not manage, and an item with no identifier.
        using var temp = TestPaths.TempDir();
        var (message, F) = SyntheticMessage.Of("10.5555/one");
        var authors = string.Join(", ", message["author"]!.AsArray().Select(a => $"{{\"family\": \"{a!["family"]}\", \"given\": \"{a["given"]}\"}}"));
        var text = "[\n  {\n    \"id\": \"mine\",\n    \"type\": \"article-journal\",\n    \"title\": \"" + F("title") + "\",\n    \"author\": [" + authors + "],\n" +
            "    \"container-title\": \"" + F("container-title") + "\",\n    \"issued\": {\"date-parts\": [[" + message["issued"]!["date-parts"]![0]![0] + "]]},\n" +
            "    \"page\": \"1-2\",\n    \"DOI\": \"10.5555/one\",\n    \"note\": \"my own note\",\n    \"custom\": {\"keep\": [1, 2]}\n  },\n" +
            "  {\"id\": \"noid\", \"type\": \"speech\", \"title\": \"A talk\"}\n]\n";
        var json = temp.File("refs.json");
        File.WriteAllText(json, text);
        await using var crossref = new LoopbackServer(Synthetic.Crossref());
        var result = await CliRunner.RunAsync("refresh", json, "--cache", temp.File("cache"), "--crossref-url", crossref.BaseUrl, "--mailto", "ci@example.org", "--quiet");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var expected = text.Replace("\"page\": \"1-2\"", "\"page\": \"" + F("page") + "\"")
            .Replace("\"custom\": {\"keep\": [1, 2]}\n", "\"custom\": {\"keep\": [1, 2]},\n    \"volume\": \"" + F("volume") + "\"" + (message["issue"] is null ? "" : ",\n    \"issue\": \"" + F("issue") + "\"") + "\n");
        // issued names the same year (the file gives no month to differ): it stays.
        Assert.Equal(expected, File.ReadAllText(json));
        Assert.Contains("mine: page: \"1-2\" → \"" + F("page") + "\"", result.Stdout);
        Assert.Contains("refs.json:", result.Stdout);
        Assert.Contains("noid: left as it is (no DOI, arXiv number, PMID, PMCID or URL)", result.Stdout);
        Assert.Equal(text, File.ReadAllText(json + ".bak"));
        using var parsed = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("my own note", parsed.RootElement[0].GetProperty("note").GetString());
        Assert.Equal(2, parsed.RootElement[0].GetProperty("custom").GetProperty("keep").GetArrayLength());
    }
}

public class RisRefreshTests
{
    [Fact]
    public async Task OnlyTheTagsThatDifferChangeInTheFilesOwnLineEndings()
    {
        // SYNTHETIC work (Synthetic.Crossref); a hand-written CRLF record with a wrong volume, no
        // issue, a note and keywords bibtool does not manage, and a record with no identifier.
        using var temp = TestPaths.TempDir();
        var (message, F) = SyntheticMessage.Of("10.5555/one");
        var authors = string.Concat(message["author"]!.AsArray().Select(a => $"AU  - {a!["family"]}, {a["given"]}\r\n"));
        var pages = F("page").Split('-');
        var text = "TY  - JOUR\r\n" + authors + "TI  - " + F("title") + "\r\nT2  - " + F("container-title") + "\r\nPY  - " + message["issued"]!["date-parts"]![0]![0] + "\r\n" +
            "VL  - 999\r\nSP  - " + pages[0] + "\r\nEP  - " + pages[^1] + "\r\nDO  - 10.5555/one\r\nKW  - mine\r\nN1  - my note\r\nER  - \r\n\r\n" +
            "TY  - GEN\r\nTI  - A talk\r\nER  - \r\n";
        var ris = temp.File("refs.ris");
        File.WriteAllText(ris, text);
        await using var crossref = new LoopbackServer(Synthetic.Crossref());
        var result = await CliRunner.RunAsync("refresh", ris, "--cache", temp.File("cache"), "--crossref-url", crossref.BaseUrl, "--mailto", "ci@example.org", "--quiet");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var expected = text.Replace("VL  - 999\r\n", "VL  - " + F("volume") + "\r\n")
            .Replace("N1  - my note\r\nER  - ", "N1  - my note\r\n" + (message["issue"] is null ? "" : "IS  - " + F("issue") + "\r\n") + "ER  - ");
        Assert.Equal(expected, File.ReadAllText(ris));
        Assert.Contains("record 1: VL: 999 → " + F("volume"), result.Stdout);
        Assert.Contains("refs.ris:", result.Stdout);
        Assert.Contains("record 2: left as it is (no DO, AN arXiv id or UR)", result.Stdout);
    }

    [Fact]
    public async Task AnUnclosedRecordIsAOneLineError()
    {
        using var temp = TestPaths.TempDir();
        var ris = temp.File("bad.ris");
        File.WriteAllText(ris, "TY  - JOUR\nTI  - x\n\nTY  - JOUR\nER  - \n");
        var result = await CliRunner.RunAsync("refresh", ris, "--cache", temp.File("cache"), "--offline");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"bibtool: {ris}:4: TY before the ER of the record on line 1", result.Stderr.Trim());
    }
}

/// <summary>bibtool's own export of every recorded work, refreshed against the same store: nothing to change, in any format.</summary>
public class RecordedFileRefreshTests(ExportStores stores) : IClassFixture<ExportStores>
{
    [Theory]
    [InlineData("csljson", "json")]
    [InlineData("ris", "ris")]
    [InlineData("bibtex", "bib")]
    [InlineData("biblatex", "bib")]
    public async Task AnExportOfEveryRecordedWorkIsAlreadyInLine(string format, string extension)
    {
        using var temp = TestPaths.TempDir();
        var file = temp.File("refs." + extension);
        var export = CliRunner.Run("export", stores.FixtureSurvey, "--format", format, "-o", file, "--cache", stores.FixtureStore, "--offline");
        Assert.True(export.ExitCode == 0, export.Stderr);
        var before = File.ReadAllBytes(file);
        var result = await CliRunner.RunAsync("refresh", file, "--cache", stores.FixtureStore, "--offline", "--quiet");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Equal(before, File.ReadAllBytes(file));
        Assert.Contains($"{stores.FixtureWorks} entries, {stores.FixtureWorks} checked, 0 changed", result.Stderr);
    }
}

public class CrlfBibRefreshTests
{
    [Fact]
    public async Task ACrlfFileGetsItsAdditionsInCrlf()
    {
        // SYNTHETIC work (Synthetic.Crossref) behind a CRLF file that lacks the work's pages.
        using var temp = TestPaths.TempDir();
        var (message, _) = SyntheticMessage.Of("10.5555/one");
        var bib = temp.File("refs.bib");
        var text = "@article{k,\r\n  title = {" + message["title"]![0] + "},\r\n  doi = {10.5555/one}\r\n}\r\n";
        File.WriteAllText(bib, text);
        await using var crossref = new LoopbackServer(Synthetic.Crossref());
        var result = await CliRunner.RunAsync("refresh", bib, "--cache", temp.File("cache"), "--crossref-url", crossref.BaseUrl, "--mailto", "ci@example.org", "--quiet");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var written = File.ReadAllText(bib);
        Assert.Contains("pages = {", written);
        Assert.DoesNotContain(System.Text.RegularExpressions.Regex.Matches(written, "\n").Select(m => m.Index), i => i == 0 || written[i - 1] != '\r');
    }
}

/// <summary>The SYNTHETIC Crossref work the refresh tests stand behind, and a reader of its text fields (a title array's first item).</summary>
internal static class SyntheticMessage
{
    public static (JsonNode Message, Func<string, string> Field) Of(string doi)
    {
        var message = JsonNode.Parse(Synthetic.CrossrefWork(doi))!["message"]!;
        return (message, name => message[name] is JsonArray a ? a[0]!.GetValue<string>() : message[name]!.GetValue<string>());
    }
}

/// <summary>
/// Every .bib file the machine's TeX Live ships (the Debian packages .ci/run installs: xampl.bib,
/// the LaTeX bundles' own bibliographies, biblatex's examples, IEEE's macro files), as bibtex or
/// biber users have them: read, checked offline and left byte for byte.
/// </summary>
public class TexLiveBibFilesTests
{
    private static readonly string[] Roots = ["/usr/share/texlive/texmf-dist", "/usr/share/texmf", "/usr/share/doc"];

    public static IEnumerable<string> Files() => Roots.Where(Directory.Exists)
        .SelectMany(root => Directory.EnumerateFiles(root, "*.bib", SearchOption.AllDirectories)).Order(StringComparer.Ordinal);

    [Fact]
    public void EveryBibFileTexLiveShipsIsReadAndLeftByteForByte()
    {
        var files = Files().ToList();
        // texlive-base alone ships xampl.bib; the other packages .ci/run installs add dozens.
        Assert.Contains(files, f => Path.GetFileName(f) == "xampl.bib");
        using var temp = TestPaths.TempDir();
        var failures = new List<string>();
        foreach (var file in files)
        {
            var copy = temp.File(Path.GetFileName(file));
            File.Copy(file, copy, overwrite: true);
            var before = File.ReadAllBytes(copy);
            var result = CliRunner.Run("refresh", copy, "--dry-run", "--offline", "--quiet", "--cache", temp.File("store"));
            if (result.ExitCode is not (0 or 1)) failures.Add($"{file}: exit {result.ExitCode}: {result.Stderr.Trim()}");
            if (!before.AsSpan().SequenceEqual(File.ReadAllBytes(copy))) failures.Add($"{file}: changed by a dry run");
            // Read and written back unchanged, in the file's own encoding.
            var parsed = BibParser.ReadFile(copy);
            if (!parsed.Bytes(parsed.Text).AsSpan().SequenceEqual(before)) failures.Add($"{file}: does not round-trip in {parsed.Encoding.Name}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
