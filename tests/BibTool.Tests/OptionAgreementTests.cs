using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>Each command accepts the options that mean something for it, as its help says, and refuses the rest in one line.</summary>
public class OptionAgreementTests
{
    [Theory]
    [InlineData(new[] { "resolve", "SURVEY", "--refresh", "--max-age", "1d" }, "bibtool: --refresh fetches every work again and --max-age only the older ones: give one of them")]
    [InlineData(new[] { "refresh", "BIB", "--name", "foo" }, "bibtool: --name selects survey rows; a bibliography file is refreshed entry by entry")]
    [InlineData(new[] { "refresh", "BIB", "--where", "year>2020" }, "bibtool: --where selects survey rows; a bibliography file is refreshed entry by entry")]
    [InlineData(new[] { "refresh", "SURVEY", "--offline" }, "bibtool: a survey refresh fetches every work again, so it cannot go with --offline (--offline is for a bibliography file: bibtool refresh REFS.bib --offline)")]
    public void MeaninglessCombinationsAreRefused(string[] args, string message)
    {
        using var temp = TestPaths.TempDir();
        File.WriteAllText(temp.File("refs.bib"), "@article{k, doi = {10.5555/x}}\n");
        var full = args.Select(a => a == "SURVEY" ? TestPaths.SeedSurvey : a == "BIB" ? temp.File("refs.bib") : a).Concat(["--cache", temp.File("store")]).ToArray();
        var result = CliRunner.Run(full);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message, result.Stderr.Trim());
        Assert.False(Directory.Exists(temp.File("store")));
    }

    [Theory]
    [InlineData("list", true)]
    [InlineData("export", true)]
    [InlineData("check", false)]
    [InlineData("resolve", false)]
    [InlineData("refresh", false)]
    public void WhereHelpOffersResolvedFieldsOnlyWhereTheyWork(string command, bool offered)
    {
        var help = CliRunner.Run(command, "--help").Stdout;
        Assert.Equal(offered, help.Contains("resolved fields (year, type"));
    }

    [Fact]
    public void AQuotedColumnNameIsTheColumn()
    {
        // The count is the unquoted condition's (12, counted with awk over the survey's column).
        var result = CliRunner.Run("list", TestPaths.SeedSurvey, "--format", "csv", "--where", "\"Pre-Training Data\"~MIMIC");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(13, result.Stdout.TrimEnd('\n').Split('\n').Length);
    }
}
