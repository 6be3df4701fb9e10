using System.Text.Json;
using BibTool.Identifiers;
using BibTool.Store;
using BibTool.Tests.Support;

namespace BibTool.Tests;

public class CheckCommandTests(ExportStores stores) : IClassFixture<ExportStores>
{
    [Fact]
    public void CheckFindsWrongLinksDuplicatesRetractionsAndUnresolvedRows()
    {
        using var temp = TestPaths.TempDir();
        var store = temp.File("store");
        stores.CopySeedRecords(store);
        // SYNTHETIC: a retracted work, its Crossref answer carrying the notice.
        var retracted = IdentifierParser.Parse("doi:10.1234/retracted");
        var body = System.Text.Json.Nodes.JsonNode.Parse(Synthetic.CrossrefWork("10.1234/retracted"))!;
        body["message"]!["updated-by"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"DOI":"10.1234/notice","type":"retraction"}]""");
        new MetadataStore(store).Write(retracted, BibTool.Sources.Records.Make("crossref", retracted, "https://api.crossref.org/works/x", 200, "application/json",
            System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()), "bibtool/test"));
        File.WriteAllText(temp.File("s.md"), """
            | Name | Paper |
            |---|---|
            | Good | [Synthetic study of 10.1038/s41586-023-06555-x](https://doi.org/10.1038/s41586-023-06555-x) |
            | Wrong | [Galaxy rotation curves and dark matter](https://doi.org/10.1038/s41591-024-02857-3) |
            | Kather | [Kather](https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6345440/) |
            | Again | [Kather again](https://doi.org/10.5555/pmc.pmc6345440) |
            | Missing | [Missing](https://doi.org/10.1234/not-in-store) |
            | Retracted | [Synthetic study of 10.1234/retracted](https://doi.org/10.1234/retracted) |
            | Nothing | - |
            """);
        var result = CliRunner.Run("check", temp.File("s.md"), "--cache", store, "--offline", "--format", "json");
        Assert.Equal(1, result.ExitCode);
        var findings = JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray()
            .Select(f => (Kind: f.GetProperty("kind").GetString(), Line: f.GetProperty("line").GetInt32(), Problem: f.GetProperty("problem").GetBoolean())).ToList();
        Assert.Equal([("wrong-link", 4, true), ("duplicate", 6, true), ("unresolved", 7, true), ("retracted", 8, true), ("no-paper", 9, false)], findings);
        Assert.Contains("check: 7 rows, 4 problems, 1 notes", result.Stderr);

        var text = CliRunner.Run("check", temp.File("s.md"), "--cache", store, "--offline");
        Assert.Contains($"{temp.File("s.md")}:4: problem: wrong-link: the link says \"Galaxy rotation curves and dark matter\" but doi:10.1038/s41591-024-02857-3 is \"Synthetic study of 10.1038/s41591-024-02857-3\"", text.Stdout);
        Assert.Contains(":6: problem: duplicate: doi:10.5555/pmc.pmc6345440 is the same work as pmcid:PMC6345440 on line 5", text.Stdout);

        // As GitHub Actions annotations: every line a workflow command on the finding's own line of the survey.
        var github = CliRunner.Run("check", temp.File("s.md"), "--cache", store, "--offline", "--format", "github");
        Assert.Equal(1, github.ExitCode);
        var commands = github.Stdout.TrimEnd('\n').Split('\n');
        var file = temp.File("s.md").Replace(":", "%3A").Replace(",", "%2C");
        Assert.All(commands, line => Assert.Matches($"^::(error|notice) file={System.Text.RegularExpressions.Regex.Escape(file)},line=\\d+,title=bibtool check%3A [a-z-]+::[^\\r\\n]+$", line));
        Assert.Equal(findings.Select(f => (f.Problem ? "error" : "notice", f.Line)),
            commands.Select(c => (c[2..c.IndexOf(' ')], int.Parse(System.Text.RegularExpressions.Regex.Match(c, @",line=(\d+),").Groups[1].Value))));
        Assert.Contains($"::error file={file},line=4,title=bibtool check%3A wrong-link::the link says \"Galaxy rotation curves and dark matter\" but doi:10.1038/s41591-024-02857-3 is", github.Stdout);

        // A clean survey passes.
        File.WriteAllText(temp.File("clean.md"), "| Name | Paper |\n|---|---|\n| Good | [Synthetic study of 10.1038/s41586-023-06555-x](https://doi.org/10.1038/s41586-023-06555-x) |\n");
        Assert.Equal(0, CliRunner.Run("check", temp.File("clean.md"), "--cache", store, "--offline").ExitCode);
    }

    private static void StoreSynthetic(string store, string doi, string updates)
    {
        var id = IdentifierParser.Parse("doi:" + doi);
        var body = System.Text.Json.Nodes.JsonNode.Parse(Synthetic.CrossrefWork(doi))!;
        foreach (var (property, value) in JsonDocument.Parse(updates).RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())))
            body["message"]![property] = System.Text.Json.Nodes.JsonNode.Parse(value);
        new MetadataStore(store).Write(id, BibTool.Sources.Records.Make("crossref", id, "https://api.crossref.org/works/x", 200, "application/json",
            System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()), "bibtool/test"));
    }

    [Fact]
    public void CorrectionsInformConcernsAndNoticesFailAndExportWarnsOfRetractions()
    {
        using var temp = TestPaths.TempDir();
        var store = temp.File("store");
        // SYNTHETIC: Crossref answers carrying update relations of each kind (none is recorded but a correction).
        StoreSynthetic(store, "10.1234/corrected", """{"updated-by":[{"DOI":"10.1234/erratum","type":"correction","updated":{"date-parts":[[2021,3,4]]}}]}""");
        StoreSynthetic(store, "10.1234/concern", """{"updated-by":[{"DOI":"10.1234/eoc","type":"expression_of_concern"}]}""");
        StoreSynthetic(store, "10.1234/notice", """{"update-to":[{"DOI":"10.1234/paper","type":"retraction"}]}""");
        StoreSynthetic(store, "10.1234/retracted", """{"updated-by":[{"DOI":"10.1234/retraction","type":"retraction","updated":{"date-parts":[[2022,1,2]]}}]}""");
        File.WriteAllText(temp.File("s.md"), """
            | Name | Paper |
            |---|---|
            | Corrected | [Synthetic study of 10.1234/corrected](https://doi.org/10.1234/corrected) |
            | Concern | [Synthetic study of 10.1234/concern](https://doi.org/10.1234/concern) |
            | Notice | [Synthetic study of 10.1234/notice](https://doi.org/10.1234/notice) |
            | Retracted | [Synthetic study of 10.1234/retracted](https://doi.org/10.1234/retracted) |
            """);
        var result = CliRunner.Run("check", temp.File("s.md"), "--cache", store, "--offline", "--format", "json");
        Assert.Equal(1, result.ExitCode);
        var findings = JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray()
            .Select(f => (Kind: f.GetProperty("kind").GetString(), Line: f.GetProperty("line").GetInt32(), Problem: f.GetProperty("problem").GetBoolean())).ToList();
        Assert.Equal([("corrected", 3, false), ("concern", 4, true), ("notice", 5, true), ("retracted", 6, true)], findings);
        var messages = JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().Select(f => f.GetProperty("message").GetString()).ToList();
        Assert.Equal("doi:10.1234/corrected: Corrected (notice: doi:10.1234/erratum, 2021-03-04)", messages[0]);
        Assert.Equal("doi:10.1234/notice is a retraction notice for doi:10.1234/paper, not the paper", messages[2]);

        // Export writes every work, the notice in each record's note, and warns of the retraction only.
        var export = CliRunner.Run("export", temp.File("s.md"), "--cache", store, "--offline", "--format", "csljson");
        Assert.True(export.ExitCode == 0, export.Stderr);
        var warnings = export.Stderr.Split('\n').Where(l => l.StartsWith("warning:")).ToList();
        var warning = Assert.Single(warnings);
        Assert.EndsWith("(doi:10.1234/retracted): Retracted (notice: doi:10.1234/retraction, 2022-01-02)", warning);
        var notes = JsonDocument.Parse(export.Stdout).RootElement.EnumerateArray().Select(e => e.GetProperty("note").GetString()).ToList();
        Assert.Equal(["Corrected (notice: doi:10.1234/erratum, 2021-03-04)", "Expression of concern (notice: doi:10.1234/eoc)",
            "Notice (retraction) for doi:10.1234/paper", "Retracted (notice: doi:10.1234/retraction, 2022-01-02)"], notes);
    }
}

public class GitHubAnnotationTests
{
    [Fact]
    public void MessagesAndPropertiesAreEscapedAsGitHubAsks()
    {
        Assert.Equal("100%25 sure%0Atwo lines: a, b", BibTool.Cli.Commands.GitHub.Data("100% sure\ntwo lines: a, b"));
        Assert.Equal("a%3A b%2C c%25", BibTool.Cli.Commands.GitHub.Property("a: b, c%"));
    }
}
