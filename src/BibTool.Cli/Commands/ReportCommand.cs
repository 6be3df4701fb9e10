using BibTool.Audit;
using BibTool.Export;
using BibTool.Report;

namespace BibTool.Cli.Commands;

/// <summary>bibtool report: the survey as one static HTML page, DIR/index.html.</summary>
public static class ReportCommand
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var directory = arguments.Output ?? throw new UsageException("report needs -o DIR (the folder that gets index.html)");
        if (File.Exists(directory)) throw new BibToolException($"{directory}: is a file; -o names the folder that gets index.html", ExitCode.OutputError);
        var page = Path.Combine(directory, "index.html");
        var (survey, entries, library, settings) = await AuditInput.ReadAsync(arguments, "report", stderr, cancel);
        var findings = SurveyAudit.Check(entries, library).GroupBy(f => f.Row.Line).ToDictionary(g => g.Key, g => (IReadOnlyList<Finding>)g.ToList());

        // Keys and BibTeX as an export writes them (the keys pinned, so the page and the .bib agree).
        var service = new ExportService(settings, Cli.Version);
        using var keys = service.OpenKeys(TimeSpan.FromSeconds(60), wholeStore: false, message => stderr.WriteLine($"note: {message}"));
        var writer = new BibTexWriter();
        var byLine = service.ItemsByLine(keys, library, entries);
        var rows = entries.Select(row =>
        {
            var item = byLine.GetValueOrDefault(row.Line);
            string? bibtex = null;
            if (item is not null)
            {
                using var text = new StringWriter { NewLine = "\n" };
                writer.Write(item, text);
                bibtex = text.ToString().Trim();
            }
            return new ReportRow(row, item?.Work is { Provenance.IsResolved: true } work ? work : null, item?.Key, bibtex, findings.GetValueOrDefault(row.Line) ?? []);
        }).ToList();

        Directory.CreateDirectory(directory);
        var html = ReportPage.Html(Title(survey.File), rows);
        BibTool.Store.AtomicFile.WriteOutput(page, s => s.Write(new System.Text.UTF8Encoding(false).GetBytes(html)));
        keys.Save();
        var works = rows.Where(r => r.Work is not null).Select(r => r.Work!.Id).Distinct().Count();
        stderr.WriteLine($"report: {rows.Count} rows, {works} works, {rows.Count(r => r.Findings.Any(f => f.IsProblem))} rows with problems: {page}");
        return ExitCode.Ok;
    }

    /// <summary>The survey's first level-one heading, or its file name.</summary>
    private static string Title(string path)
    {
        foreach (var line in File.ReadLines(path).Take(200))
            if (line.StartsWith("# ", StringComparison.Ordinal)) return line[2..].Trim();
        return Path.GetFileNameWithoutExtension(path);
    }
}
