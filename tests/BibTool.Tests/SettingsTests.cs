using BibTool.Resolve;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>A setting that means nothing fails loudly, naming it and the nearest known one.</summary>
public class SettingsTests
{
    [Fact]
    public void AnUnknownConfigKeyIsAnErrorNamingTheNearestOne()
    {
        using var temp = TestPaths.TempDir();
        File.WriteAllText(temp.File("bibtool.json"), "{ \"cahce\": \"store\" }");
        var result = CliRunner.Run("list", TestPaths.SeedSurvey, "--config", temp.File("bibtool.json"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"bibtool: {temp.File("bibtool.json")}: unknown setting \"cahce\" (did you mean cache?)", result.Stderr.Trim());
    }

    [Fact]
    public void AnUnknownVariableIsAnError()
    {
        var error = Assert.Throws<SettingsException>(() => BibToolSettings.Load(_ => null, _ => null, ["PATH", "BIBTOOL_MAILT0"]));
        Assert.Equal("unknown environment variable BIBTOOL_MAILT0 (did you mean BIBTOOL_MAILTO?)", error.Message);
    }

    [Fact]
    public void KnownNamesPass()
    {
        var settings = BibToolSettings.Load(_ => null, name => name == "BIBTOOL_MAILTO" ? "me@example.org" : null, ["BIBTOOL_MAILTO", "BIBTOOL_DEBUG", "HOME"]);
        Assert.Equal("me@example.org", settings.Mailto);
    }
}

public class SourceSettingTests
{
    [Fact]
    public void EverySourcesSettingIsAnOptionAVariableAndAConfigKey()
    {
        // The names users already know, now declared by the sources themselves.
        Assert.Equal(["crossref-url", "datacite-url", "openalex-url", "openalex-api-key", "arxiv-url", "ncbi-url", "ncbi-api-key", "openreview-url", "landing-gateway"],
            BibTool.Resolve.BibToolSettings.SourceSettings.Select(s => s.Name));
        var datacite = BibTool.Sources.DataCite.DataCiteHandler.Url;
        Assert.Equal(("--datacite-url", "BIBTOOL_DATACITE_URL", "dataciteUrl"), (datacite.Option, datacite.Variable, datacite.Key));
        Assert.Equal("ncbiApiKey", BibTool.Sources.Ncbi.Ncbi.ApiKey.Key);
        // Every declared option is on the command line of each command that reaches the network.
        var resolve = BibTool.Cli.CommandLine.Root.Subcommands.Single(c => c.Name == "resolve");
        Assert.All(BibTool.Resolve.BibToolSettings.SourceSettings, s => Assert.Contains(resolve.Options, o => o.Name == s.Option));
        // A value given reaches the source; a missing one is the declared default.
        var settings = BibTool.Resolve.BibToolSettings.Load(name => name == "datacite-url" ? "http://127.0.0.1:1/dc" : null, _ => null);
        Assert.Equal("http://127.0.0.1:1/dc", datacite.ValueIn(settings));
        Assert.Equal("https://api.crossref.org", BibTool.Sources.Crossref.CrossrefHandler.Url.ValueIn(settings));
        Assert.Null(BibTool.Sources.Ncbi.Ncbi.ApiKey.ValueIn(settings));
        var bad = Assert.Throws<BibTool.Resolve.SettingsException>(() => BibTool.Resolve.BibToolSettings.Load(name => name == "openreview-url" ? "ftp://x" : null, _ => null));
        Assert.Equal("openreview-url 'ftp://x' is not an http(s) URL", bad.Message);
    }
}
