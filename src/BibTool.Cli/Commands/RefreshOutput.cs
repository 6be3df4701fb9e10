using BibTool.Resolve;

namespace BibTool.Cli.Commands;

/// <summary>refresh's JSON reports: a bibliography file's changes and skipped entries, a survey's changed works.</summary>
public static class RefreshOutput
{
    public static void FileJson(TextWriter stdout, string path, bool written, int entries, BibTool.BibFiles.BibRefreshResult result)
    {
        Output.Json(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteString("file", path);
            json.WriteBoolean("written", written);
            json.WriteNumber("entries", entries);
            json.WriteStartArray("changes");
            foreach (var change in result.Changes)
            {
                json.WriteStartObject();
                json.WriteString("key", change.Key);
                json.WriteString("field", change.Field);
                if (change.Old is null) json.WriteNull("old"); else json.WriteString("old", change.Old);
                json.WriteString("new", change.New);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("skipped");
            foreach (var (record, reason) in result.Skipped)
            {
                json.WriteStartObject();
                json.WriteString("key", record.Key);
                json.WriteNumber("line", record.Line);
                json.WriteString("reason", reason);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    public static void SurveyJson(RefreshResult result, TextWriter stdout) =>
        Output.Json(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("works", result.Works);
            json.WriteStartArray("changed");
            foreach (var (id, changes) in result.Changed)
            {
                json.WriteStartObject();
                json.WriteString("id", id.WorkKey);
                json.WriteStartArray("changes");
                foreach (var change in changes)
                {
                    json.WriteStartObject();
                    json.WriteString("field", change.Field);
                    if (change.Old is null) json.WriteNull("old"); else json.WriteString("old", change.Old);
                    if (change.New is null) json.WriteNull("new"); else json.WriteString("new", change.New);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("unresolved");
            foreach (var failure in result.Report.Failures)
            {
                json.WriteStartObject();
                json.WriteString("id", failure.Identifier.WorkKey);
                json.WriteString("reason", failure.Message ?? failure.Outcome.ToString());
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
}
