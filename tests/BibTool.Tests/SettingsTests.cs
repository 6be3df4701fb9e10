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
