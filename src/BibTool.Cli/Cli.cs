using System.Reflection;
using BibTool.Cli.Commands;
using BibTool.Survey;

namespace BibTool.Cli;

public static class Cli
{
    public static string Version =>
        typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel = default)
    {
        if (args.Length == 0)
        {
            // No command: the overview, on stderr, as a usage error.
            CommandLine.Parse(["--help"], stderr, stderr);
            return ExitCode.BadInput;
        }
        if (args[0] == "help") args = [.. args[1..], "--help"];
        if (args[0] is "--version" or "version")
        {
            stdout.WriteLine($"bibtool {Version}");
            return ExitCode.Ok;
        }
        try
        {
            var (command, arguments, helpShown) = CommandLine.Parse(args, stdout, stderr);
            if (helpShown) return ExitCode.Ok;
            return command switch
            {
                "list" => ListCommand.Run(arguments!, stdout, stderr),
                "resolve" => await ResolveCommand.RunAsync(arguments!, stdout, stderr, cancel),
                "refresh" => await RefreshCommand.RunAsync(arguments!, stdout, stderr, cancel),
                "export" => await ExportCommand.RunAsync(arguments!, stdout, stderr, cancel),
                "check" => await CheckCommand.RunAsync(arguments!, stdout, stderr, cancel),
                "fix" => await FixCommand.RunAsync(arguments!, stdout, stderr, cancel),
                "report" => await ReportCommand.RunAsync(arguments!, stdout, stderr, cancel),
                "completion" => CompletionCommand.Run(arguments!, stdout),
                _ => throw new UsageException($"unknown command '{args[0]}' (try list, resolve, refresh, export, check, fix, report or completion)"),
            };
        }
        catch (Exception e) when (ExitCode.For(e) is { } failure)
        {
            stderr.WriteLine($"bibtool: {failure.Message}");
            return failure.Code;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("BIBTOOL_DEBUG") is null)
        {
            // A bug of ours, not the user's input: one line, and a way to see more.
            stderr.WriteLine($"bibtool: internal error: {e.GetType().Name}: {e.Message} (set BIBTOOL_DEBUG=1 for details)");
            return ExitCode.Internal;
        }
    }

    /// <summary>Reads the survey, prints its warnings, and stops on what makes it unusable.</summary>
    public static Survey.Survey LoadSurvey(Arguments arguments, TextWriter stderr)
    {
        if (arguments.Positional.Count == 0) throw new UsageException("missing SURVEY.md");
        if (arguments.Positional.Count > 1) throw new UsageException($"unexpected argument '{arguments.Positional[1]}'");
        var survey = SurveyReader.ReadFile(arguments.Positional[0]);
        foreach (var diagnostic in survey.Diagnostics.Where(d => !d.IsError)) stderr.WriteLine($"warning: {diagnostic}");
        var error = survey.Diagnostics.FirstOrDefault(d => d.IsError);
        if (error is not null) throw new SurveyException(error.ToString());
        return survey;
    }
}
