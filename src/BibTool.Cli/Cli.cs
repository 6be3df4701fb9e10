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

    public const string Usage = """
        usage: bibtool <command> SURVEY.md [options]

        commands:
          list      print the survey's rows with their identifiers (table, csv or json)
          resolve   fetch metadata for every work (DOI, arXiv, PMID, PMCID, OpenReview, landing page) into the store (cache/)
          refresh   fetch stored works again (all, older than an age, or named) and report what changed, field by field
          export    write BibTeX, BibLaTeX, RIS, CSL-JSON or CSV for the survey or a subset
          check     audit the survey: wrong links, unknown ids, duplicates, retractions, published preprints

        Run 'bibtool <command> --help' for the options of a command; see README.md.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel = default)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(Usage);
            return args.Length == 0 ? ExitCode.BadInput : ExitCode.Ok;
        }
        if (args[0] is "--version" or "version")
        {
            stdout.WriteLine($"bibtool {Version}");
            return ExitCode.Ok;
        }
        try
        {
            var rest = args[1..];
            return args[0] switch
            {
                "list" => ListCommand.Run(rest, stdout, stderr),
                "resolve" => await ResolveCommand.RunAsync(rest, stdout, stderr, cancel),
                "refresh" => await RefreshCommand.RunAsync(rest, stdout, stderr, cancel),
                "export" => await ExportCommand.RunAsync(rest, stdout, stderr, cancel),
                "check" => await CheckCommand.RunAsync(rest, stdout, stderr, cancel),
                _ => throw new UsageException($"unknown command '{args[0]}' (try list, resolve, refresh, export or check)"),
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

    /// <summary>Writes to -o FILE atomically, or to stdout.</summary>
    /// <summary>Indented JSON written straight to <paramref name="output"/> (never held whole), then a newline.</summary>
    public static void WriteJson(TextWriter output, Action<System.Text.Json.Utf8JsonWriter> write)
    {
        using (var stream = new BibTool.Text.TextWriterStream(output))
        using (var json = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(json);
        output.WriteLine();
    }

    public static void WriteOutput(string? path, TextWriter stdout, Action<TextWriter> write)
    {
        if (path is null or "-")
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
