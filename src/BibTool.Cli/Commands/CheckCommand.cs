using System.Text.Json;
using BibTool.Audit;
using BibTool.Resolve;

namespace BibTool.Cli.Commands;

public static class CheckCommand
{
    /// <summary>
    /// What check, fix and report stand on: the survey's rows (those the filters keep), resolved
    /// through the store, and each preprint's published version looked up by title and first author
    /// when its record names none (once; the store keeps the answer).
    /// </summary>
    internal static async Task<(BibTool.Survey.Survey Survey, List<BibTool.Survey.SurveyEntry> Entries, WorkLibrary Library, BibToolSettings Settings)> ResolveForAuditAsync(
        Arguments arguments, string command, TextWriter stderr, CancellationToken cancel)
    {
        var survey = Cli.LoadSurvey(arguments, stderr);
        var settings = Settings.From(arguments, stderr);
        var filter = Options.ParseFilter(arguments, survey);
        if (filter.NeedsWorks) throw new UsageException($"{command} selects rows by survey fields only");
        var entries = survey.Entries.Where(filter.MatchesSurveyFields).ToList();
        var (library, _) = await ResolveRunner.RunAsync(settings, BibTool.Sources.SourceRegistry.RequestsFor(entries), arguments.Flag("--offline"), arguments.Flag("--quiet"), stderr, cancel, plainLines: false);
        var service = new ResolveService(settings, Cli.Version);
        if (await service.FindPublishedAsync(entries.Select(e => e.Identifier), arguments.Flag("--offline"), refresh: false,
                new ResolveObserver { Warning = message => stderr.WriteLine($"warning: {message}") }, cancel, library: library) > 0)
            library = new WorkLibrary(service.Store);
        return (survey, entries, library, settings);
    }

    public static async Task<int> RunAsync(Arguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var format = arguments.Value("--format") ?? "text";
        if (format is not ("text" or "json" or "github")) throw new UsageException($"unknown format '{format}' for check (text, json or github)");
        var (survey, entries, library, _) = await ResolveForAuditAsync(arguments, "check", stderr, cancel);
        var findings = SurveyAudit.Check(entries, library);
        if (format == "json")
        {
            Cli.WriteJson(stdout, json =>
            {
                json.WriteStartArray();
                foreach (var f in findings)
                {
                    json.WriteStartObject();
                    json.WriteString("kind", f.Kind);
                    json.WriteBoolean("problem", f.IsProblem);
                    json.WriteNumber("line", f.Row.Line);
                    json.WriteString("name", f.Row.Name);
                    json.WriteString("id", f.Row.Identifier.Type == BibTool.Identifiers.IdentifierType.None ? "" : f.Row.Identifier.WorkKey);
                    json.WriteString("message", f.Message);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            });
        }
        else if (format == "github")
        {
            // GitHub Actions workflow commands: each finding is an annotation on its row in a pull request.
            var file = GitHub.WorkspacePath(survey.File);
            foreach (var f in findings)
                stdout.WriteLine($"::{(f.IsProblem ? "error" : "notice")} file={GitHub.Property(file)},line={f.Row.Line},title={GitHub.Property("bibtool check: " + f.Kind)}::{GitHub.Data(f.Message)}");
        }
        else
        {
            foreach (var f in findings) stdout.WriteLine($"{f.Row.Location}: {(f.IsProblem ? "problem" : "note")}: {f.Kind}: {f.Message}");
        }
        var problems = findings.Count(f => f.IsProblem);
        stderr.WriteLine($"check: {entries.Count} rows, {problems} problems, {findings.Count - problems} notes");
        return problems > 0 ? ExitCode.Unresolved : ExitCode.Ok;
    }
}

/// <summary>GitHub Actions workflow command syntax (docs: "Workflow commands for GitHub Actions").</summary>
public static class GitHub
{
    /// <summary>A message: '%', CR and LF escaped, so one finding stays one command.</summary>
    public static string Data(string text) => text.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    /// <summary>A property value: as a message, and ':' and ',' too, which separate properties.</summary>
    public static string Property(string text) => Data(text).Replace(":", "%3A").Replace(",", "%2C");

    /// <summary>The survey's path as annotations want it: relative to the working directory (the checkout) when it lies inside it, with '/'.</summary>
    public static string WorkspacePath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetFullPath(Environment.GetEnvironmentVariable("GITHUB_WORKSPACE") is { Length: > 0 } workspace ? workspace : Environment.CurrentDirectory);
        var relative = Path.GetRelativePath(root, full);
        return (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative).Replace(Path.DirectorySeparatorChar, '/');
    }
}
