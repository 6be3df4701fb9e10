using System.Text.Json;
using BibTool.Tests.Support;

namespace BibTool.Tests;

public class ListCommandTests
{
    [Fact]
    public void CsvHasTheAgreedColumnsAndEveryRow()
    {
        var result = CliRunner.Run("list", TestPaths.SeedSurvey, "--format", "csv");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.StartsWith("category,table,name,paper_title,paper_url,id_type,id,code_url,", lines[0]);
        Assert.Equal(152, lines.Length);
        Assert.StartsWith("Healthcare and Medical Foundation Models,Language Models,Baichuan-M2,Baichuan-M2: Scaling Medical Capability with Large Verifier System,https://arxiv.org/abs/2509.02208,arxiv,2509.02208,https://github.com/baichuan-inc/Baichuan-M2-32B,54,", lines[1]);
        Assert.Contains("\nDatasets for Foundation Model,Imaging,CheXpert,,https://doi.org/10.1609/AAAI.V33I01.3301590,doi,10.1609/aaai.v33i01.3301590,,", result.Stdout);
        Assert.Equal("", result.Stdout.Split('\n').First(l => l.Contains(",PULSE,")).Split(',')[13]);
        Assert.Contains("151 rows, 125 distinct works (doi 86, arxiv 19, url 12, pmcid 5, openreview 2, pmid 1, no paper 5)", result.Stderr);
    }

    [Fact]
    public void JsonForScripts()
    {
        var result = CliRunner.Run("list", TestPaths.SeedSurvey, "--format", "json");
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(151, json.RootElement.GetArrayLength());
        var row = json.RootElement.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "CONCH");
        Assert.Equal("doi", row.GetProperty("id_type").GetString());
        Assert.Equal("10.1038/s41591-024-02856-4", row.GetProperty("id").GetString());
        Assert.Equal("CoCa", row.GetProperty("cells").GetProperty("Base").GetString());
        Assert.Equal(134, row.GetProperty("line").GetInt32());
    }

    [Fact]
    public void TableIsReadable()
    {
        var result = CliRunner.Run("list", TestPaths.SeedSurvey, "--table", "Genomics");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1000 Genomes Project", result.Stdout);
        Assert.Contains("10.1038/nature15393", result.Stdout);
        Assert.DoesNotContain("Meditron", result.Stdout);
        Assert.Contains("3 rows, 3 distinct works", result.Stderr);
    }

    [Fact]
    public void OutputFileIsWrittenWhole()
    {
        using var temp = TestPaths.TempDir();
        var path = temp.File("inventory.csv");
        var result = CliRunner.Run("list", TestPaths.SeedSurvey, "--format", "csv", "-o", path);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal(152, File.ReadAllLines(path).Length);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Theory]
    // Counts taken independently with awk over the survey's columns.
    [InlineData("subfield=Pathology", 20)]
    [InlineData("base~CLIP", 17)]
    [InlineData("id_type=arxiv", 23)]
    [InlineData("Pre-Training Data~MIMIC", 12)]
    [InlineData("subfield!=Pathology", 131)]
    public void WhereFiltersOnSurveyColumns(string where, int rows)
    {
        var result = CliRunner.Run("list", TestPaths.SeedSurvey, "--format", "csv", "--where", where);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(rows + 1, result.Stdout.TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public void FiltersCombine()
    {
        var result = CliRunner.Run("list", TestPaths.SeedSurvey, "--format", "csv", "--category", "models", "--where", "subfield=radiology", "--where", "base~clip");
        var names = result.Stdout.TrimEnd('\n').Split('\n').Skip(1).Select(l => l.Split(',')[2]).ToList();
        Assert.Equal(["MaCo", "CXR-CLIP", "KAD", "MedKLIP", "CheXzero", "PubMedCLIP"], names);
    }

    [Theory]
    [InlineData(new[] { "list", "/no/such.md" }, "bibtool: /no/such.md: no such file")]
    [InlineData(new[] { "list" }, "bibtool: missing SURVEY.md")]
    [InlineData(new[] { "list", "x.md", "--frmat", "csv" }, "bibtool: unknown option --frmat")]
    [InlineData(new[] { "frobnicate" }, "bibtool: unknown command 'frobnicate' (try list, resolve, refresh, export, check, fix, report or completion)")]
    public void BadInputIsOneLineAndExitTwo(string[] args, string message)
    {
        var result = CliRunner.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message, result.Stderr.Trim());
    }

    [Fact]
    public void UnknownFieldIsNamed()
    {
        var result = CliRunner.Run("list", TestPaths.SeedSurvey, "--where", "colour=red");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("bibtool: unknown field 'colour' in --where 'colour=red' (known: category, table, name,", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void FileWithoutTablesIsAnError()
    {
        using var temp = TestPaths.TempDir();
        File.WriteAllText(temp.File("prose.md"), "# Notes\n\nNo tables here.\n");
        var result = CliRunner.Run("list", temp.File("prose.md"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"bibtool: {temp.File("prose.md")}: no tables or link lists found", result.Stderr.Trim());
    }
}

public class ListSourceColumnsTests(ExportStores stores) : IClassFixture<ExportStores>
{
    [Fact]
    public void EachRowSaysWhichSourceAnsweredAndHow()
    {
        // Read from the store alone (no network): the seed store resolved against the stand-ins.
        var result = CliRunner.Run("list", TestPaths.SeedSurvey, "--format", "json", "--cache", stores.SeedStore);
        Assert.Equal(0, result.ExitCode);
        var rows = System.Text.Json.JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().ToList();
        string Field(string name, string column, string value) => rows.First(r => r.GetProperty(column).GetString() == value).GetProperty(name).GetString()!;
        Assert.Equal(("crossref", "pmcid via pmc"), (Field("source", "id", "PMC6345440"), Field("matched_by", "id", "PMC6345440")));
        Assert.Equal(("crossref", "landing page's DOI"), (Field("source", "paper_url", "https://www.mdpi.com/2076-3417/11/14/6421"), Field("matched_by", "paper_url", "https://www.mdpi.com/2076-3417/11/14/6421")));
        Assert.Equal(("openreview", "identifier"), (Field("source", "id", "QzTpTRVtrP"), Field("matched_by", "id", "QzTpTRVtrP")));
        Assert.Equal("arxiv", Field("source", "id", "2509.02208"));
        // Rows that name no paper have no source.
        Assert.Contains(rows, r => r.GetProperty("id_type").GetString() == "none" && r.GetProperty("source").GetString() == "");

        var csv = CliRunner.Run("list", TestPaths.SeedSurvey, "--format", "csv", "--cache", stores.SeedStore);
        Assert.StartsWith("category,table,name,paper_title,paper_url,id_type,id,code_url,line,id_as_written,arxiv_version,source,matched_by,score,", csv.Stdout);
    }
}

public class ListAllTests(ExportStores stores) : IClassFixture<ExportStores>
{
    [Fact]
    public void ListAllShowsEveryWorkOfTheStoreWithoutASurvey()
    {
        var csv = CliRunner.Run("list", "--all", "--format", "csv", "--cache", stores.SeedStore);
        Assert.True(csv.ExitCode == 0, csv.Stderr);
        var lines = csv.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("key,id,type,year,title,first_author,venue,source", lines[0]);
        // Every work export --all writes, one line each, in the same order with the same keys.
        var export = CliRunner.Run("export", "--all", "--format", "csv", "--cache", stores.SeedStore);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var exported = export.Stdout.TrimEnd('\n').Split('\n').Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(exported, lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Contains($": {exported.Count} works", csv.Stderr);

        var recent = CliRunner.Run("list", "--all", "--format", "json", "--cache", stores.SeedStore, "--where", "year>=2024");
        using var json = System.Text.Json.JsonDocument.Parse(recent.Stdout);
        Assert.NotEmpty(json.RootElement.EnumerateArray());
        Assert.All(json.RootElement.EnumerateArray(), e => Assert.True(int.Parse(e.GetProperty("year").GetString()!) >= 2024));
        Assert.True(json.RootElement.GetArrayLength() < exported.Count);
    }

    [Theory]
    [InlineData(new[] { "list", "SURVEY", "--offline" }, "unknown option --offline")]
    [InlineData(new[] { "list", "SURVEY", "--mailto", "a@b.c" }, "unknown option --mailto")]
    [InlineData(new[] { "list", "--all", "SURVEY" }, "--all lists the whole store: no survey")]
    [InlineData(new[] { "list", "--all", "--table", "Genomics" }, "with --all there is no survey")]
    public void ListTakesNoNetworkOptions(string[] args, string message)
    {
        var result = CliRunner.Run([.. args.Select(a => a == "SURVEY" ? TestPaths.SeedSurvey : a), "--cache", stores.SeedStore]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
    }
}

public class PlainTableTests
{
    [Fact]
    public void ColumnsLineUpInTerminalColumns()
    {
        var table = new BibTool.Cli.PlainTable("a", "name", "id");
        table.Add("1", "漢字", "x");            // two wide characters: four columns
        table.Add("22", "Cafe\u0301", "y");     // a combining accent takes none
        table.Add("3", "plain", "");           // an empty last cell leaves no blanks behind
        var writer = new StringWriter { NewLine = "\n" };
        table.Write(writer);
        Assert.Equal(
            "a    name    id\n" +
            "───────────────\n" +
            "1    漢字    x\n" +
            "22   Cafe\u0301    y\n" +
            "3    plain\n", writer.ToString());
    }
}
