using System.Text.RegularExpressions;
using BibTool.Identifiers;
using BibTool.Resolve;
using BibTool.Store;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>bibtool fix on surveys written here, against SYNTHETIC records (made in the tests).</summary>
public class FixCommandTests(ExportStores stores) : IClassFixture<ExportStores>
{
    private const string Preprint = "2509.02208", Retracted = "10.1038/s41467-024-52417-z", Published = "10.5555/published.2509.02208";

    /// <summary>The example survey's store, where arXiv knows a journal version of one preprint and Crossref a retraction of one DOI.</summary>
    private async Task<string> StoreWithFindings(TempDir temp)
    {
        var store = temp.File("store");
        stores.CopySeedRecords(store);
        // arXiv's answer for the preprint names its journal DOI (<arxiv:doi>), as arXiv's feeds do.
        var feed = System.Text.Encoding.UTF8.GetString(Synthetic.ArxivFeed([Preprint])).Replace("</entry>", $"  <arxiv:doi>{Published}</arxiv:doi>\n</entry>");
        await using (var arxiv = new LoopbackServer(_ => new Reply { Body = System.Text.Encoding.UTF8.GetBytes(feed), Headers = [("Content-Type", "application/atom+xml")] }))
        await using (var crossref = new LoopbackServer(Synthetic.Crossref()))
        {
            var report = await new Resolver(new MetadataStore(store), BibTool.Sources.SourceRegistry.Default, Clients.All(crossref, arxiv, Synthetic.Others))
                .ResolveAsync([IdentifierParser.Parse("arXiv:" + Preprint)], offline: false, refresh: true);
            Assert.True(report.Complete);
        }
        var id = IdentifierParser.Parse("doi:" + Retracted);
        var body = System.Text.Json.Nodes.JsonNode.Parse(Synthetic.CrossrefWork(Retracted))!;
        body["message"]!["updated-by"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"DOI":"10.5555/retraction","type":"retraction"}]""");
        new MetadataStore(store).Write(id, BibTool.Sources.Records.Make("crossref", id, "https://api.crossref.org/works/x", 200, "application/json",
            System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()), "bibtool/test"));
        return store;
    }

    [Fact]
    public async Task PublishedAndRetractedChangeExactlyTheirRowsOnceAndADryRunWritesNothing()
    {
        using var temp = TestPaths.TempDir();
        var store = await StoreWithFindings(temp);
        var survey = temp.File("survey.md");
        File.Copy(TestPaths.SeedSurvey, survey);
        var original = File.ReadAllText(survey);
        string[] fix = ["fix", survey, "--published", "--mark-retracted", "--cache", store, "--offline"];

        // What should change, line by line, from the survey's own text.
        var lines = original.Split('\n');
        var expected = lines.Select(line =>
        {
            if (line.Contains($"(https://arxiv.org/abs/{Preprint})")) return line.Replace($"(https://arxiv.org/abs/{Preprint})", $"(https://doi.org/{Published})");
            if (line.Contains($"(https://doi.org/{Retracted})")) return line.Replace($"(https://doi.org/{Retracted})", $"(https://doi.org/{Retracted}) **(retracted)**");
            return line;
        }).ToArray();
        var changedLines = Enumerable.Range(0, lines.Length).Where(i => lines[i] != expected[i]).Select(i => i + 1).ToList();
        // The preprint's row, and every row (three: a model's and two datasets') linking the retracted DOI.
        Assert.Equal([54, 57, 175, 176], changedLines);

        var dry = CliRunner.Run([.. fix, "--dry-run"]);
        Assert.True(dry.ExitCode == 0, dry.Stderr);
        Assert.Equal(original, File.ReadAllText(survey));
        Assert.False(File.Exists(survey + ".bak"));
        // A unified diff: each changed line once as '-' and once as '+', in hunks that name their lines.
        Assert.StartsWith($"--- {survey}\n+++ {survey}\n@@ -", dry.Stdout);
        Assert.Equal(changedLines.Select(i => "-" + lines[i - 1]).Concat(changedLines.Select(i => "+" + expected[i - 1])).Order(),
            dry.Stdout.Split('\n').Where(l => (l.StartsWith('-') || l.StartsWith('+')) && !l.StartsWith("---") && !l.StartsWith("+++")).Order());
        Assert.All(changedLines, line => Assert.Matches($"@@ -\\d+,\\d+ \\+\\d+,\\d+ @@", dry.Stdout));
        Assert.Contains("fix: 4 lines changed (1 published, 3 retracted) (dry run: nothing written)", dry.Stderr);

        var run = CliRunner.Run(fix);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(string.Join('\n', expected), File.ReadAllText(survey));
        Assert.Equal(original, File.ReadAllText(survey + ".bak"));

        // A second run finds nothing left to change.
        var again = CliRunner.Run(fix);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(string.Join('\n', expected), File.ReadAllText(survey));
        Assert.Contains("fix: 0 lines changed", again.Stderr);
    }

    [Fact]
    public void CanonicalLinksAndNewColumnsKeepEveryOtherByteAndTheFilesLineEndings()
    {
        using var temp = TestPaths.TempDir();
        var store = temp.File("store");
        stores.CopySeedRecords(store);
        // CRLF line endings, a table without closing pipes, a publisher link that carries a DOI.
        var survey = temp.File("s.md");
        var text = "# Models\r\n\r\n| Name | Paper |\r\n|:---|---|\r\n" +
                   "| MMedLM | [Towards](https://www.nature.com/doi/10.1038/s41467-024-52417-z) |\r\n" +
                   "| None | - |\r\n\r\n" +
                   "Name | Paper\r\n--- | ---\r\nBiMediX | [BiMediX](https://doi.org/10.18653/v1/2024.findings-emnlp.989)\r\n";
        File.WriteAllText(survey, text);
        var result = CliRunner.Run("fix", survey, "--canonical-links", "--add-columns", "year,venue", "--cache", store, "--offline");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var library = new WorkLibrary(new MetadataStore(store));
        var first = library.Find(IdentifierParser.Parse("doi:10.1038/s41467-024-52417-z"))!;
        var second = library.Find(IdentifierParser.Parse("doi:10.18653/v1/2024.findings-emnlp.989"))!;
        Assert.Equal("# Models\r\n\r\n| Name | Paper | Year | Venue |\r\n|:---|---| --- | --- |\r\n" +
                     $"| MMedLM | [Towards](https://doi.org/10.1038/s41467-024-52417-z) | {first.Issued!.Year} | {first.ContainerTitle} |\r\n" +
                     "| None | - |  |  |\r\n\r\n" +
                     "Name | Paper | Year | Venue\r\n--- | --- | --- | ---\r\n" +
                     $"BiMediX | [BiMediX](https://doi.org/10.18653/v1/2024.findings-emnlp.989) | {second.Issued!.Year} | {second.ContainerTitle}\r\n",
            File.ReadAllText(survey));
        Assert.Equal(text, File.ReadAllText(survey + ".bak"));
        var again = CliRunner.Run("fix", survey, "--canonical-links", "--add-columns", "year,venue", "--cache", store, "--offline");
        Assert.Contains("fix: 0 lines changed", again.Stderr);

        Assert.Equal(2, CliRunner.Run("fix", survey, "--cache", store, "--offline").ExitCode);
        Assert.Equal(2, CliRunner.Run("fix", survey, "--add-columns", "doi", "--cache", store, "--offline").ExitCode);
    }
}
