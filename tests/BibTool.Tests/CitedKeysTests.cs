using BibTool.Tests.Support;
using BibTool.Manuscripts;

namespace BibTool.Tests;

/// <summary>What a manuscript cites, read from each kind of file. The manuscripts are written here.</summary>
public class CitedKeysTests
{
    private static List<(string Key, int Line)> Read(string name, string text)
    {
        using var temp = TestPaths.TempDir();
        var path = temp.File(name);
        File.WriteAllText(path, text);
        return CitedKeys.Read([path]).Citations.Select(c => (c.Key, c.Line)).ToList();
    }

    [Fact]
    public void LatexSourcesCiteWithEveryCommandAndOptionalArguments()
    {
        const string tex = """
            \documentclass{article}
            As \citet{alpha} and \citep[see][p.~3]{beta, gamma} show,
            \parencite*{delta} % \cite{commented}
            \textcite{epsilon}\autocite[12]{zeta}\footcite{eta}
            \nocite{theta}\Citeauthor{iota} 50\% of \cites[p.~1]{kappa}[p.~2]{lambda}
            \cite{mu,
              nu}
            \citation{not-in-tex} \excite
            """;
        Assert.Equal([("alpha", 2), ("beta", 2), ("gamma", 2), ("delta", 3), ("epsilon", 4), ("zeta", 4), ("eta", 4), ("theta", 5), ("iota", 5), ("kappa", 5), ("lambda", 5), ("mu", 6), ("nu", 6)],
            Read("paper.tex", tex).Where(c => c.Key != "not-in-tex"));
        Assert.DoesNotContain(Read("paper.tex", tex), c => c.Key == "commented");
    }

    [Fact]
    public void NociteStarAsksForEverything()
    {
        using var temp = TestPaths.TempDir();
        File.WriteAllText(temp.File("a.tex"), "\\cite{one}\n\\nocite{*}\n");
        var cited = CitedKeys.Read([temp.File("a.tex")]);
        Assert.Equal("a.tex:2", Path.GetFileName(cited.Everything!.Location));
        Assert.Equal(["one"], cited.Citations.Select(c => c.Key));
    }

    [Fact]
    public void AuxFilesOfBibtexAndBiblatexAndTheirIncludedParts()
    {
        using var temp = TestPaths.TempDir();
        // As pdflatex writes them: bibtex's \citation, biblatex's \abx@aux@cite{refsection}{key}, an \include's own .aux.
        File.WriteAllText(temp.File("chapter.aux"), "\\relax\n\\citation{fromchapter}\n");
        File.WriteAllText(temp.File("paper.aux"), "\\relax\n\\citation{a,b}\n\\abx@aux@cite{0}{c}\n\\abx@aux@segm{0}{0}{c}\n\\@input{chapter.aux}\n\\@input{missing.aux}\n\\bibdata{refs}\n");
        var cited = CitedKeys.Read([temp.File("paper.aux")]);
        Assert.Equal([("a", "paper.aux:2"), ("b", "paper.aux:2"), ("c", "paper.aux:3"), ("fromchapter", "chapter.aux:2")],
            cited.Citations.Select(c => (c.Key, Path.GetFileName(c.Location))));
    }

    [Fact]
    public void BiberControlFilesNameTheirCitekeys()
    {
        // The shape of a biber control file (SYNTHETIC, written here): citekeys inside a section.
        const string bcf = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bcf:controlfile version="3.10" bltxversion="3.19" xmlns:bcf="https://sourceforge.net/projects/biblatex">
              <bcf:bibdata section="0">
                <bcf:datasource type="file" datatype="bibtex" glob="false">refs.bib</bcf:datasource>
              </bcf:bibdata>
              <bcf:section number="0">
                <bcf:citekey order="1" intorder="1">first</bcf:citekey>
                <bcf:citekey order="2" intorder="1">second</bcf:citekey>
              </bcf:section>
            </bcf:controlfile>
            """;
        Assert.Equal([("first", 7), ("second", 8)], Read("paper.bcf", bcf));
        using var temp = TestPaths.TempDir();
        File.WriteAllText(temp.File("bad.bcf"), "<!DOCTYPE x [<!ENTITY e \"boom\">]><x>&e;</x>");
        var e = Assert.Throws<ManuscriptException>(() => { CitedKeys.Read([temp.File("bad.bcf")]); });
        Assert.StartsWith(temp.File("bad.bcf") + ":1: not a biber control file", e.Message);
    }

    [Fact]
    public void PandocMarkdownCitesButCodeAndMailAddressesDoNot()
    {
        const string markdown = """
            ---
            title: A paper by someone@example.org
            nocite: |
              @fromyaml
            ---
            As [@alpha] and @beta say [-@gamma; see @delta, p. 3; @{odd.key}].
            Mail me at jane@example.org; @epsilon. and (@zeta:2020).
            Inline `@code` is not a citation.

            ```python
            @decorator
            ```
            ~~~
            @tilde
            ~~~
            Last [@eta].
            """;
        Assert.Equal([("fromyaml", 4), ("alpha", 6), ("beta", 6), ("gamma", 6), ("delta", 6), ("odd.key", 6), ("epsilon", 7), ("zeta:2020", 7), ("eta", 16)],
            Read("paper.md", markdown));
    }

    [Fact]
    public void PandocsNociteStarInTheFrontMatterAsksForEverything()
    {
        using var temp = TestPaths.TempDir();
        File.WriteAllText(temp.File("p.md"), "---\nnocite: '@*'\n---\nText [@one].\n");
        Assert.NotNull(CitedKeys.Read([temp.File("p.md")]).Everything);
    }

    [Theory]
    [InlineData("smith2020deep", new[] { "smith2020deep", "smith2021deep", "jones2020deep", "unrelated" }, new[] { "smith2020deep", "smith2021deep" })]
    [InlineData("smtih2020", new[] { "smith2020", "smith2021", "doe1999" }, new[] { "smith2020", "smith2021" })]
    [InlineData("zzz", new[] { "smith2020" }, new string[0])]
    public void TheClosestKnownKeysAreOffered(string key, string[] known, string[] closest) =>
        Assert.Equal(closest, CitedKeys.Closest(key, known));
}
