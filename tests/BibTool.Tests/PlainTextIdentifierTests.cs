using BibTool.Identifiers;
using BibTool.Survey;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>A row whose paper is written as text, not as a link, still names its paper.</summary>
public class PlainTextIdentifierTests
{
    private const string Survey = """
        ## Models

        | Name | Paper | Code |
        |---|---|---|
        | A | doi:10.1038/nature11247 | - |
        | B | https://doi.org/10.1038/nature15393 | - |
        | C | arXiv:2304.06975 | - |
        | D | see PMID: 12345678 | - |
        | E | PMCID: PMC3292175 | - |
        | F | DOI: 10.1038/s41586-021-03819-2. | - |
        | G | https://arxiv.org/pdf/2304.06975v2 | - |
        | H | http://dx.doi.org/10.1093/bib/bbac409, 2022 | - |
        | I | [Paper](https://doi.org/10.1126/science.ade2574) doi:10.1038/other | - |
        | J | no paper yet | https://github.com/x/y |
        | K | DOI 10.1038/ (to come) | - |
        """;

    [Theory]
    [InlineData("A", "doi", "10.1038/nature11247")]
    [InlineData("B", "doi", "10.1038/nature15393")]
    [InlineData("C", "arxiv", "2304.06975")]
    [InlineData("D", "pmid", "12345678")]
    [InlineData("E", "pmcid", "PMC3292175")]
    [InlineData("F", "doi", "10.1038/s41586-021-03819-2")]
    [InlineData("G", "arxiv", "2304.06975")]
    [InlineData("H", "doi", "10.1093/bib/bbac409")]
    [InlineData("I", "doi", "10.1126/science.ade2574")] // a link, when there is one, comes first
    [InlineData("J", "none", "")]
    [InlineData("K", "none", "")]
    public void TheRowsPaperIsTheIdentifierWrittenAsText(string name, string type, string value)
    {
        var row = SurveyReader.Read(Survey, "s.md").Entries.Single(e => e.Name == name);
        Assert.Equal(type, row.Identifier.TypeName);
        Assert.Equal(value, row.Identifier.Value);
    }

    [Fact]
    public void TheVersionWrittenIsKept()
    {
        var row = SurveyReader.Read(Survey, "s.md").Entries.Single(e => e.Name == "G");
        Assert.Equal("v2", row.Identifier.Version);
        Assert.Equal("https://arxiv.org/abs/2304.06975v2", row.PaperUrl);
    }

    [Fact]
    public void CheckMakesAnUnreadableMentionAProblem()
    {
        using var temp = TestPaths.TempDir();
        File.WriteAllText(temp.File("s.md"), "## M\n\n| Name | Paper |\n|---|---|\n| K | DOI 10.1038/ (to come) |\n| J | no paper yet |\n");
        var result = CliRunner.Run("check", temp.File("s.md"), "--cache", temp.File("store"), "--offline");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("s.md:5: problem: unreadable-identifier: the row mentions an identifier that cannot be read: \"DOI 10.1038/ (to come)\"", result.Stdout);
        Assert.Contains("s.md:6: note: no-paper: the row names no paper", result.Stdout);
    }
}
