using System.CommandLine;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>
/// One declaration (BibTool.Cli.CommandLine) gives the parser, the help and the completions: what
/// help shows is what the parser takes, and what it does not show is refused.
/// </summary>
public class CommandLineTests
{
    public static TheoryData<string> Commands() => ["list", "resolve", "refresh", "export", "check"];

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryOptionTheHelpShowsIsOneTheParserTakes(string command)
    {
        var help = CliRunner.Run(command, "--help");
        Assert.Equal(0, help.ExitCode);
        // The options as the help prints them ("  -o, --output <FILE>  ..."), read from its text.
        var shown = help.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('-')).Select(l => l.Split("  ")[0])
            .SelectMany(names => names.Split(", ").Select(n => (Option: n.Split(' ')[0], TakesValue: names.Contains('<'))))
            .Where(n => n.Option is not ("-?" or "-h" or "--help")).ToList();
        Assert.True(shown.Count >= 4, help.Stdout);
        foreach (var (option, takesValue) in shown)
        {
            string[] args = takesValue ? [command, "survey.md", option, "x"] : [command, "survey.md", option];
            var parsed = BibTool.Cli.CommandLine.Parse(args, TextWriter.Null, TextWriter.Null);
            Assert.NotNull(parsed.Arguments);
            var canonical = option == "-o" ? "--output" : option;
            Assert.True(takesValue ? parsed.Arguments!.Value(canonical) == "x" : parsed.Arguments!.Flag(canonical), $"{command} {option}");
        }
    }

    [Theory]
    [InlineData("list", "--offline")]
    [InlineData("list", "--mailto")]
    [InlineData("resolve", "--format")]
    [InlineData("check", "--strict")]
    public void WhatTheHelpDoesNotShowIsRefused(string command, string option)
    {
        Assert.DoesNotContain(option + " ", CliRunner.Run(command, "--help").Stdout);
        var result = CliRunner.Run(command, TestPaths.SeedSurvey, option, "x");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"bibtool: unknown option {option}", result.Stderr.Trim());
    }

    [Fact]
    public void RepeatedValuesAccumulateAndASingleValueTakesTheLast()
    {
        var parsed = BibTool.Cli.CommandLine.Parse(["export", "s.md", "--format", "ris", "--where", "year>=2020", "--format", "bibtex", "--where=type=book", "-o", "a.bib"], TextWriter.Null, TextWriter.Null);
        Assert.Equal("bibtex", parsed.Arguments!.Value("--format"));
        Assert.Equal(["year>=2020", "type=book"], parsed.Arguments.Values("--where"));
        Assert.Equal("a.bib", parsed.Arguments.Value("--output"));
        Assert.Equal(["s.md"], parsed.Arguments.Positional);
    }

    [Fact]
    public void ShellCompletionOffersTheDeclaredFormats()
    {
        var completions = BibTool.Cli.CommandLine.Root.Parse(["export", "s.md", "--format", ""]).GetCompletions().Select(c => c.Label).ToList();
        Assert.Equal(["biblatex", "bibtex", "csljson", "csv", "ris"], completions.Order(StringComparer.Ordinal));
        var commands = BibTool.Cli.CommandLine.Root.Parse(["ex"]).GetCompletions().Select(c => c.Label).ToList();
        Assert.Contains("export", commands);
    }

    [Fact]
    public void NoCommandShowsTheOverviewAndExitsTwo()
    {
        var result = CliRunner.Run();
        Assert.Equal(2, result.ExitCode);
        foreach (var command in Commands()) Assert.Contains($"  {command} <", result.Stderr);
    }
}
