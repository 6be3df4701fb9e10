using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>
/// The installed tool, natively compiled (Native AOT: no JIT, trimmed), must behave as the library does:
/// it resolves over real HTTP through Refit's generated clients, reads every recorded response,
/// and writes every format byte for byte as the in-process command does.
/// </summary>
public class NativeBuildTests(NativeBinary native, ExportStores stores) : IClassFixture<NativeBinary>, IClassFixture<ExportStores>
{
    private static readonly string[] Formats = ["bibtex", "biblatex", "ris", "csljson", "csv"];

    private void SameOutput(string[] args)
    {
        var mine = CliRunner.Run(args);
        Assert.True(mine.ExitCode == 0, mine.Stderr);
        var theirs = native.Run(args);
        Assert.True(theirs.ExitCode == 0, $"native {string.Join(' ', args)}: {theirs.Stderr}");
        Assert.True(mine.Stdout.Length > 1000, mine.Stdout);
        Assert.Equal(mine.Stdout, theirs.Stdout);
    }

    [Fact]
    public void TheInstalledToolIsTheNativeExecutable()
    {
        if (native.Installed is null) return; // BIBTOOL_NATIVE: a given build, not an install
        // The native package's executable: no managed assembly beside it, and an ELF file itself.
        Assert.Contains($"{Path.DirectorySeparatorChar}bibtool.linux-x64{Path.DirectorySeparatorChar}", native.Installed);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(native.Installed)!, "bibtool.dll")), "a framework-dependent install");
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(native.Installed)[..4]);
        // Without a .NET runtime to find, it still runs.
        var run = Validators.Run(native.Path, ["--version"], Environment.CurrentDirectory, environment: new() { ["DOTNET_ROOT"] = "/nonexistent", ["PATH"] = "/usr/bin:/bin" });
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.StartsWith("bibtool ", run.Stdout);
    }

    [Fact]
    public async Task ItResolvesTheSeedSurveyOverHttpAndWritesEveryFormatAsTheLibrary()
    {
        using var temp = TestPaths.TempDir();
        // SYNTHETIC responders (the seed survey's works were never recorded), as in the resolve tests.
        await using var crossref = new LoopbackServer(Synthetic.Crossref());
        await using var arxiv = new LoopbackServer(Synthetic.Arxiv());
        var resolve = await Task.Run(() => native.Run(["resolve", TestPaths.SeedSurvey, "--cache", temp.Path, "--crossref-url", crossref.BaseUrl, "--arxiv-url", arxiv.BaseUrl,
            "--mailto", "ci@example.org", .. Synthetic.OtherSourceArgs(Synthetic.Others), "--quiet"]));
        Assert.True(resolve.ExitCode == 0, resolve.Stderr);
        Assert.NotEmpty(crossref.Requests);
        Assert.NotEmpty(arxiv.Requests);
        // What the native run stored, the library reads as complete: nothing is left to fetch.
        var again = await CliRunner.RunAsync("resolve", TestPaths.SeedSurvey, "--cache", temp.Path, "--offline");
        Assert.True(again.ExitCode == 0, again.Stderr);

        foreach (var format in Formats)
            SameOutput(["export", TestPaths.SeedSurvey, "--format", format, "--offline", "--cache", temp.Path]);
        SameOutput(["list", TestPaths.SeedSurvey, "--format", "json", "--cache", temp.Path]);
    }

    [Fact]
    public void ItReadsEveryRecordedResponseAsTheLibrary()
    {
        foreach (var format in Formats)
            SameOutput(["export", stores.FixtureSurvey, "--format", format, "--offline", "--cache", stores.FixtureStore]);
    }

    [Fact]
    public void ItRefreshesAUsersCslJsonFileAsTheLibrary()
    {
        using var temp = TestPaths.TempDir();
        var file = temp.File("refs.json");
        var exported = CliRunner.Run("export", stores.FixtureSurvey, "--format", "csljson", "--offline", "--cache", stores.FixtureStore, "-o", file);
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        // SYNTHETIC edit: two works lose their volume, so the refresh has fields to add back.
        var text = File.ReadAllText(file);
        var edited = System.Text.RegularExpressions.Regex.Replace(text, "\"volume\": \"[^\"]*\",?", "", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(5));
        Assert.NotEqual(text, edited);
        File.WriteAllText(file, edited);
        var mine = CliRunner.Run("refresh", file, "--dry-run", "--offline", "--format", "json", "--cache", stores.FixtureStore);
        var theirs = native.Run("refresh", file, "--dry-run", "--offline", "--format", "json", "--cache", stores.FixtureStore);
        Assert.Equal(mine.ExitCode, theirs.ExitCode);
        Assert.Contains("\"volume\"", mine.Stdout);
        Assert.Equal(mine.Stdout, theirs.Stdout);
    }

    [Fact]
    public void ItWritesTheReportAndReadsAManuscriptAsTheLibrary()
    {
        // The report's page parts are embedded resources and the manuscript readers use generated
        // regular expressions: both must survive trimming into the native executable.
        using var temp = TestPaths.TempDir();
        var mine = CliRunner.Run("report", stores.FixtureSurvey, "-o", temp.File("mine"), "--offline", "--cache", stores.FixtureStore);
        var theirs = native.Run("report", stores.FixtureSurvey, "-o", temp.File("theirs"), "--offline", "--cache", stores.FixtureStore);
        Assert.True(mine.ExitCode == 0 && theirs.ExitCode == 0, mine.Stderr + theirs.Stderr);
        Assert.Equal(File.ReadAllText(temp.File("mine/index.html")), File.ReadAllText(temp.File("theirs/index.html")));

        var keys = BibTool.BibFiles.BibParser.Parse(CliRunner.Run("export", stores.FixtureSurvey, "--format", "bibtex", "--offline", "--cache", stores.FixtureStore).Stdout).Records.Select(r => r.Key).ToList();
        File.WriteAllText(temp.File("paper.tex"), $"\\cite{{{keys[0]}}} \\citep[p.~2]{{{keys[1]},{keys[2]}}} % \\cite{{{keys[3]}}}\n");
        string[] export = ["export", stores.FixtureSurvey, "--format", "csljson", "--offline", "--cache", stores.FixtureStore, "--cited", temp.File("paper.tex")];
        var cited = CliRunner.Run(export);
        var nativeCited = native.Run(export);
        Assert.Equal(3, System.Text.Json.JsonDocument.Parse(cited.Stdout).RootElement.GetArrayLength());
        Assert.Equal(cited.Stdout, nativeCited.Stdout);
    }
}
