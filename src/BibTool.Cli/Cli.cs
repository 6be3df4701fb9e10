using System.Reflection;
using BibTool.Cli.Commands;
using BibTool.Survey;

namespace BibTool.Cli;

/// <summary>Exit codes, documented in the README.</summary>
public static class ExitCode
{
    public const int Ok = 0;
    public const int Unresolved = 1;
    public const int BadInput = 2;
    public const int StoreError = 3;
    public const int OutputError = 4;
    public const int Internal = 70;
}

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
        catch (UsageException e)
        {
            stderr.WriteLine($"bibtool: {e.Message}");
            return ExitCode.BadInput;
        }
        catch (SurveyException e)
        {
            stderr.WriteLine($"bibtool: {e.Message}");
            return ExitCode.BadInput;
        }
        catch (BibToolException e)
        {
            stderr.WriteLine($"bibtool: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("bibtool: cancelled; everything fetched so far is in the store");
            return 130;
        }
        catch (BibTool.Store.OutputException e)
        {
            stderr.WriteLine($"bibtool: {e.Message}");
            return ExitCode.OutputError;
        }
        catch (IOException e)
        {
            stderr.WriteLine($"bibtool: {e.Message}");
            return ExitCode.StoreError;
        }
        catch (UnauthorizedAccessException e)
        {
            stderr.WriteLine($"bibtool: {e.Message}");
            return ExitCode.StoreError;
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

    /// <summary>Indented JSON written straight to <paramref name="output"/> (never held whole), then a newline.</summary>
    public static void WriteJson(TextWriter output, Action<System.Text.Json.Utf8JsonWriter> write)
    {
        using (var stream = new BibTool.Text.TextWriterStream(output))
        using (var json = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(json);
        output.WriteLine();
    }

    /// <summary>Names of standard output itself: written as a stream, never replaced.</summary>
    private static readonly string[] StandardOutput = ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];

    /// <summary>Refuses, before any work, an -o that names a directory, a FIFO, a device or a missing folder.</summary>
    public static void CheckOutput(string? path)
    {
        if (path is not null && !StandardOutput.Contains(path)) BibTool.Store.AtomicFile.OutputTarget(path);
    }

    /// <summary>Writes to -o FILE atomically (see <see cref="BibTool.Store.AtomicFile.WriteOutput"/>), or to stdout.</summary>
    public static void WriteOutput(string? path, TextWriter stdout, Action<TextWriter> write)
    {
        if (path is null || StandardOutput.Contains(path))
        {
            write(stdout);
            stdout.Flush();
        }
        else BibTool.Store.AtomicFile.WriteOutputText(path, write);
    }
}

public class BibToolException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
