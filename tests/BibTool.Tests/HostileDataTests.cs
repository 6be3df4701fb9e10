using BibTool.Export;
using BibTool.Keys;
using BibTool.Model;
using BibTool.Survey;
using BibTool.Tests.Support;
using BibTool.Text;

namespace BibTool.Tests;

/// <summary>
/// Data is never markup: values made up here (SYNTHETIC, hostile on purpose) go through every
/// BibTeX-family writer and the real bibtex and biber must see exactly the fields bibtool meant,
/// with no LaTeX command from the data anywhere in the file.
/// </summary>
public class HostileDataTests
{
    private const string Marker = "INJECTED";

    private static Work Hostile(int n, string title) => new()
    {
        Id = $"doi:10.1234/hostile{n}",
        Type = "article-journal",
        Title = RichText.FromPlain(title),
        Issued = new DateParts(2024, 2, 3),
        ContainerTitle = "Journal } of {{ braces",
        Volume = "1}, note = {" + Marker,
        Issue = "{",
        Page = "\\input{/tmp/m}",
        Publisher = "Evil \\csname x\\endcsname Press",
        Doi = "10.1234/a}b\\input{/tmp/m}",
        Url = "https://example.org/x}\\input{/tmp/m} y\"z",
        Authors =
        {
            new Name("Doe}, note = {" + Marker, "Jane{"), new Name("Roe", "Rick\\def\\x{y}"), Name.Organisation("Org } and { Co"),
            new Name("Smith", "John, Jr., III"), new Name("Nul\0l", "Ann", Suffix: "Jr, Sr"), new Name("de la, Cruz", "Maria", NonDroppingParticle: "von, der"),
        },
        Issn = { "\\input{/tmp/m}", "1234-5678" },
        Isbn = { "978}{x" },
        Eprint = new Eprint("arxiv}", "2401.0}2458", "cs.LG}\\input{/tmp/m}", "v1\\relax"),
        Note = "lone { brace",
    };

    private static readonly string[] TitleTexts =
    [
        "a}, note = \"" + Marker + "\"",
        "a lone { swallows the rest",
        "escaped \\} still a brace \\{",
        "\\input{/tmp/m} and \\write18{rm -rf /}",
        "nul\0 and \u2028 separators \u0001 and a lone surrogate \ud800 here",
    ];

    public static TheoryData<string> Titles => new(TitleTexts);

    [Theory]
    [MemberData(nameof(Titles))]
    public void BibtexFamilyValuesAreInert(string title)
    {
        foreach (var writer in new IBibliographyWriter[] { new BibTexWriter(), new BibLatexWriter() })
        {
            var output = new StringWriter();
            Writers.WriteAll(writer, [new ExportItem(Hostile(1, title), "k1", []), new ExportItem(Hostile(2, "Plain title"), "k2", [])], output);
            var bib = output.ToString();
            // No control sequence from the data: every backslash in the output is one bibtool wrote.
            Assert.DoesNotContain("\\input", bib);
            Assert.DoesNotContain("\\write", bib);
            Assert.DoesNotContain("\\csname", bib);
            Assert.DoesNotContain("\\def", bib);
            Assert.False(bib.Contains('\0'), "NUL in output");
            foreach (var line in bib.Split('\n').Where(l => l.StartsWith("  ")))
            {
                // Each field's value is brace-balanced on its own, counting "\{" as bibtex does.
                var value = line[(line.IndexOf(" = ", StringComparison.Ordinal) + 3)..];
                var depth = 0;
                foreach (var c in value)
                {
                    if (c == '{') depth++;
                    else if (c == '}') Assert.True(--depth >= 0, $"{writer.Name}: closing brace ends the field early in: {line}");
                }
                Assert.True(depth == 0, $"{writer.Name}: unbalanced field: {line}");
            }
        }
    }

    [Fact]
    public void BiberAndBibtexSeeOnlyTheFieldsBibtoolWrote()
    {
        using var temp = TestPaths.TempDir();
        var items = TitleTexts.Select((t, i) => new ExportItem(Hostile(i, t), $"k{i}", [])).ToList();
        var biblatex = temp.File("hostile-biblatex.bib");
        using (var output = new StreamWriter(biblatex)) Writers.WriteAll(new BibLatexWriter(), items, output);
        var (run, entries) = Validators.Biber(biblatex, validateDataModel: false);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(items.Count == entries, $"biber read {entries} of {items.Count} entries\n{run}\n{File.ReadAllText(biblatex)}");
        var read = File.ReadAllText(temp.File("biber-out.bib"));
        // A field named by the data ("note = {INJECTED") would appear as its own field line.
        Assert.DoesNotMatch(@"(?mi)^\s*note\s*=\s*\{" + Marker, read);
        Assert.Equal(items.Count, System.Text.RegularExpressions.Regex.Matches(read, @"(?mi)^\s*note\s*=").Count);

        var bibtex = temp.File("hostile.bib");
        using (var output = new StreamWriter(bibtex)) Writers.WriteAll(new BibTexWriter(), items, output);
        var (bibtexRun, log, bibitems) = Validators.Bibtex(bibtex);
        Assert.True(bibtexRun.ExitCode == 0, bibtexRun + log);
        Assert.DoesNotContain("Too many commas", log);
        Assert.DoesNotContain("Warning--", log);
        Assert.Equal(items.Count, bibitems);
        Assert.DoesNotContain("\\input", File.ReadAllText(temp.File("hostile.bbl")));
    }

    [Fact]
    public void PinnedKeysAreCheckedAndNeverRepeated()
    {
        using var temp = TestPaths.TempDir();
        File.WriteAllText(temp.File("keys.tsv"),
            "doi:10.1234/hostile1\tevil},title={X\n" +
            "doi:10.1234/hostile2\tsame\n" +
            "doi:10.1234/hostile3\tsame\n");
        var pins = new KeyPins(temp.Path);
        Assert.Contains(pins.Problems, p => p.Contains("evil},title={X") && p.Contains("keys.tsv:1"));

        var works = Enumerable.Range(1, 3).Select(i => Hostile(i, $"Title number {i}")).ToDictionary(w => w.Id);
        var rows = works.Keys.Select((id, i) => new SurveyEntry
        {
            File = "s.md", Category = "c", Table = "t", Name = $"n{i}", PaperTitle = "", PaperUrl = "https://doi.org/" + id[4..], CodeUrl = "", Line = i + 1, Cells = [],
            Identifier = BibTool.Identifiers.IdentifierParser.Parse(id),
        }).ToList();
        var keys = new Exporter(id => works[id.WorkKey], pins).Items(rows).Select(i => i.Key).ToList();
        Assert.Equal(3, keys.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal("same", keys[1]);
        Assert.DoesNotContain(keys, k => !KeyPins.IsValidKey(k));
    }

    [Theory]
    [InlineData("https://example.org/a b", "https://example.org/a%20b")]
    [InlineData("https://example.org/{x}\\y", "https://example.org/%7Bx%7D%5Cy")]
    [InlineData("https://example.org/ok%20already?q=1&r=2#frag", "https://example.org/ok%20already?q=1&r=2#frag")]
    [InlineData("https://example.org/100%", "https://example.org/100%25")]
    [InlineData("https://example.org/é", "https://example.org/%C3%A9")]
    public void LinksArePercentEncoded(string url, string expected) => Assert.Equal(expected, Links.Inert(url));

    /// <summary>Page ranges: every run of dashes with the spaces around it becomes "--"; the rule is written here as the regular expression \s*[-–—]+\s*.</summary>
    [Theory]
    [InlineData("385-405")]
    [InlineData(" 12 – 15 ")]
    [InlineData("a - - b")]
    [InlineData("1\t—\u00a02—3")]
    [InlineData("-5")]
    [InlineData("5-")]
    [InlineData("e0123")]
    [InlineData("S1--S9")]
    public void PageRangesGetOneEnDash(string pages) =>
        Assert.Equal(System.Text.RegularExpressions.Regex.Replace(pages.Trim(), @"\s*[-–—]+\s*", "--"), Latex.Pages(pages));

    /// <summary>Every character between two letters, against the rule written out here: RFC 3986's unreserved and reserved characters stay, anything else is percent-encoded as UTF-8.</summary>
    [Fact]
    public void EveryCharacterOfALinkIsKeptOrEncodedByTheRule()
    {
        const string kept = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=";
        for (var c = '\u0021'; c < '\ud800'; c++)
        {
            var expected = "a" + (kept.Contains(c) ? c.ToString() : string.Concat(System.Text.Encoding.UTF8.GetBytes(c.ToString()).Select(b => $"%{b:X2}"))) + "b";
            if (c == '%') continue;
            Assert.Equal(expected, Links.Inert("a" + c + "b"));
        }
        Assert.Equal("a%25zz", Links.Inert("a%zz"));
        Assert.Equal("10.1002/(SICI)<x>", Links.Inert("10.1002/(SICI)<x>", keep: "<>"));
    }

    /// <summary>Every BMP character inside a value for RIS and CSV, against the rule written out here: white space and separators are one space, controls and invisible marks and lone surrogates go.</summary>
    [Fact]
    public void EveryCharacterOfALineValueFollowsTheRule()
    {
        const string dropped = "\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e";
        for (var c = '\u0000'; c < '\uffff'; c++)
        {
            var expected = char.IsWhiteSpace(c) || c is '\u2028' or '\u2029' ? "a b" : char.IsControl(c) || char.IsSurrogate(c) || dropped.Contains(c) ? "ab" : "a" + c + "b";
            Assert.Equal(expected, BibTool.Text.Scrub.OneLine("a" + c + "b"));
        }
        Assert.Equal("a b", BibTool.Text.Scrub.OneLine("  a  \t b  "));
        Assert.Equal("a\ud83d\ude00b", BibTool.Text.Scrub.OneLine("a\ud83d\ude00b"));
    }

    [Fact]
    public void LineFormatsHoldNoSeparatorsOrControls()
    {
        var work = Hostile(1, "one\u2028two\u2029three\u0085four\rfive\nsix\u0000seven\u0007eight\ud800");
        foreach (var writer in new IBibliographyWriter[] { new RisWriter(), new CsvWorkWriter() })
        {
            var output = new StringWriter();
            Writers.WriteAll(writer, [new ExportItem(work, "k1", [])], output);
            var text = output.ToString();
            Assert.True(text.Contains("one two three four five sixseveneight"), text);
            Assert.False(text.Any(c => c is '\u2028' or '\u2029' or '\u0085' or '\0' or '\u0007' || char.IsSurrogate(c)), writer.Name);
            // RIS: every line is TAG  - value (or blank between records); CSV: a header and one record.
            var lines = text.Split(writer is RisWriter ? "\r\n" : "\n", StringSplitOptions.RemoveEmptyEntries);
            if (writer is RisWriter) Assert.All(lines, l => Assert.Matches(@"^[A-Z][A-Z0-9]  - ", l));
            else Assert.Equal(2, lines.Length);
        }
    }

    [Theory]
    [InlineData("Smith", "John, Jr., III", null, null, "Smith, Jr. III, John")]
    [InlineData("Cruz, de la", "Maria", null, null, "Cruz de la, Maria")]
    [InlineData("Nul\0l", "Ann", "Jr, Sr", null, "Null, Jr Sr, Ann")]
    [InlineData("Beethoven", "Ludwig", null, "van, der", "van der Beethoven, Ludwig")]
    [InlineData("Smith and Jones", "Ann", null, null, "{Smith and Jones}, Ann")]
    // bibtex splits names at hyphens too: a given name of dashes alone is kept as one part.
    [InlineData("Smith", "—", null, null, "Smith, {---}")]
    // "Gates, III," would end in a comma: without a given name the name is braced whole.
    [InlineData("Gates", "", "III", null, "{Gates III}")]
    [InlineData(",", "Ann", null, null, "Ann")]
    // Names that look plain but are not: each must leave the quick path for the full one.
    [InlineData("Smith", "-", null, null, "Smith, {-}")]
    [InlineData(" Smith ", " Ann ", null, null, "Smith, Ann")]
    [InlineData("Smith", "Ann AND Bob", null, null, "Smith, {Ann AND Bob}")]
    [InlineData("O_Neil", "Ann", null, null, "O\\_Neil, Ann")]
    public void NamesWithOddCommasSplitSafely(string family, string given, string? suffix, string? particle, string expected) =>
        Assert.Equal(expected, Latex.Name(new Name(family, given, Suffix: suffix, NonDroppingParticle: particle), ascii: true));

    [Theory]
    [InlineData("plainnat", true)]
    [InlineData("plainnat", false)]
    [InlineData("plain", false)]
    public void TypesettingHostileDataRunsNoCommandFromIt(string style, bool urlPackage)
    {
        using var temp = TestPaths.TempDir();
        // The marker file would announce itself in the log if any field's \input ran.
        var marker = temp.File("marker.tex");
        File.WriteAllText(marker, "\\typeout{MARKER-INPUT-RAN}\n");
        var evil = $"\\input{{{marker}}}";
        var items = TitleTexts.Append(evil).Select((t, i) =>
        {
            var work = Hostile(i, t);
            work.Issn.Add(evil);
            work.Url = $"https://example.org/{evil}";
            work.Doi = $"10.1234/{evil}";
            work.Volume = evil;
            return new ExportItem(work, $"k{i}", []);
        }).ToList();
        using (var output = new StreamWriter(temp.File("hostile.bib"))) Writers.WriteAll(new BibTexWriter(), items, output);
        File.WriteAllText(temp.File("doc.tex"), $$"""
            \documentclass{article}
            {{(urlPackage ? "\\usepackage{url}" : "")}}
            {{(style == "plainnat" ? "\\usepackage{natbib}" : "")}}
            \begin{document}
            \nocite{*}
            \bibliographystyle{{{style}}}
            \bibliography{hostile}
            \end{document}
            """);
        string[] latex = ["-interaction=nonstopmode", "-no-shell-escape", "doc.tex"];
        Validators.Run("pdflatex", latex, temp.Path);
        var bibtex = Validators.Run("bibtex", ["doc"], temp.Path);
        Assert.True(bibtex.ExitCode == 0, bibtex.ToString());
        var run = Validators.Run("pdflatex", latex, temp.Path);
        var log = File.ReadAllText(temp.File("doc.log"));
        Assert.DoesNotContain("MARKER-INPUT-RAN", log);
        // pdflatex logs "(PATH" for every file it opens; the path may appear as typeset text, never opened.
        Assert.DoesNotContain("(" + marker, log);
        // The would-be field is typeset as the title's own text (capitals kept), not read as a field.
        // (its straight quotes become TeX's opening and closing quotes).
        Assert.Contains("note = ``{INJECTED}''", File.ReadAllText(temp.File("doc.bbl")));
        // With the url package (what plainnat's links expect) the document typesets without an error.
        if (urlPackage) Assert.True(run.ExitCode == 0 && !log.Contains("\n! "), log[Math.Max(0, log.IndexOf("\n! ", StringComparison.Ordinal))..]);
    }
}
