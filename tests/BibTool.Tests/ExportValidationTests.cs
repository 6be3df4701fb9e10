using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>
/// Every export goes through the tools users feed it to, and must pass without one warning:
/// bibtex (plain), biber, bibutils, pandoc --citeproc, and the CSL-JSON schema.
/// </summary>
public class ExportValidationTests(ExportStores stores) : IClassFixture<ExportStores>
{
    private const int SeedWorks = 125;

    private string Export(string survey, string store, string format, string file, params string[] more)
    {
        var path = Path.Combine(stores.Directory, file);
        var result = CliRunner.Run(["export", survey, "--format", format, "-o", path, "--cache", store, "--offline", .. more]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return path;
    }

    private string Seed(string format, string file, params string[] more) => Export(TestPaths.SeedSurvey, stores.SeedStore, format, file, more);
    private string Recorded(string format, string file, params string[] more) => Export(stores.FixtureSurvey, stores.FixtureStore, format, file, more);

    public static TheoryData<string> Surveys() => ["seed", "recorded"];

    private (string Path, int Records) Make(string which, string format, string extension, params string[] more)
    {
        var file = $"{which}-{format}-{string.Join("", more).GetHashCode():x}.{extension}";
        return which == "seed" ? (Seed(format, file, more), SeedWorks) : (Recorded(format, file, more), stores.FixtureWorks);
    }

    [Theory]
    [MemberData(nameof(Surveys))]
    public void BibtexRunsCleanWithStandardStyles(string which)
    {
        var (bib, records) = Make(which, "bibtex", "bib");
        foreach (var style in new[] { "plain", "unsrt", "alpha" })
        {
            var (run, log, items) = Validators.Bibtex(bib, style);
            Assert.True(run.ExitCode == 0, $"{style}: {run}\n{log}");
            // A paper or chapter without a year keeps its type: the style's "empty year" is true, and
            // allowed only for entries that have no year.
            var yearless = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(bib), @"@(?:inproceedings|incollection)\{([^,]+),(?:(?!\n\}\n).)*?\n\}\n", System.Text.RegularExpressions.RegexOptions.Singleline)
                .Where(m => !m.Value.Contains("\n  year = ", StringComparison.Ordinal)).Select(m => $"Warning--empty year in {m.Groups[1].Value}").ToHashSet();
            var problems = string.Join("\n", log.Split('\n').Where(l => (l.Contains("Warning--") && !yearless.Contains(l.Trim())) || l.Contains("error message") || l.StartsWith("while executing")));
            Assert.True(problems.Length == 0, $"{style}: {problems}\n{File.ReadAllText(bib)[..Math.Min(4000, File.ReadAllText(bib).Length)]}");
            Assert.Equal(records, items);
        }
    }

    [Theory]
    [MemberData(nameof(Surveys))]
    public void BiberReadsEveryEntryWithoutWarnings(string which)
    {
        var (bib, records) = Make(which, "biblatex", "bib");
        var (run, entries) = Validators.Biber(bib, validateDataModel: false);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("WARN", run.Stdout + run.Stderr);
        Assert.DoesNotContain("ERROR", run.Stdout + run.Stderr);
        Assert.Equal(records, entries);
    }

    [Theory]
    [MemberData(nameof(Surveys))]
    public void ResolvedEntriesSatisfyBiblatexsDataModel(string which)
    {
        // biblatex's data model requires a date on every entry; records without one (journals,
        // components and survey-only records have none) cannot satisfy it, every other must.
        var (bib, _) = Make(which, "biblatex", "bib", "--where", "year>=1000");
        var (run, entries) = Validators.Biber(bib, validateDataModel: true);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("WARN", run.Stdout + run.Stderr);
        Assert.True(entries > 0);
    }

    [Theory]
    [MemberData(nameof(Surveys))]
    public void BibutilsReadsBackEveryRecord(string which)
    {
        var (bib, records) = Make(which, "bibtex", "bib");
        var (bibRun, bibRecords) = Validators.Bibutils("bib2xml", bib);
        Assert.True(bibRun.ExitCode == 0, bibRun.ToString());
        Assert.Equal(records, bibRecords);

        var (ris, _) = Make(which, "ris", "ris");
        var (risRun, risRecords) = Validators.Bibutils("ris2xml", ris);
        Assert.True(risRun.ExitCode == 0, risRun.ToString());
        Assert.Equal(records, risRecords);
        Assert.DoesNotContain("ignored", bibRun.Stderr + risRun.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Surveys))]
    public void PandocRendersEveryCslJsonAndBibtexEntry(string which)
    {
        var (json, records) = Make(which, "csljson", "json");
        var (run, entries) = Validators.Pandoc(json);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr.Trim());
        Assert.Equal(records, entries);

        var (bib, _) = Make(which, "bibtex", "bib");
        var bibtex = Path.ChangeExtension(bib, ".bibtex");
        File.Copy(bib, bibtex, overwrite: true);
        var (bibRun, bibEntries) = Validators.Pandoc(bibtex);
        Assert.True(bibRun.ExitCode == 0, bibRun.ToString());
        Assert.Equal("", bibRun.Stderr.Trim());
        Assert.Equal(records, bibEntries);

        var (biblatex, _) = Make(which, "biblatex", "bib");
        var (latexRun, latexEntries) = Validators.Pandoc(biblatex);
        Assert.Equal("", latexRun.Stderr.Trim());
        Assert.Equal(records, latexEntries);
    }

    [Theory]
    [MemberData(nameof(Surveys))]
    public void CslJsonValidatesAgainstTheSchema(string which)
    {
        var (json, records) = Make(which, "csljson", "json");
        var result = Validators.CslJson(json);
        Assert.True(result.IsValid, Validators.Describe(result));
        Assert.Equal(records, System.Text.Json.JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Surveys))]
    public void CsvHasOneLinePerWork(string which)
    {
        var (csv, records) = Make(which, "csv", "csv");
        var text = File.ReadAllText(csv);
        Assert.StartsWith("key,type,title,authors,year,venue,", text);
        // Parse it back with CsvHelper (the header row is read as the header): one record per work.
        using var reader = CsvHelper.CsvReader.Create(new StringReader(text));
        var rows = 0;
        while (reader.Read()) rows++;
        Assert.Equal(records, rows);
    }
}
