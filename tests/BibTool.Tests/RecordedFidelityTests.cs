using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>
/// Golden tests over every recorded Crossref work and arXiv entry: the expected values are read
/// here from the raw recordings (Crossref's JSON, arXiv's Atom), never from bibtool's own mapping,
/// and compared with what each format's reader gets back: the CSL-JSON as written, the RIS as
/// Zotero parses tags, and the BibTeX and RIS as bibutils reads them into MODS.
/// </summary>
public class RecordedFidelityTests(ExportStores stores) : IClassFixture<ExportStores>
{
    private string Export(string format, string extension)
    {
        var path = Path.Combine(stores.Directory, $"fidelity.{format}.{extension}");
        if (File.Exists(path)) return path;
        var result = CliRunner.Run(["export", stores.FixtureSurvey, "--format", format, "-o", path, "--cache", stores.FixtureStore, "--offline"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return path;
    }

    private sealed record Raw(string Doi, string Type, string? Title, List<string> Issn, string? Container, string? Short, List<string?> Families, string? Volume, string? Page, List<string> Organisations);

    /// <summary>Each recorded Crossref work, read straight from its JSON.</summary>
    private static List<Raw> RecordedWorks()
    {
        static string? First(JsonElement m, string name) =>
            m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0 ? Clean(v[0].GetString()) : null;
        static string? One(JsonElement m, string name) => m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? Clean(v.GetString()) : null;
        return FixtureReplay.CrossrefWorks().Values.Select(file =>
        {
            var m = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("message");
            var issn = m.TryGetProperty("ISSN", out var i) ? i.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            var families = m.TryGetProperty("author", out var a) ? a.EnumerateArray().Select(x => x.TryGetProperty("family", out var f) ? Clean(f.GetString()) : null).ToList() : [];
            var organisations = m.TryGetProperty("author", out var o) ? o.EnumerateArray().Where(x => x.TryGetProperty("name", out _)).Select(x => x.GetProperty("name").GetString()!).ToList() : [];
            return new Raw(m.GetProperty("DOI").GetString()!.ToLowerInvariant(), m.GetProperty("type").GetString()!, First(m, "title"), issn,
                First(m, "container-title"), First(m, "short-container-title"), families, One(m, "volume"), One(m, "page"), organisations);
        }).ToList();
    }

    /// <summary>Text as a reader sees it: entities decoded (Crossref escapes some twice), markup tags dropped, spaces collapsed.</summary>
    private static string? Clean(string? text)
    {
        if (text is null) return null;
        for (var decoded = WebUtility.HtmlDecode(text); decoded != text; decoded = WebUtility.HtmlDecode(text)) text = decoded;
        return Regex.Replace(Regex.Replace(text, "<[^>]+>", ""), @"\s+", " ").Trim();
    }

    [Fact]
    public void CslJsonKeepsEveryRecordedField()
    {
        var items = JsonDocument.Parse(File.ReadAllText(Export("csljson", "json"))).RootElement.EnumerateArray()
            .Where(e => e.TryGetProperty("DOI", out _)).ToDictionary(e => e.GetProperty("DOI").GetString()!.ToLowerInvariant());
        var works = RecordedWorks();
        Assert.True(works.Count >= 40, $"{works.Count} recorded works");
        foreach (var raw in works)
        {
            Assert.True(items.TryGetValue(raw.Doi, out var csl), $"{raw.Doi}: not in the CSL-JSON");
            string? Get(string name) => csl.TryGetProperty(name, out var v) ? v.GetString() : null;
            var type = Get("type");
            // Only preprints are "article": Zotero makes every "article" a preprint.
            Assert.True(raw.Type == "posted-content" || type != "article", $"{raw.Doi}: a {raw.Type} written as {type}");
            if (raw.Title is { } title) Assert.StartsWith(title, Clean(Get("title")), StringComparison.Ordinal);
            foreach (var issn in raw.Issn) Assert.Contains(issn, Get("ISSN") ?? "", StringComparison.Ordinal);
            if (raw.Container is { } container && raw.Type is "journal-article" or "proceedings-article" or "book-chapter")
                Assert.True(Get("container-title") == container, $"{raw.Doi}: container '{Get("container-title")}' for '{container}'");
            // Zotero reads journalAbbreviation, not container-title-short; both are written.
            if (raw.Short is { } shortTitle && raw.Type == "journal-article")
            {
                Assert.Equal(shortTitle, Get("journalAbbreviation"));
                Assert.Equal(shortTitle, Get("container-title-short"));
            }
            var authors = csl.TryGetProperty("author", out var list) ? list.EnumerateArray().ToList() : [];
            Assert.True(raw.Families.Count == authors.Count, $"{raw.Doi}: {authors.Count} authors for {raw.Families.Count}");
            for (var i = 0; i < authors.Count; i++)
            {
                if (raw.Families[i] is not { } family) continue;
                // The family name keeps its particle in the same field: Zotero drops non-dropping-particle.
                Assert.False(authors[i].TryGetProperty("non-dropping-particle", out _), raw.Doi);
                Assert.EndsWith(family, authors[i].GetProperty("family").GetString());
            }
            if (raw.Volume is { } volume) Assert.Equal(volume, Get("volume"));
            if (raw.Page is { } page) Assert.Equal(page, Get("page"));
        }
    }

    /// <summary>RIS records as Zotero's translator splits them: tag, two spaces, dash, value.</summary>
    /// <summary>RIS records as tag/value pairs, as Zotero's importer splits them (shared with the Zotero fidelity tests).</summary>
    internal static List<List<(string Tag, string Value)>> RisRecords(string text)
    {
        var records = new List<List<(string, string)>>();
        var current = new List<(string, string)>();
        foreach (var line in text.Split("\r\n"))
        {
            var m = Regex.Match(line, "^([A-Z][A-Z0-9])  - ?(.*)$");
            if (!m.Success) continue;
            if (m.Groups[1].Value == "ER") { records.Add(current); current = []; continue; }
            current.Add((m.Groups[1].Value, m.Groups[2].Value));
        }
        return records;
    }

    [Fact]
    public void RisKeepsEveryRecordedFieldWhereZoteroReadsIt()
    {
        var records = RisRecords(File.ReadAllText(Export("ris", "ris")))
            .Where(r => r.Any(t => t.Tag == "DO")).ToDictionary(r => r.First(t => t.Tag == "DO").Value.ToLowerInvariant());
        foreach (var raw in RecordedWorks())
        {
            Assert.True(records.TryGetValue(raw.Doi, out var record), $"{raw.Doi}: not in the RIS");
            string? Get(string tag) => record.Where(t => t.Tag == tag).Select(t => t.Value).FirstOrDefault();
            // Zotero keeps one SN per record; every ISSN of a journal article is in it.
            Assert.True(record.Count(t => t.Tag == "SN") <= 1, raw.Doi);
            if (raw.Type == "journal-article")
            {
                Assert.Equal("JOUR", Get("TY"));
                foreach (var issn in raw.Issn) Assert.Contains(issn, Get("SN") ?? "", StringComparison.Ordinal);
                if (raw.Container is { } container) Assert.Equal(container, Get("T2"));
                if (raw.Short is { } shortTitle) Assert.Equal(shortTitle, Get("J2"));
            }
            else if (raw.Type != "journal-article" && Get("TY") is not ("JOUR" or "MGZN" or "NEWS"))
            {
                // Elsewhere Zotero reads SN as the ISBN: no ISSN may land there.
                foreach (var issn in raw.Issn) Assert.DoesNotContain(issn, Get("SN") ?? "", StringComparison.Ordinal);
            }
            Assert.Equal(raw.Families.Count, record.Count(t => t.Tag == "AU"));
            // M1 lands in Zotero's issue field; nothing but an issue may be written there.
            Assert.DoesNotContain(record, t => t.Tag == "M1");
            if (raw.Volume is { } volume) Assert.Equal(volume, Get("VL"));
        }
    }

    private static List<XElement> Mods(string tool, string file)
    {
        var run = Validators.Run(tool, [file], Path.GetDirectoryName(file)!);
        Assert.True(run.ExitCode == 0, run.ToString());
        XNamespace mods = "http://www.loc.gov/mods/v3";
        return XDocument.Parse(run.Stdout.TrimStart('\uFEFF')).Root!.Elements(mods + "mods").ToList();
    }

    private static XNamespace M => "http://www.loc.gov/mods/v3";

    /// <summary>bibutils splits "Title: Subtitle" into title and subTitle.</summary>
    private static string? FullTitle(XElement? info) =>
        info is null ? null : info.Element(M + "title")?.Value + (info.Element(M + "subTitle") is { } sub ? ": " + sub.Value : "");

    [Theory]
    [InlineData("bibtex", "bib", "bib2xml")]
    [InlineData("ris", "ris", "ris2xml")]
    public void BibutilsReadsBackTitleAuthorsDoiIssnVolumeAndPages(string format, string extension, string tool)
    {
        var records = Mods(tool, Export(format, extension))
            .Where(r => r.Elements(M + "identifier").Any(i => (string?)i.Attribute("type") == "doi"))
            .ToDictionary(r => r.Elements(M + "identifier").First(i => (string?)i.Attribute("type") == "doi").Value.ToLowerInvariant());
        foreach (var raw in RecordedWorks())
        {
            Assert.True(records.TryGetValue(raw.Doi, out var mods), $"{format}: {raw.Doi} read back without its DOI");
            if (raw.Title is { } title)
            {
                var read = FullTitle(mods.Element(M + "titleInfo")) ?? "";
                static string Dashes(string s) => s.Replace("–", "-").Replace("—", "-").Replace('“', '"').Replace('”', '"');
                Assert.StartsWith(Dashes(title)[..Math.Min(20, title.Length)], Dashes(read), StringComparison.OrdinalIgnoreCase);
            }
            var authors = mods.Elements(M + "name").Count(n => n.Descendants(M + "roleTerm").Any(r => r.Value == "author"));
            // bibutils splits every RIS name at " and ", an organisation's too (Zotero does not; BibTeX braces it whole).
            var expected = raw.Families.Count + (format == "ris" ? raw.Organisations.Sum(n => Regex.Matches(n, " and ").Count) : 0);
            Assert.True(expected == authors, $"{format}: {raw.Doi} has {authors} authors for {raw.Families.Count}");
            if (raw.Type == "journal-article")
            {
                var serial = string.Join(" ", mods.Descendants(M + "identifier").Where(i => (string?)i.Attribute("type") is "issn" or "serial number").Select(i => i.Value));
                foreach (var issn in raw.Issn) Assert.Contains(issn, serial, StringComparison.Ordinal);
                if (raw.Container is { } container)
                    Assert.Equal(container, FullTitle(mods.Element(M + "relatedItem")?.Element(M + "titleInfo")));
            }
            var part = mods.Element(M + "part");
            if (raw.Volume is { } volume && raw.Type == "journal-article")
                Assert.Equal(volume, part?.Elements(M + "detail").FirstOrDefault(d => (string?)d.Attribute("type") == "volume")?.Value);
            if (raw.Page is { } page && raw.Type == "journal-article")
                // A range is an extent; a single page or article number a page detail.
                Assert.Equal(page.Split('-')[0], part?.Element(M + "extent")?.Element(M + "start")?.Value
                    ?? part?.Elements(M + "detail").FirstOrDefault(d => (string?)d.Attribute("type") == "page")?.Value);
        }
    }

    [Fact]
    public void EveryArxivIdIsWhereEachReaderLooks()
    {
        // The ids of the recorded entries, read from their Atom <id> elements (version dropped).
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var ids = FixtureReplay.ArxivFeeds().Values.Distinct()
            .SelectMany(f => XDocument.Load(f).Root!.Elements(atom + "entry"))
            .Select(e => (string?)e.Element(atom + "id") ?? "")
            .Where(id => id.Contains("arxiv.org/abs/"))
            .Select(id => Regex.Replace(id[(id.IndexOf("/abs/", StringComparison.Ordinal) + 5)..], "v[0-9]+$", ""))
            .ToHashSet();
        var surveyed = File.ReadAllText(stores.FixtureSurvey);
        ids.RemoveWhere(id => !surveyed.Contains($"arxiv.org/abs/{id}", StringComparison.Ordinal));
        Assert.True(ids.Count >= 5, string.Join(", ", ids));

        var csl = JsonDocument.Parse(File.ReadAllText(Export("csljson", "json"))).RootElement.EnumerateArray().ToList();
        var ris = RisRecords(File.ReadAllText(Export("ris", "ris")));
        var bibtex = File.ReadAllText(Export("bibtex", "bib"));
        var biblatex = File.ReadAllText(Export("biblatex", "bib"));
        foreach (var id in ids)
        {
            // Zotero reads a preprint's CSL number as its Archive ID.
            Assert.Contains(csl, e => e.TryGetProperty("number", out var n) && n.GetString() == "arXiv:" + id && e.GetProperty("type").GetString() == "article");
            // RIS: AN (Zotero's Loc. in Archive), never M1 (Zotero's issue).
            Assert.Contains(ris, r => r.Any(t => t.Tag == "AN" && (t.Value == "arXiv:" + id || t.Value.StartsWith($"arXiv:{id} [", StringComparison.Ordinal))));
            // BibTeX and BibLaTeX: eprint with eprinttype, the pair Zotero's BibTeX import reads.
            Assert.Contains($"  eprint = {{{id}}},", bibtex);
            Assert.Contains($"  eprint = {{{id}}},", biblatex);
        }
        Assert.Equal(ids.Count, Regex.Matches(bibtex, @"eprinttype = \{arxiv\}").Count);
        // @online only for the recorded blog posts (Crossref posted-content of subtype blog, read from the recordings).
        var blogs = FixtureReplay.CrossrefWorks().Values.Count(f => System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(f)).RootElement.GetProperty("message") is var m
            && m.GetProperty("type").GetString() == "posted-content" && m.TryGetProperty("subtype", out var s) && s.GetString() == "blog");
        Assert.Equal(blogs, Regex.Matches(biblatex, @"@online\{").Count);
        Assert.DoesNotContain("@dataset{", biblatex);
    }

    /// <summary>A person as a reader sees the name: given, particles, family (or the organisation), spacing normalised.</summary>
    internal static string Display(JsonElement name)
    {
        string? Part(string field) => name.TryGetProperty(field, out var v) ? v.GetString() : null;
        var text = string.Join(" ", new[] { Part("given"), Part("dropping-particle"), Part("non-dropping-particle"), Part("family"), Part("suffix"), Part("literal") }.Where(p => !string.IsNullOrEmpty(p)));
        return Regex.Replace(text.Replace(".", ". "), @"\s+", " ").Trim();
    }

    /// <summary>Titles compared as a reader reads them: pandoc changes case and quotes, never words.</summary>
    internal static string Words(string? title) =>
        Regex.Replace((title ?? "").Replace('“', '"').Replace('”', '"').Replace('’', '\''), @"\s+", " ").Trim().ToLowerInvariant();

    internal static Dictionary<string, JsonElement> PandocRoundTrip(string cslJson)
    {
        var directory = Path.GetDirectoryName(cslJson)!;
        var biblatex = Path.ChangeExtension(cslJson, ".roundtrip.bib");
        var back = Path.ChangeExtension(cslJson, ".roundtrip.json");
        var there = Validators.Run("pandoc", ["-f", "csljson", "-t", "biblatex", cslJson, "-o", biblatex], directory);
        Assert.True(there.ExitCode == 0 && there.Stderr.Trim().Length == 0, there.ToString());
        var again = Validators.Run("pandoc", ["-f", "biblatex", "-t", "csljson", biblatex, "-o", back], directory);
        Assert.True(again.ExitCode == 0 && again.Stderr.Trim().Length == 0, again.ToString());
        return JsonDocument.Parse(File.ReadAllText(back)).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!);
    }

    [Fact]
    public void CslJsonSurvivesAPandocRoundTripThroughBiblatex()
    {
        var json = Export("csljson", "json");
        var written = JsonDocument.Parse(File.ReadAllText(json)).RootElement.EnumerateArray().ToList();
        var back = PandocRoundTrip(json);
        Assert.Equal(written.Count, back.Count);
        foreach (var item in written)
        {
            var id = item.GetProperty("id").GetString()!;
            Assert.True(back.TryGetValue(id, out var read), $"{id}: lost in the round trip");
            string? Get(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : null;
            Assert.True(Words(Get(item, "title")) == Words(Get(read, "title")), $"{id}: title '{Get(item, "title")}' came back '{Get(read, "title")}'");
            Assert.Equal(Get(item, "issued"), Get(read, "issued"));
            Assert.Equal(Get(item, "DOI"), Get(read, "DOI"));
            if (item.GetProperty("type").GetString() == "article") Assert.Equal(Get(item, "number"), Get(read, "number"));
            var names = item.TryGetProperty("author", out var a) ? a.EnumerateArray().Select(Display).ToList() : [];
            var readNames = read.TryGetProperty("author", out var b) ? b.EnumerateArray().Select(Display).ToList() : [];
            // pandoc's BibLaTeX writer leaves an organisation unbraced, so one holding " and " comes back split.
            if (names.Any(n => n.Contains(" and ", StringComparison.Ordinal))) continue;
            Assert.Equal(names, readNames);
        }
    }

    [Fact]
    public void PlainBstShowsWhereEveryRecordedWorkIs()
    {
        var bib = Export("bibtex", "bib");
        var (run, log, items) = Validators.Bibtex(bib, "plain");
        Assert.True(run.ExitCode == 0, run + log);
        var bbl = File.ReadAllText(Path.ChangeExtension(bib, ".bbl"));
        var entries = bbl.Split("\\bibitem").Skip(1).ToList();
        Assert.Equal(stores.FixtureWorks, entries.Count);
        foreach (var entry in entries)
        {
            // After the title, plain.bst's last block must say more than a date: a venue, a
            // repository, an arXiv id or a link; a work without a title shows its link.
            var blocks = entry.Split("\\newblock");
            var last = Regex.Replace(blocks[^1], @"\\end\{thebibliography\}|\b(19|20)\d\d\b|\b(January|February|March|April|May|June|July|August|September|October|November|December)\b", "");
            Assert.True(last.Any(char.IsLetter) && (blocks.Length >= 2 || entry.Contains("doi:") || entry.Contains("http")), $"nothing after the title: {entry.Trim()}");
        }
    }

    [Fact]
    public void BiblatexKeepsEveryRecordedField()
    {
        // bibtool's BibLaTeX read back with the BibTeX reader of this project (values only; the test's
        // oracle is the raw Crossref JSON).
        var file = BibTool.BibFiles.BibParser.ReadFile(Export("biblatex", "bib"));
        var entries = file.Records.Where(r => r["doi"] is not null).ToDictionary(r => r["doi"]!.ToLowerInvariant());
        static string Fold(string? text) => BibTool.Text.Ascii.KeyPart(BibTool.Export.Latex.Decode(text ?? ""));
        foreach (var raw in RecordedWorks())
        {
            Assert.True(entries.TryGetValue(raw.Doi, out var entry), $"{raw.Doi}: not in the BibLaTeX");
            if (raw.Title is { } title) Assert.StartsWith(Fold(title), Fold(entry["title"]));
            var authors = entry["author"] is { } list ? System.Text.RegularExpressions.Regex.Split(list, @"\s+and\s+(?![^{]*\})").Length : 0;
            Assert.True(raw.Families.Count == authors, $"{raw.Doi}: {authors} authors for {raw.Families.Count}");
            if (raw.Type == "journal-article")
            {
                Assert.Equal("article", entry.Type);
                if (raw.Container is { } container) Assert.Equal(Fold(container), Fold(entry["journaltitle"]));
                if (raw.Short is { } shortTitle) Assert.Equal(Fold(shortTitle), Fold(entry["shortjournal"]));
                // biber validates one ISSN: the first one Crossref lists.
                if (raw.Issn.Count > 0) Assert.Equal(raw.Issn[0], entry["issn"]);
                if (raw.Volume is { } volume) Assert.Equal(volume, entry["volume"]);
                if (raw.Page is { } page) Assert.Equal(Fold(page), Fold(entry["pages"]));
            }
        }
    }
}
