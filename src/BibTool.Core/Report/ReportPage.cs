using System.Text;
using System.Text.Json;
using BibTool.Audit;
using BibTool.Export;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Survey;

namespace BibTool.Report;

/// <summary>One row of the report: the survey's row, its work (if resolved), its keys and BibTeX, and check's findings.</summary>
public sealed record ReportRow(SurveyEntry Row, Work? Work, string? Key, string? BibTex, IReadOnlyList<Finding> Findings);

/// <summary>
/// The survey as one static page (<c>report</c>): every row by category and table with its
/// citation and links, search and filters, copy-as-BibTeX, check's findings, and charts of works
/// per year (stacked by category) and the top venues. The page is self-contained: its data is
/// embedded as JSON and its HTML, CSS and JavaScript (the project's own, in this folder) are
/// inlined, so it opens from file:// with no server and loads nothing from the network.
/// </summary>
public static class ReportPage
{
    public static string Html(string title, IReadOnlyList<ReportRow> rows)
    {
        var parts = new Dictionary<string, string>
        {
            ["{{title}}"] = System.Net.WebUtility.HtmlEncode(title),
            ["/*{{css}}*/"] = Resource("report.css"),
            ["{{data}}"] = Data(title, rows),
            ["/*{{js}}*/"] = Resource("report.js"),
        };
        // One pass: text put in (a title, the data) is never searched for placeholders again.
        return System.Text.RegularExpressions.Regex.Replace(Resource("report.html"), @"\{\{title\}\}|/\*\{\{css\}\}\*/|\{\{data\}\}|/\*\{\{js\}\}\*/", m => parts[m.Value]);
    }

    private static string Resource(string name)
    {
        using var stream = typeof(ReportPage).Assembly.GetManifestResourceStream("BibTool.Report." + name)
            ?? throw new InvalidOperationException($"the report's {name} is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The rows as JSON, safe inside a script element: the writer's default encoder escapes '&lt;',
    /// '&gt;' and '&amp;', so no value can close the element or open a comment.
    /// </summary>
    internal static string Data(string title, IReadOnlyList<ReportRow> rows)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("title", title);
            json.WriteNumber("works", rows.Where(r => r.Work is not null).Select(r => r.Work!.Id).Distinct().Count());
            json.WriteStartArray("rows");
            foreach (var (row, work, key, bibtex, findings) in rows)
            {
                json.WriteStartObject();
                json.WriteString("category", row.Category);
                json.WriteString("table", row.Table);
                json.WriteString("name", row.Name);
                json.WriteNumber("line", row.Line);
                json.WriteString("linkTitle", row.PaperTitle);
                Link(json, "paper", row.PaperUrl);
                Link(json, "code", row.CodeUrl);
                if (work is not null)
                {
                    json.WriteString("work", work.Id);
                    json.WriteString("title", work.Title?.Plain ?? row.PaperTitle);
                    json.WriteString("authors", Authors(work.Authors));
                    if (work.Issued is { } issued) json.WriteNumber("year", issued.Year);
                    json.WriteString("venue", Venue(work));
                    json.WriteString("type", work.Type);
                    json.WriteBoolean("resolved", work.Provenance.IsResolved);
                    if (work.Doi is { } doi) Link(json, "doi", "https://doi.org/" + doi);
                    if (work.Eprint is { Server: "arxiv" } eprint) Link(json, "arxiv", "https://arxiv.org/abs/" + eprint.Id);
                    else if (row.Identifier.Type == IdentifierType.Arxiv) Link(json, "arxiv", "https://arxiv.org/abs/" + row.Identifier.Value);
                }
                if (key is not null) json.WriteString("key", key);
                if (bibtex is not null) json.WriteString("bibtex", bibtex);
                json.WriteStartArray("findings");
                foreach (var finding in findings)
                {
                    json.WriteStartObject();
                    json.WriteString("kind", finding.Kind);
                    json.WriteBoolean("problem", finding.IsProblem);
                    json.WriteString("message", finding.Message);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Only http and https links reach the page: a survey cannot smuggle a javascript: link into it.</summary>
    private static void Link(Utf8JsonWriter json, string name, string? url)
    {
        if (url is { Length: > 0 } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            json.WriteString(name, uri.AbsoluteUri);
    }

    /// <summary>"A. Author, B. Author and C. Author"; more than five: the first three and "et al.".</summary>
    public static string Authors(IReadOnlyList<Name> names)
    {
        var shown = names.Select(n => n.Display).Where(n => n.Length > 0).ToList();
        if (shown.Count > 5) return string.Join(", ", shown.Take(3)) + " et al.";
        return shown.Count <= 1 ? shown.FirstOrDefault() ?? "" : string.Join(", ", shown.Take(shown.Count - 1)) + " and " + shown[^1];
    }

    /// <summary>Where the work appeared: its journal or proceedings, a preprint's server, else its publisher.</summary>
    public static string Venue(Work work) =>
        work.ContainerTitle ?? (work.IsPreprint ? work.Eprint?.ServerName ?? work.Publisher : work.Publisher) ?? "";
}
