using BibTool.Audit;
using BibTool.Export;

namespace BibTool.Cli.Commands;

/// <summary>bibtool fix: check's findings written back into the survey, each kind when asked for.</summary>
public static class FixCommand
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var columns = arguments.AddColumns;
        foreach (var column in columns)
            if (!FixOptions.Columns.Contains(column)) throw new UsageException($"--add-columns: unknown column '{column}' ({string.Join(", ", FixOptions.Columns)})");
        var options = new FixOptions
        {
            Published = arguments.FixPublished, MarkRetracted = arguments.MarkRetracted,
            CanonicalLinks = arguments.CanonicalLinks, AddColumns = columns,
        };
        if (!options.Any) throw new UsageException("fix needs what to fix: --published, --mark-retracted, --canonical-links or --add-columns");
        var dryRun = arguments.DryRun;

        var (survey, entries, library, settings) = await AuditInput.ReadAsync(arguments, "fix", stderr, cancel);
        var path = survey.File;
        var original = File.ReadAllBytes(path);
        // The survey was read as UTF-8; a byte-order mark is kept.
        var (text, encoding, _) = BibTool.BibFiles.BibEncoding.Decode(original);

        // The key column holds the keys exports write: handed out (and pinned) as an export would.
        Func<BibTool.Survey.SurveyEntry, string?>? keyOf = null;
        KeySession? keys = null;
        if (columns.Contains("key"))
        {
            var service = new ExportService(settings, Cli.Version);
            keys = service.OpenKeys(TimeSpan.FromSeconds(60), wholeStore: false, message => stderr.WriteLine($"note: {message}"));
            var byLine = service.ItemsByLine(keys, library, entries);
            keyOf = row => byLine.GetValueOrDefault(row.Line)?.Key;
        }
        using var _ = keys;
        var result = SurveyFixer.Apply(text, path, entries, library.Find, options, keyOf);
        foreach (var warning in result.Warnings) stderr.WriteLine($"warning: {warning}");

        if (dryRun) stdout.Write(SurveyFixer.UnifiedDiff(path, text, result.Text));
        else if (result.Changes.Count > 0)
        {
            // The original first, so a crash in between never leaves the user without either.
            BibTool.Store.AtomicFile.WriteOutput(path + ".bak", s => s.Write(original));
            var bytes = encoding.GetBytes(result.Text);
            BibTool.Store.AtomicFile.WriteOutput(path, s => s.Write(bytes));
            keys?.Save();
        }
        var why = result.Changes.SelectMany(c => c.Reasons.Select(r => r.StartsWith("published", StringComparison.Ordinal) ? "published" : r.StartsWith("columns", StringComparison.Ordinal) ? "columns" : r))
            .GroupBy(r => r).Select(g => $"{g.Count()} {g.Key}");
        stderr.WriteLine($"fix: {result.Changes.Count} lines changed" + (result.Changes.Count > 0 ? $" ({string.Join(", ", why)})" : "") +
            (dryRun ? " (dry run: nothing written)" : result.Changes.Count > 0 ? $"; the original is {path}.bak" : ""));
        return ExitCode.Ok;
    }
}
