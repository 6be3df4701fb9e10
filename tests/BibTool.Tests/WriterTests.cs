using BibTool.Export;
using BibTool.Keys;
using BibTool.Model;
using BibTool.Text;

namespace BibTool.Tests;

public class WriterTests
{
    private static Work Article(string title = "A foundation model for generalizable disease detection from retinal images") => new()
    {
        Id = "doi:10.1038/s41586-023-06555-x",
        Type = "article-journal",
        Title = RichText.FromPlain(title),
        Issued = new DateParts(2023, 9, 13),
        ContainerTitle = "Nature",
        ContainerTitleShort = "Nat.",
        Volume = "622",
        Issue = "7981",
        Page = "156-163",
        Publisher = "Springer Science and Business Media LLC",
        Doi = "10.1038/s41586-023-06555-x",
        Url = "https://doi.org/10.1038/s41586-023-06555-x",
        Authors = { new Name("Zhou", "Yukun"), new Name("Müller", "Jürgen"), Name.Organisation("World Health Organization") },
    };

    private static string Write(IBibliographyWriter writer, params ExportItem[] items)
    {
        var output = new StringWriter();
        Writers.WriteAll(writer, items, output);
        return output.ToString();
    }

    [Fact]
    public void BibtexArticle()
    {
        var bib = Write(new BibTexWriter(), new ExportItem(Article(), "zhou2023foundation", []));
        Assert.StartsWith("@article{zhou2023foundation,\n", bib);
        Assert.Contains("  author = {Zhou, Yukun and M{\\\"u}ller, J{\\\"u}rgen and {World Health Organization}},\n", bib);
        Assert.Contains("  journal = {Nature},\n", bib);
        Assert.Contains("  month = sep,\n", bib);
        Assert.Contains("  pages = {156--163},\n", bib);
        Assert.Contains("  doi = {10.1038/s41586-023-06555-x},\n", bib);
        Assert.DoesNotContain("https://doi.org/10.1038/s41586-023-06555-x}", bib.Split("doi = ")[1].Split('\n')[0]);
        Assert.True(bib.All(c => c < 128), "BibTeX output is ASCII");
    }

    [Fact]
    public void TitlesAreDataNeverCommands()
    {
        var work = Article(@"Why \input{/etc/passwd} & 100% of $x_1$ ~ #tags ^ {braces}");
        var bib = Write(new BibTexWriter(), new ExportItem(work, "k", []));
        var title = bib.Split("title = {")[1].Split("},\n")[0];
        Assert.Equal(@"Why {\textbackslash}input{\textbraceleft}/etc/passwd{\textbraceright} \& 100\% of \$x\_1\$ \~{} \#tags \^{} {\textbraceleft}braces{\textbraceright}", title);
    }

    [Theory]
    // acronyms and CamelCase are braced word by word, never the whole title
    [InlineData("BioBERT: a pre-trained biomedical language model", "{BioBERT}: a pre-trained biomedical language model")]
    [InlineData("Segment anything in medical images with SAM and 3D CT", "Segment anything in medical images with {SAM} and {3D} {CT}")]
    // in a sentence-case title the capitals that remain are proper nouns
    [InlineData("Tuning LLaMA model with Chinese medical knowledge", "Tuning {LLaMA} model with {Chinese} medical knowledge")]
    // A title-case title cannot say which capitals are proper nouns ("Monte Carlo"): all are kept.
    [InlineData("Large Language Models Encode Clinical Knowledge", "Large {Language} {Models} {Encode} {Clinical} {Knowledge}")]
    [InlineData("Vision–Language Foundation Model for Echocardiogram Interpretation", "Vision--{Language} {Foundation} {Model} for {Echocardiogram} {Interpretation}")]
    // Each part of a hyphenated word is judged on its own: no braces around a lower-case part.
    [InlineData("Evaluating GPT-based models on X-ray and COVID-19 images", "Evaluating {GPT}-based models on {X}-ray and {COVID}-19 images")]
    [InlineData("Monte Carlo simulations of Jupiter's moons", "Monte {Carlo} simulations of {Jupiter's} moons")]
    public void TitleProtection(string title, string expected) =>
        Assert.Equal(expected, Latex.Title(RichText.FromPlain(title), ascii: true));

    [Fact]
    public void StyledTitleRuns()
    {
        var title = new RichText([new("Effects of ", TextStyle.None), new("Escherichia coli", TextStyle.Italic), new(" on CO", TextStyle.None), new("2", TextStyle.Subscript)]);
        // Formatting is never a brace group opening with a command (bibtex would lowercase all of it),
        // and has no brace inside its command (Zotero's importer ends the command at the first one).
        Assert.Equal(@"Effects of {{\textit{Escherichia coli}}} on {CO}{$_{\textrm{2}}$}", Latex.Title(title, ascii: true));
        Assert.Equal("Effects of <i>Escherichia coli</i> on CO<sub>2</sub>", title.ToCslHtml());
    }

    [Theory]
    [InlineData("Gödel", "G{\\\"o}del")]
    [InlineData("François", "Fran{\\c c}ois")]
    [InlineData("Dvořák", "Dvo{\\v r}{\\'a}k")]
    [InlineData("Łukasz Øster", "{\\L}ukasz {\\O}ster")]
    [InlineData("naïve — café", "na{\\\"\\i}ve --- caf{\\'e}")]
    [InlineData("β-amyloid", "$\\beta$-amyloid")]
    public void NonAsciiBecomesLatex(string text, string expected) => Assert.Equal(expected, Latex.Escape(text, ascii: true));

    [Fact]
    public void BiblatexKeepsUtf8AndUsesDates()
    {
        var bib = Write(new BibLatexWriter(), new ExportItem(Article(), "k", []));
        Assert.StartsWith("@article{k,\n", bib);
        Assert.Contains("author = {Zhou, Yukun and Müller, Jürgen and {World Health Organization}}", bib);
        Assert.Contains("  date = {2023-09-13},\n", bib);
        Assert.Contains("  journaltitle = {Nature},\n", bib);
        Assert.DoesNotContain("publisher", bib);
        Assert.DoesNotContain("year =", bib);
    }

    private static Work Preprint() => new()
    {
        Id = "arxiv:2401.02458", Type = "article", IsPreprint = true, Title = RichText.FromPlain("Data-centric foundation models in computational healthcare"),
        Issued = new DateParts(2024, 1, 4), Eprint = new Eprint("arxiv", "2401.02458", "cs.LG", "v2"), Publisher = "arXiv",
        Doi = "10.48550/arXiv.2401.02458", Url = "https://arxiv.org/abs/2401.02458", Authors = { new Name("Zhang", "Yunkun") },
    };

    [Fact]
    public void ArxivPreprintInEveryFormat()
    {
        var item = new ExportItem(Preprint(), "zhang2024data", []);
        var bibtex = Write(new BibTexWriter(), item);
        Assert.StartsWith("@misc{zhang2024data,", bibtex);
        Assert.Contains("  howpublished = {arXiv:2401.02458 [cs.LG]},\n", bibtex);
        Assert.Contains("  eprint = {2401.02458},\n  archivePrefix = {arXiv},\n  primaryClass = {cs.LG},\n  eprinttype = {arxiv},\n", bibtex);

        // Zotero makes a web page of @online and drops @dataset: preprints are @misc with eprint fields.
        var biblatex = Write(new BibLatexWriter(), item);
        Assert.StartsWith("@misc{zhang2024data,", biblatex);
        Assert.Contains("  eprinttype = {arxiv},\n  eprint = {2401.02458},\n  eprintclass = {cs.LG},\n", biblatex);

        var csl = System.Text.Json.JsonDocument.Parse(Write(new CslJsonWriter(), item)).RootElement[0];
        Assert.Equal("article", csl.GetProperty("type").GetString());
        Assert.Equal("arXiv", csl.GetProperty("publisher").GetString());
        Assert.Equal("arXiv:2401.02458", csl.GetProperty("number").GetString());
        Assert.Equal("zhang2024data", csl.GetProperty("citation-key").GetString());
        Assert.Equal([2024, 1, 4], csl.GetProperty("issued").GetProperty("date-parts")[0].EnumerateArray().Select(e => e.GetInt32()));
    }

    /// <summary>What a reader of a plain.bst bibliography sees: the .bbl's text with markup and braces dropped.</summary>
    private static string Visible(string bbl) =>
        System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Replace(bbl.Replace("\\newblock", " ").Replace("``", "\"").Replace("''", "\""), @"\\([#&%_])", "$1"), @"\\[a-zA-Z]+|[{}$]|(?<=\$)[_^]", ""),
            @"\s+", " ");

    [Fact]
    public void PlainBstKeepsTheCapitalsTheSourceWrote()
    {
        // SYNTHETIC works: a formatted acronym, a word split by a superscript, proper nouns in a
        // title-case title, a demoted article's journal, a dataset's repository, a quoted title.
        var kras = Article("placeholder");
        kras.Title = new RichText([new("Targeting ", TextStyle.None), new("KRAS", TextStyle.Italic), new(" mutations with ", TextStyle.None),
            new("δ", TextStyle.None), new("13", TextStyle.Superscript), new("C-labelled probes", TextStyle.None)]);
        var monte = Article("Monte Carlo Simulations of Jupiter Moons");
        var noAuthor = Article("An editorial without authors");
        noAuthor.Authors.Clear();
        var dataset = new Work { Id = "doi:10.5555/data", Type = "dataset", Title = RichText.FromPlain("Retinal scans"), Publisher = "Zenodo", Issued = new DateParts(2022), Doi = "10.5555/data" };
        dataset.Authors.Add(new Name("Lee", "Ann"));
        var quoted = Article("Peer Review #2 of \"Human agency beliefs\"");
        using var temp = Support.TestPaths.TempDir();
        var bib = temp.File("seen.bib");
        File.WriteAllText(bib, Write(new BibTexWriter(), new ExportItem(kras, "kras", []), new ExportItem(monte, "monte", []),
            new ExportItem(noAuthor, "editorial", []), new ExportItem(dataset, "data", []), new ExportItem(quoted, "quoted", [])));
        var (run, log, items) = Support.Validators.Bibtex(bib, "plain");
        Assert.True(run.ExitCode == 0 && !log.Contains("Warning--"), run + log);
        Assert.Equal(5, items);
        var bbl = File.ReadAllText(temp.File("seen.bbl"));
        var seen = Visible(bbl);
        Assert.Contains("Targeting KRAS mutations with 13C-labelled probes", seen);
        Assert.Contains("Monte Carlo Simulations of Jupiter Moons", seen);
        Assert.Contains("An editorial without authors. Nature", seen);
        Assert.Contains("Retinal scans. Zenodo", seen);
        Assert.Contains("Peer Review #2 of \"Human agency beliefs\"", seen);
        Assert.Contains("``{Human", bbl);
    }

    [Fact]
    public void NameParticlesSurviveZoteroAndAPandocRoundTrip()
    {
        // SYNTHETIC authors with particles: the family field carries them (Zotero drops
        // non-dropping-particle), and pandoc's BibLaTeX round trip gives the same names back.
        var work = Article();
        work.Authors.Clear();
        work.Authors.Add(new Name("Berg", "Jan", NonDroppingParticle: "van der"));
        work.Authors.Add(new Name("Vinci", "Leonardo", NonDroppingParticle: "da"));
        using var temp = Support.TestPaths.TempDir();
        var json = temp.File("particles.json");
        File.WriteAllText(json, Write(new CslJsonWriter(), new ExportItem(work, "berg2023", [])));
        var written = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json)).RootElement[0].GetProperty("author");
        Assert.Equal(["van der Berg", "da Vinci"], written.EnumerateArray().Select(n => n.GetProperty("family").GetString()));
        var back = RecordedFidelityTests.PandocRoundTrip(json)["berg2023"].GetProperty("author");
        Assert.Equal(["Jan van der Berg", "Leonardo da Vinci"], back.EnumerateArray().Select(RecordedFidelityTests.Display));
    }

    [Fact]
    public void PlainBstShowsThePreprintsId()
    {
        using var temp = Support.TestPaths.TempDir();
        var bib = temp.File("preprint.bib");
        File.WriteAllText(bib, Write(new BibTexWriter(), new ExportItem(Preprint(), "zhang2024data", [])));
        var (run, log, items) = Support.Validators.Bibtex(bib, "plain");
        Assert.True(run.ExitCode == 0 && !log.Contains("Warning--"), run + log);
        Assert.Equal(1, items);
        // What a reader sees after the title and the date: where the preprint is.
        Assert.Contains("arXiv:2401.02458 [cs.LG]", File.ReadAllText(temp.File("preprint.bbl")).ReplaceLineEndings(" "));
    }

    [Fact]
    public void RisFollowsZoterosReading()
    {
        var work = Article();
        work.Abstract = RichText.FromPlain("Line one.\nLine two.\r\nLine three.");
        var ris = Write(new RisWriter(), new ExportItem(work, "k", []));
        var lines = ris.Split("\r\n");
        Assert.Equal("TY  - JOUR", lines[0]);
        Assert.Equal(["AU  - Zhou, Yukun", "AU  - Müller, Jürgen", "AU  - World Health Organization"], lines.Where(l => l.StartsWith("AU")));
        Assert.Contains("T2  - Nature", lines);
        Assert.Contains("J2  - Nat.", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("JO"));
        Assert.Contains("PY  - 2023", lines);
        Assert.Contains("DA  - 2023/09/13/", lines);
        Assert.Contains("SP  - 156", lines);
        Assert.Contains("EP  - 163", lines);
        Assert.Contains("AB  - Line one. Line two. Line three.", lines);
        Assert.Contains("ER  - ", lines);
        Assert.All(lines.Where(l => l.Length > 0), l => Assert.Matches(@"^[A-Z][A-Z0-9]  - ", l));
    }

    [Fact]
    public void CsvCellsCannotRunInASpreadsheet()
    {
        var work = Article("=HYPERLINK(\"http://evil\")");
        work.Authors.Clear();
        work.Authors.Add(Name.Organisation("@SUM(A1:A9)"));
        var csv = Write(new CsvWorkWriter(), new ExportItem(work, "k", []));
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\")\"", csv);
        Assert.Contains("'@SUM(A1:A9)", csv);
    }

    [Fact]
    public void BibtexDowngradesIncompleteEntriesToMisc()
    {
        var noJournal = Article();
        noJournal.ContainerTitle = null;
        Assert.Equal("misc", BibTexWriter.EntryType(noJournal));
        var noAuthor = Article();
        noAuthor.Authors.Clear();
        var bib = Write(new BibTexWriter(), new ExportItem(noAuthor, "k", []));
        Assert.StartsWith("@misc{k,", bib);
        Assert.Contains("  key = {A foundation model},\n", bib);
    }
}

public class CitationKeyTests
{
    private static Work Work(string family, int? year, string title, string id = "doi:x") => new()
    {
        Id = id, Title = RichText.FromPlain(title), Issued = year is null ? null : new DateParts(year.Value), Authors = { new Name(family, "A.") },
    };

    [Fact]
    public void AReversedSurveyKeepsEveryPinnedSuffix()
    {
        // Three works whose pattern keys collide: the first export hands out zhang2023foundation,
        // …a and …b in survey order; the survey reversed must not permute them.
        using var temp = Support.TestPaths.TempDir();
        var works = new[] { "doi:10.1234/a", "doi:10.1234/b", "doi:10.1234/c" }.Select(id => Work("Zhang", 2023, "Foundation models " + id[^1], id)).ToDictionary(w => w.Id);
        List<Survey.SurveyEntry> Rows(IEnumerable<string> ids) => ids.Select((id, i) => new Survey.SurveyEntry
        {
            File = "s.md", Category = "c", Table = "t", Name = $"n{i}", PaperTitle = "", PaperUrl = "https://doi.org/" + id[4..], CodeUrl = "", Line = i + 1, Cells = [],
            Identifier = BibTool.Identifiers.IdentifierParser.Parse(id),
        }).ToList();
        Dictionary<string, string> Export(IEnumerable<string> order)
        {
            var pins = new KeyPins(temp.Path);
            var items = new Export.Exporter(id => works[id.WorkKey], pins).Items(Rows(order)).ToDictionary(i => i.Work.Id, i => i.Key);
            pins.Save();
            return items;
        }
        var first = Export(works.Keys);
        Assert.Equal(["zhang2023foundation", "zhang2023foundationa", "zhang2023foundationb"], works.Keys.Select(id => first[id]));
        var reversed = Export(works.Keys.Reverse());
        Assert.Equal(first, reversed);
    }

    [Fact]
    public void DefaultPattern()
    {
        var keys = new CitationKeys();
        Assert.Equal("zhou2023foundation", keys.Assign(Work("Zhou", 2023, "A Foundation Model for Generalizable Disease Detection")));
        Assert.Equal("muller2020expert", keys.Assign(Work("Müller", 2020, "The: Towards-expert models")));
        Assert.Equal("obrien2021quantum", keys.Assign(Work("O'Brien", 2021, "On quantum things")));
    }

    [Theory]
    // Names in other scripts are transliterated (AnyAscii), never dropped to "ref…".
    [InlineData("张", "zhang2023medical")]
    [InlineData("Иванов", "ivanov2023medical")]
    [InlineData("Ødegård", "odegard2023medical")]
    public void KeysNameAuthorsInEveryScript(string family, string expected) =>
        Assert.Equal(expected, new CitationKeys().Assign(Work(family, 2023, "Medical imaging")));

    [Fact]
    public void OrganisationsAreKeyedByMoreThanTheirFirstWord()
    {
        var who = Work("x", 2023, "Global report");
        who.Authors.Clear();
        who.Authors.Add(Name.Organisation("World Health Organization"));
        var bank = Work("x", 2023, "Global report");
        bank.Authors.Clear();
        bank.Authors.Add(Name.Organisation("The World Bank"));
        var keys = new CitationKeys();
        Assert.Equal("worldhealth2023global", keys.Assign(who));
        Assert.Equal("worldbank2023global", keys.Assign(bank));
    }

    [Fact]
    public void CollisionsGetStableSuffixesCaseInsensitively()
    {
        var keys = new CitationKeys(reserved: ["Zhou2023Foundation"]);
        var assigned = Enumerable.Range(0, 30).Select(_ => keys.Assign(Work("Zhou", 2023, "Foundation models"))).ToList();
        Assert.Equal("zhou2023foundationa", assigned[0]);
        Assert.Equal("zhou2023foundationz", assigned[25]);
        Assert.Equal("zhou2023foundationaa", assigned[26]);
        Assert.Equal(30, assigned.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(["a", "z", "aa", "az", "ba", "zz", "aaa"], new[] { 0, 25, 26, 51, 52, 701, 702 }.Select(CitationKeys.Suffix));
    }

    [Fact]
    public void PatternIsConfigurable()
    {
        var keys = new CitationKeys("{authors2}_{year}_{title2}");
        var work = Work("Zhou", 2023, "Foundation models everywhere");
        work.Authors.Add(new Name("Chia", "M."));
        Assert.Equal("zhouchia_2023_foundationmodels", keys.Assign(work));
        var e = Assert.Throws<ArgumentException>(() => new CitationKeys("{author}{month}"));
        Assert.Contains("unknown token {month}", e.Message);
    }

    [Fact]
    public void PinnedKeysSurviveARefresh()
    {
        using var temp = Support.TestPaths.TempDir();
        var pins = new KeyPins(temp.Path);
        var before = new Export.Exporter(_ => null, pins).Items([]);
        Assert.Empty(before);

        var keys = new CitationKeys(reserved: pins.Keys);
        var first = Work("Zhou", 2023, "Foundation models", "doi:10.1/a");
        pins.Pin(first.Id, keys.Assign(first));
        pins.Save();
        Assert.Equal("# bibtool citation keys: once a work has a key it keeps it (work id<TAB>key[<TAB>provisional][ was=OLD,...])\ndoi:10.1/a\tzhou2023foundation\n", File.ReadAllText(temp.File("keys.tsv")));

        // The refreshed metadata has another year and title: the pinned key stays.
        var reloaded = new KeyPins(temp.Path);
        Assert.Equal("zhou2023foundation", reloaded.Find("doi:10.1/a"));
        var newcomer = new CitationKeys(reserved: reloaded.Keys).Assign(Work("Zhou", 2023, "Foundation again", "doi:10.1/b"));
        Assert.Equal("zhou2023foundationa", newcomer);
    }
}

public class MergedKeyTests
{
    private static Work Paper(string id, string title, bool preprint, string? published = null) => new()
    {
        Id = id, Type = preprint ? "article" : "article-journal", Title = RichText.FromPlain(title), Issued = new DateParts(2024),
        Authors = { new Name(preprint ? "Synthe" : "Journe", "A") }, IsPreprint = preprint, PublishedDoi = published,
        Doi = id.StartsWith("doi:", StringComparison.Ordinal) ? id[4..] : null,
    };

    private static List<Survey.SurveyEntry> Rows(params string[] ids) => ids.Select((id, i) => new Survey.SurveyEntry
    {
        File = "s.md", Category = "c", Table = "t", Name = $"n{i}", PaperTitle = "", PaperUrl = "", CodeUrl = "", Line = i + 1, Cells = [],
        Identifier = BibTool.Identifiers.IdentifierParser.ParseKey(id),
    }).ToList();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void APinnedKeyStaysCiteableWhenItsWorkMergesIntoAnother(bool journalRowFirst)
    {
        // Synthetic works: a preprint and, under another row, its journal version. Both are exported
        // (and pinned) apart first; then the preprint's record names the journal DOI and the rows merge.
        using var temp = Support.TestPaths.TempDir();
        const string preprintId = "arxiv:2305.00001", journalId = "doi:10.5555/journal.1";
        var apart = new Dictionary<string, Work> { [preprintId] = Paper(preprintId, "Huatuo preprint", true), [journalId] = Paper(journalId, "Huatuo journal", false) };
        var pins = new KeyPins(temp.Path);
        var first = new Export.Exporter(id => apart[id.WorkKey], pins).Items(Rows(preprintId, journalId)).ToDictionary(i => i.Work.Id, i => i.Key);
        pins.Save();
        Assert.Equal(2, first.Values.Distinct().Count());

        var merged = new Dictionary<string, Work> { [preprintId] = Paper(preprintId, "Huatuo preprint", true, published: "10.5555/journal.1"), [journalId] = apart[journalId] };
        pins = new KeyPins(temp.Path);
        var order = journalRowFirst ? Rows(journalId, preprintId) : Rows(preprintId, journalId);
        var item = Assert.Single(new Export.Exporter(id => merged[id.WorkKey], pins).Items(order).ToList());
        var (survivor, other) = journalRowFirst ? (journalId, preprintId) : (preprintId, journalId);
        Assert.Equal(first[survivor], item.Key);
        Assert.Equal([first[other]], item.Aliases);
        pins.Save();
        // The merged-away key stays pinned to its work in keys.tsv, and BibLaTeX cites it through ids.
        Assert.Contains($"{other}\t{first[other]}", File.ReadAllText(temp.File("keys.tsv")));
        var output = new StringWriter();
        Export.Writers.WriteAll(Export.Writers.For("biblatex"), [item], output);
        Assert.Contains($"ids = {{{first[other]}}}", output.ToString());
    }
}
