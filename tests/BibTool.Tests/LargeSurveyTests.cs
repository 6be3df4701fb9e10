using System.Globalization;
using BibTool.Export;
using BibTool.Filtering;
using BibTool.Survey;
using BibTool.Tests.Support;
using CsvHelper;

namespace BibTool.Tests;

/// <summary>
/// Large surveys are read in chunks on every core, their rows kept in a temporary file, and
/// listed and exported in passes over that file: what comes out must be what the in-memory
/// path gives, row for row.
/// </summary>
public class LargeSurveyTests(ExportStores stores) : IClassFixture<ExportStores>
{
    private static readonly EntryFilter NoFilter = EntryFilter.Parse([], [], [], []);

    private async Task<string> ExportText(Survey.Survey survey, IBibliographyWriter writer)
    {
        var service = new ExportService(new BibTool.Resolve.BibToolSettings { CacheDirectory = stores.SeedStore }, "test");
        var plan = await service.PrepareAsync(survey, NoFilter, offline: true, observer: null, CancellationToken.None);
        var output = new StringWriter();
        Writers.WriteAll(writer, new Exporter(plan.Library.Find, pins: null).Items(plan.Entries, survey.Entries.Count), output);
        return output.ToString();
    }

    [Theory]
    [InlineData("biblatex")]
    [InlineData("csv")]
    [InlineData("ris")]
    public async Task ASpilledSurveyExportsExactlyAsOneInMemory(string format)
    {
        var markdown = File.ReadAllText(TestPaths.SeedSurvey);
        var inMemory = SurveyReader.Read(markdown, TestPaths.SeedSurvey, 20, 40);
        using var spilled = SurveyReader.Read(markdown, TestPaths.SeedSurvey, 20, 40, spillAbove: 5);
        Assert.IsType<SpilledEntries>(spilled.Entries);
        var expected = await ExportText(inMemory, Writers.For(format));
        // The seed survey names 125 works in 143 rows: shared works gather rows from far apart.
        Assert.True(expected.Length > 10_000);
        Assert.Equal(expected, await ExportText(spilled, Writers.For(format)));
    }

    [Fact]
    public async Task AWorkSharedByRowsFarApartListsEveryRowOnce()
    {
        // Read the survey as a test reads it: every line naming the DOI, with its number.
        const string doi = "10.1007/978-3-031-43993-3_51";
        var lines = File.ReadLines(TestPaths.SeedSurvey).Select((text, i) => (text, line: i + 1)).Where(l => l.text.Contains(doi, StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count >= 3);
        var names = lines.Select(l => l.text.Split('|')[1].Split('(')[0].Trim()).ToList();

        using var spilled = SurveyReader.Read(File.ReadAllText(TestPaths.SeedSurvey), TestPaths.SeedSurvey, 20, 40, spillAbove: 5);
        using var reader = CsvReader.Create(new StringReader(await ExportText(spilled, Writers.For("csv"))));
        var found = 0;
        while (reader.Read())
        {
            if (reader.GetString("doi") != doi) continue;
            found++;
            Assert.Equal(string.Join(" ", lines.Select(l => l.line)), reader.GetString("lines"));
            Assert.Equal(string.Join("; ", names), reader.GetString("names"));
        }
        Assert.Equal(1, found);
    }

    /// <summary>SYNTHETIC: two tables with different columns, <paramref name="rows"/> rows in all, every third one repeating an earlier paper.</summary>
    private static string Generate(int rows)
    {
        var text = new System.Text.StringBuilder("# Big survey\n\n## Models\n\n### Language\n\n| Model | Subfield | Paper | Code |\n|---|---|---|---|\n");
        for (var i = 0; i < rows / 2; i++)
            text.Append($"| M{i} | Oncology | [Paper {i}](https://doi.org/10.5555/big.{(i % 3 == 2 ? i - 1 : i)}) | [code](https://github.com/a/m{i}) |\n");
        text.Append("\n## Datasets\n\n| Dataset | Modality | Paper |\n|---|---|---|\n");
        for (var i = rows / 2; i < rows; i++)
            text.Append($"| D{i} | CT | [Data paper {i}](https://arxiv.org/abs/2401.{i:D5}) |\n");
        return text.ToString();
    }

    [Fact]
    public void AListPastTheSpillSizeHasEveryRowAndEveryColumn()
    {
        using var temp = TestPaths.TempDir();
        const int rows = SurveyReader.SpillAbove + 1_000;
        var survey = Path.Combine(temp.Path, "big.md");
        File.WriteAllText(survey, Generate(rows));
        var output = Path.Combine(temp.Path, "list.csv");
        var result = CliRunner.Run("list", survey, "--format", "csv", "-o", output, "--cache", Path.Combine(temp.Path, "store"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        // Rows 0..9 of the first table: papers 0, 1, 1, 3, 4, 4, ... so a third are repeats.
        var distinct = rows / 2 - rows / 2 / 3 + rows / 2;
        Assert.Contains($"{rows} rows, {distinct} distinct works (arxiv {rows / 2}, doi {rows / 2 - rows / 2 / 3})", result.Stderr);

        using var reader = CsvReader.Create(File.OpenText(output));
        var records = new List<Dictionary<string, string>>();
        while (reader.Read())
            records.Add(reader.Headers.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => reader.GetString(p.i)));
        Assert.Equal(rows, records.Count);
        Assert.Equal(["Model", "Subfield", "Paper", "Code", "Dataset", "Modality"], reader.Headers.Skip(Inventory.FixedColumns.Length + Inventory.ResolvedColumns.Length));
        var last = records[^1];
        Assert.Equal($"D{rows - 1}", last["name"]);
        Assert.Equal("Datasets", last["category"]);
        Assert.Equal("", last["table"]);
        Assert.Equal("CT", last["Modality"]);
        Assert.Equal("", last["Subfield"]);
        // The header, the blank line and the headings before the first table, then one line a row.
        Assert.Equal((8 + rows / 2 + 5 + rows / 2).ToString(CultureInfo.InvariantCulture), last["line"]);
        Assert.Equal("Oncology", records[rows / 2 - 1]["Subfield"]);
        Assert.Equal("Language", records[rows / 2 - 1]["table"]);
    }

    [Fact]
    public void AHugeOfflineExportSaysItsOneReasonOnceNamingTheFirstRows()
    {
        using var temp = TestPaths.TempDir();
        var survey = Path.Combine(temp.Path, "big.md");
        File.WriteAllText(survey, Generate(600));
        var result = CliRunner.Run("export", survey, "--format", "bibtex", "--offline", "--cache", Path.Combine(temp.Path, "store"), "-o", Path.Combine(temp.Path, "out.bib"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        var works = 300 - 300 / 3 + 300;
        // One reason for every work: one line, naming the first rows' lines and counting the rest.
        var warnings = result.Stderr.Split('\n').Where(l => l.StartsWith("warning: ", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(warnings);
        Assert.StartsWith($"warning: {works} works not resolved (not in the store (offline)); written from the survey: {survey} lines ", line);
        Assert.EndsWith($" and {works - BibTool.Export.FromSurveyReport.SharedLinesShown} more ('bibtool export --strict' lists every one)", line);
        Assert.Contains($"bibtex: {works} records (0 resolved, {works} from the survey only) from 600 rows", result.Stderr);
    }
}
