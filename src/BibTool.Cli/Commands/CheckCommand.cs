using System.Text.Json;
using BibTool.Audit;

namespace BibTool.Cli.Commands;

public static class CheckCommand
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var format = arguments.Format ?? "text";
        if (format is not ("text" or "json" or "github")) throw new UsageException($"unknown format '{format}' for check (text, json or github)");
        var (survey, entries, library, _) = await AuditInput.ReadAsync(arguments, "check", stderr, cancel);
        var findings = SurveyAudit.Check(entries, library);
        if (format == "json")
        {
            Output.Json(stdout, json =>
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
