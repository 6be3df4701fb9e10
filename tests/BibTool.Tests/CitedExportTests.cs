using System.Text.RegularExpressions;
using BibTool.BibFiles;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>
/// export --cited on the example survey: a LaTeX paper and a pandoc paper (written here) cite some
/// of its works, one under the key it had before it resolved, one under a mistyped key. The export
/// holds exactly the cited works, and bibtex, pdflatex and pandoc --citeproc resolve every citation
/// but the mistyped one.
/// </summary>
public class CitedExportTests(ExportStores stores) : IClassFixture<ExportStores>
{
    /// <summary>A store whose works were first exported unresolved (provisional keys), then resolved; the final keys and one old key.</summary>
    private (string Store, List<string> Keys, string OldKey, string OldKeysWork) StoreWithAnOldKey(TempDir temp)
    {
        var store = temp.File("store");
        Directory.CreateDirectory(store);
        var first = CliRunner.Run("export", TestPaths.SeedSurvey, "--cache", store, "--offline", "--format", "bibtex", "--table", "Other Models");
        Assert.True(first.ExitCode == 0, first.Stderr);
        var provisional = BibParser.Parse(first.Stdout).Records.Select(r => r.Key).ToList();
        stores.CopySeedRecords(store);
        var all = CliRunner.Run("export", TestPaths.SeedSurvey, "--cache", store, "--offline", "--format", "biblatex");
        Assert.True(all.ExitCode == 0, all.Stderr);
        var records = BibParser.Parse(all.Stdout).Records;
        var aliased = records.First(r => r["ids"] is { } ids && ids.Split(',').Select(i => i.Trim()).Contains(provisional[0]));
        Assert.NotEqual(provisional[0], aliased.Key);
        return (store, records.Select(r => r.Key).Where(k => k != aliased.Key).ToList(), provisional[0], aliased.Key);
    }

    private static List<string> KeysIn(string bib) => BibParser.ReadFile(bib).Records.Select(r => r.Key).ToList();

    [Fact]
    public void ALatexPaperGetsExactlyWhatItCitesAndTypesetsWithoutAnUndefinedReference()
    {
        using var temp = TestPaths.TempDir();
        var (store, keys, oldKey, _) = StoreWithAnOldKey(temp);
        string k1 = keys[0], k2 = keys[10], k3 = keys[20], k4 = keys[30], typo = keys[0] + "x";
        File.WriteAllText(temp.File("paper.tex"), $$"""
            \documentclass{article}
            \begin{document}
            As \cite{{{k1}}} and \cite[p.~3]{{{k2}},{{k3}}} show. % \cite{{{keys[40]}}} is a comment
            An old key: \cite{{{oldKey}}}.
            A typo: \cite{{{typo}}}.
            \nocite{{{k4}}}
            \bibliographystyle{plain}
            \bibliography{cited}
            \end{document}
            """);
        string[] export = ["export", TestPaths.SeedSurvey, "--cache", store, "--offline", "--format", "bibtex", "-o", temp.File("cited.bib")];
        var result = CliRunner.Run([.. export, "--cited", temp.File("paper.tex")]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"warning: {temp.File("paper.tex")}:5: no work has the key '{typo}' (closest: {k1}", result.Stderr);
        // Exactly the cited works; the one cited under its old key is written under that key.
        Assert.Equal(new[] { k1, k2, k3, k4, oldKey }.Order(), KeysIn(temp.File("cited.bib")).Order());

        // pdflatex, bibtex, pdflatex twice, as a user builds the paper.
        var latex = new[] { "-interaction=nonstopmode", "-no-shell-escape", "paper.tex" };
        Validators.Run("pdflatex", latex, temp.Path);
        var bibtex = Validators.Run("bibtex", ["paper"], temp.Path);
        var blg = File.ReadAllText(temp.File("paper.blg"));
        Assert.Equal([$"I didn't find a database entry for \"{typo}\""], Regex.Matches(blg, "Warning--(.*)").Select(m => m.Groups[1].Value.Trim()));
        Assert.Equal(5, File.ReadAllLines(temp.File("paper.bbl")).Count(l => l.StartsWith("\\bibitem")));
        Validators.Run("pdflatex", latex, temp.Path);
        Validators.Run("pdflatex", latex, temp.Path);
        var log = File.ReadAllText(temp.File("paper.log"));
        Assert.Equal([typo], Regex.Matches(log, @"Citation `([^']+)' on page \d+ undefined").Select(m => m.Groups[1].Value).Distinct());

        // The .aux pdflatex wrote names the same works.
        var fromAux = CliRunner.Run([.. export, "--cited", temp.File("paper.aux")]);
        Assert.True(fromAux.ExitCode == 0, fromAux.Stderr);
        Assert.Equal(new[] { k1, k2, k3, k4, oldKey }.Order(), KeysIn(temp.File("cited.bib")).Order());

        // --strict: the unknown key is an error, and nothing is written.
        File.Delete(temp.File("cited.bib"));
        var strict = CliRunner.Run([.. export, "--cited", temp.File("paper.tex"), "--strict"]);
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains($"error: {temp.File("paper.tex")}:5: no work has the key '{typo}'", strict.Stderr);
        Assert.False(File.Exists(temp.File("cited.bib")));
    }

    [Fact]
    public void ABiblatexPapersBcfGivesExactlyWhatItCitesAndBiberFindsEveryKnownKey()
    {
        using var temp = TestPaths.TempDir();
        var (store, keys, oldKey, _) = StoreWithAnOldKey(temp);
        string k1 = keys[2], k2 = keys[12], k3 = keys[22], typo = keys[2] + "z";
        File.WriteAllText(temp.File("paper.tex"), $$"""
            \documentclass{article}
            \usepackage[backend=biber]{biblatex}
            \addbibresource{cited.bib}
            \begin{document}
            \textcite{{{k1}}} and \parencite[p.~3]{{{k2}}}; old: \autocite{{{oldKey}}}; typo: \cite{{{typo}}}.
            \nocite{{{k3}}}
            \printbibliography
            \end{document}
            """);
        var latex = new[] { "-interaction=nonstopmode", "-no-shell-escape", "paper.tex" };
        Validators.Run("pdflatex", latex, temp.Path);
        // The .bcf biblatex wrote is what biber reads: the export follows it.
        var result = CliRunner.Run("export", TestPaths.SeedSurvey, "--cache", store, "--offline", "--format", "biblatex", "-o", temp.File("cited.bib"), "--cited", temp.File("paper.bcf"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Matches($"warning: {Regex.Escape(temp.File("paper.bcf"))}:\\d+: no work has the key '{typo}'", result.Stderr);
        Assert.Equal(new[] { k1, k2, k3, oldKey }.Order(), KeysIn(temp.File("cited.bib")).Order());

        var biber = Validators.Run("biber", ["paper"], temp.Path);
        Assert.True(biber.ExitCode == 0, biber.ToString());
        Assert.Equal([$"I didn't find a database entry for '{typo}' (section 0)"], Regex.Matches(biber.Stdout, @"WARN - (.*)").Select(m => m.Groups[1].Value.Trim()));
        Validators.Run("pdflatex", latex, temp.Path);
        var log = File.ReadAllText(temp.File("paper.log"));
        Assert.Equal([typo], Regex.Matches(log, @"Citation '([^']+)' on page \d+ undefined").Select(m => m.Groups[1].Value).Distinct());
    }

    [Fact]
    public void APandocPaperGetsExactlyWhatItCitesAndCiteprocFindsEveryKnownKey()
    {
        using var temp = TestPaths.TempDir();
        var (store, keys, oldKey, _) = StoreWithAnOldKey(temp);
        string k1 = keys[1], k2 = keys[11], k3 = keys[21], inCode = keys[31], typo = "x" + keys[1];
        File.WriteAllText(temp.File("paper.md"), $"""
            ---
            title: A paper
            bibliography: cited.json
            ---
            As [@{k1}] and @{k2} say [-@{k3}; see @{oldKey}, p. 3]. Write to jane@example.org.

            Unknown: [@{typo}]. In code, `@{inCode}` cites nothing.
            """);
        var result = CliRunner.Run("export", "--all", "--cache", store, "--format", "csljson", "-o", temp.File("cited.json"), "--cited", temp.File("paper.md"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"warning: {temp.File("paper.md")}:7: no work has the key '{typo}'", result.Stderr);
        var ids = System.Text.Json.JsonDocument.Parse(File.ReadAllText(temp.File("cited.json"))).RootElement.EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.Equal(new[] { k1, k2, k3, oldKey }.Order(), ids.Order());

        var pandoc = Validators.Run("pandoc", ["paper.md", "--citeproc", "-t", "html"], temp.Path);
        Assert.True(pandoc.ExitCode == 0, pandoc.ToString());
        Assert.Equal([typo], Regex.Matches(pandoc.Stderr, @"Citeproc: citation (\S+) not found").Select(m => m.Groups[1].Value));
        Assert.Equal(4, pandoc.Stdout.Split("class=\"csl-entry\"").Length - 1);
    }
}
