using System.Text;
using System.Text.Json.Nodes;
using BibTool.Export;
using BibTool.Model;
using BibTool.Sources.Crossref;
using BibTool.Sources.DataCite;
using BibTool.Sources.Landing;
using BibTool.Survey;
using BibTool.Tests.Support;
using CsCheck;

namespace BibTool.Tests;

/// <summary>
/// Random and mutated inputs (CsCheck, reproducible from a seed on failure), starting from the real
/// recordings and the real survey: no exception escapes a reader, a mapper or a writer, BibTeX
/// values stay brace-balanced, and an injected LaTeX command never survives into any output.
/// </summary>
public class PropertyTests
{
    // What hostile text is made of: markup, TeX specials, separators, controls, lone surrogates, CJK, accents.
    private const string Hostile = "ab Z09{}[]()\\%#$&_^~|*<>\"',;:=@!\n\r\t\u0000\u0007\u2028\u2029\u00a0\u200fé中\ud800\udc00ß—";
    private static readonly Gen<string> HostileText = Gen.String[Gen.Char[Hostile], 0, 40];
    private static readonly Gen<string> WithMarker = Gen.Select(HostileText, HostileText, (a, b) => a + "\\input{/tmp/m}" + b);

    [Fact]
    public void TheSurveyReaderThrowsNothingButSurveyErrors()
    {
        var lines = File.ReadAllLines(TestPaths.SeedSurvey);
        var mutated = Gen.Select(Gen.Int[0, lines.Length - 1], Gen.Int[0, 200], HostileText, Gen.Int[0, 3], (line, at, text, how) =>
        {
            var copy = (string[])lines.Clone();
            var target = copy[line];
            var position = Math.Min(at, target.Length);
            copy[line] = how switch
            {
                0 => target.Insert(position, text),
                1 => target[..position] + text,
                2 => text + "|" + text,
                _ => target.Replace("|", text),
            };
            return string.Join('\n', copy);
        });
        mutated.Sample(markdown =>
        {
            try { SurveyReader.Read(markdown, "mutated.md"); }
            catch (SurveyException) { }
        }, iter: 200);
    }

    /// <summary>Replaces one value somewhere in a JSON tree with a value of another kind.</summary>
    private static JsonNode Mutate(JsonNode root, int pick, int kind)
    {
        var values = new List<(JsonNode Parent, object Key)>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o: foreach (var (k, v) in o.ToList()) { values.Add((o, k)); Walk(v); } break;
                case JsonArray a: for (var i = 0; i < a.Count; i++) { values.Add((a, i)); Walk(a[i]); } break;
            }
        }
        Walk(root);
        if (values.Count == 0) return root;
        var (parent, key) = values[pick % values.Count];
        JsonNode? replacement = kind switch
        {
            0 => null,
            1 => JsonValue.Create(42),
            2 => JsonValue.Create("\ud800 lone {surrogate} \\input{/tmp/m}"),
            3 => new JsonArray(JsonValue.Create(1), new JsonObject()),
            4 => new JsonObject { ["x"] = new JsonArray() },
            _ => JsonValue.Create(true),
        };
        if (parent is JsonObject obj) obj[(string)key] = replacement;
        else ((JsonArray)parent)[(int)key] = replacement;
        return root;
    }

    [Fact]
    public void CrossrefAndDataCiteMappersReadAnyShapeOfJson()
    {
        var crossref = Directory.GetFiles(TestPaths.Fixture("crossref", "works"), "*.json").Select(File.ReadAllText).ToArray();
        var datacite = Directory.GetFiles(TestPaths.Fixture("datacite", "rest"), "*.json").Select(File.ReadAllText).ToArray();
        Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 100_000], Gen.Int[0, 5], Gen.Int[1, 4]).Sample((file, pick, kind, times) =>
        {
            var root = JsonNode.Parse(crossref[file % crossref.Length])!;
            for (var i = 0; i < times; i++) root = Mutate(root, pick * (i + 1), kind);
            var work = CrossrefMapper.Map("doi:x", Encoding.UTF8.GetBytes(root.ToJsonString()));
            Assert.NotNull(work);

            var doc = JsonNode.Parse(datacite[file % datacite.Length])!;
            var attributes = doc["data"]!["attributes"]!;
            for (var i = 0; i < times; i++) Mutate(attributes, pick * (i + 1), kind);
            Assert.NotNull(DataCiteMapper.Map("doi:x", Encoding.UTF8.GetBytes(doc.ToJsonString())));
        }, iter: 400);
    }

    [Fact]
    public void LandingPagesOfAnyBytesNeverThrow()
    {
        var pages = Directory.GetFiles(TestPaths.Fixture("landing"), "*.html").Select(File.ReadAllBytes).ToArray();
        Gen.Select(Gen.Int[0, 100], Gen.Int[0, 1_000_000], Gen.Int[1, 64], Gen.Byte).Sample((file, at, length, value) =>
        {
            var page = (byte[])pages[file % pages.Length].Clone();
            var start = at % page.Length;
            for (var i = start; i < Math.Min(page.Length, start + length); i++) page[i] = value;
            LandingPageMapper.Map("url:x", page, "https://example.org/");
        }, iter: 100);
    }

    private static readonly Gen<Work> Works =
        Gen.Select(WithMarker, HostileText, WithMarker, HostileText, Gen.Int[1, 3000], Gen.Bool, Gen.OneOf("article-journal", "paper-conference", "chapter", "book", "thesis", "report", "dataset", "webpage", "article"),
            (title, name, venue, other, year, preprint, type) =>
            {
                var work = new Work
                {
                    Id = "doi:10.1234/x", Type = type, IsPreprint = preprint, Title = RichText.FromPlain(title), Issued = new DateParts(year, 1 + year % 12),
                    ContainerTitle = venue, Volume = other, Issue = name, Page = other, Publisher = venue, Doi = "10.1234/" + other, Url = "https://example.org/" + name,
                    Note = other, Abstract = RichText.FromPlain(venue), Language = other, Genre = name, PublisherPlace = other,
                    Authors = { new Name(name, other, Suffix: name, NonDroppingParticle: other), Name.Organisation(venue) },
                };
                work.Issn.Add(other);
                work.Isbn.Add(name);
                work.Keywords.Add(title);
                if (preprint) work.Eprint = new Eprint("arxiv", other, name, other);
                return work;
            });

    [Fact]
    public void EveryWriterTakesAnyWorkAndKeepsDataInert()
    {
        Works.Sample(work =>
        {
            foreach (var format in Writers.Formats)
            {
                var output = new StringWriter();
                Writers.WriteAll(Writers.For(format), [new ExportItem(work, "k", [])], output);
                var text = output.ToString();
                if (format is not ("bibtex" or "biblatex")) continue;
                Assert.DoesNotContain("\\input", text);
                foreach (var line in text.Split('\n').Where(l => l.StartsWith("  ")))
                {
                    var depth = 0;
                    foreach (var c in line[(line.IndexOf(" = ", StringComparison.Ordinal) + 3)..])
                        if (c == '{') depth++;
                        else if (c == '}') Assert.True(--depth >= 0, line);
                    Assert.True(depth == 0, line);
                }
            }
        }, iter: 300);
    }

    [Theory]
    // Fixed seeds: the external tools are slow, so these batches are the same in every run.
    [InlineData("d2C1n9erSb61")]
    [InlineData("0N0XIzNsQ0O2")]
    public void RandomWorksParseInBibtexBiberAndBibutils(string seed) =>
        Works.Array[40].Sample(works =>
        {
            using var temp = TestPaths.TempDir();
            var items = works.Select((w, i) => new ExportItem(w, $"k{i}", [])).ToList();
            var bib = temp.File("random.bib");
            using (var output = new StreamWriter(bib)) Writers.WriteAll(new BibTexWriter(), items, output);
            var (bibtex, log, bibitems) = Validators.Bibtex(bib);
            Assert.True(bibtex.ExitCode == 0, bibtex + log);
            Assert.Equal(items.Count, bibitems);
            Assert.Equal(items.Count, Validators.Bibutils("bib2xml", bib).Records);

            var biblatex = temp.File("random-biblatex.bib");
            using (var output = new StreamWriter(biblatex)) Writers.WriteAll(new BibLatexWriter(), items, output);
            var (biber, entries) = Validators.Biber(biblatex, validateDataModel: false);
            Assert.True(biber.ExitCode == 0, biber.ToString());
            Assert.Equal(items.Count, entries);

            var ris = temp.File("random.ris");
            using (var output = new StreamWriter(ris)) Writers.WriteAll(new RisWriter(), items, output);
            Assert.Equal(items.Count, Validators.Bibutils("ris2xml", ris).Records);
        }, seed: seed, iter: 1, threads: 1);
}
