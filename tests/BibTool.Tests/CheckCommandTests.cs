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

        // A clean survey passes.
        File.WriteAllText(temp.File("clean.md"), "| Name | Paper |\n|---|---|\n| Good | [Synthetic study of 10.1038/s41586-023-06555-x](https://doi.org/10.1038/s41586-023-06555-x) |\n");
        Assert.Equal(0, CliRunner.Run("check", temp.File("clean.md"), "--cache", store, "--offline").ExitCode);
    }
}
