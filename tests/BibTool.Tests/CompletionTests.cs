using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>
/// Tab completion as a user sets it up: bash sources `bibtool completion bash` and completes a
/// partial command, an option and a --format value, asking a real bibtool process (the built
/// command, behind a `bibtool` on the PATH).
/// </summary>
public class CompletionTests
{
    private static string[] Complete(string line)
    {
        using var temp = TestPaths.TempDir();
        var bibtool = temp.File("bibtool");
        File.WriteAllText(bibtool, $"#!/bin/sh\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "bibtool.dll")}' \"$@\"\n");
        Assert.Equal(0, Validators.Run("chmod", ["+x", bibtool], temp.Path).ExitCode);
        var script = CliRunner.Run("completion", "bash");
        Assert.Equal(0, script.ExitCode);
        File.WriteAllText(temp.File("completion.bash"), script.Stdout);
        // What bash sets before it calls a completion function (words split as readline does for these lines).
        var words = line.Split(' ');
        var setup = string.Join("\n",
            $"source {temp.File("completion.bash")}",
            $"COMP_LINE='{line}'; COMP_POINT={line.Length}; COMP_WORDS=({string.Join(' ', words.Select(w => $"'{w}'"))}); COMP_CWORD={words.Length - 1}",
            "_bibtool_complete",
            "printf '%s\\n' \"${COMPREPLY[@]}\"");
        var run = Validators.Run("bash", ["-c", setup], temp.Path, environment: new() { ["PATH"] = temp.Path + ":" + Environment.GetEnvironmentVariable("PATH") });
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void APartialCommandCompletes() => Assert.Equal(["export"], Complete("bibtool ex"));

    [Fact]
    public void AnOptionCompletes() => Assert.Equal(["--prefer-published"], Complete("bibtool export --pre"));

    [Fact]
    public void FormatValuesComplete() => Assert.Equal(["biblatex", "bibtex"], Complete("bibtool export --format bib"));

    [Fact]
    public void AnUnknownShellIsAUsageError()
    {
        var result = CliRunner.Run("completion", "tcsh");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("bibtool: unknown shell 'tcsh' (bash, zsh, fish)", result.Stderr.Trim());
    }

    [Fact]
    public void TheOverviewListsVersion() => Assert.Contains("--version", CliRunner.Run("--help").Stdout);
}
