using BibTool.Export;
using BibTool.Resolve;

namespace BibTool.Cli.Commands;

public static class ExportCommand
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var format = arguments.Value("--format") ?? throw new UsageException($"export needs --format ({string.Join(", ", Writers.Formats)})");
        IBibliographyWriter writer;
        try { writer = Writers.For(format); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }

        // An output that would be refused is said before any work is resolved; so is a manuscript that cannot be read.
        Cli.CheckOutput(arguments.Value("--output"));
        var cited = Cited(arguments);
        if (arguments.Flag("--all")) return AllFromStore(arguments, writer, cited, stdout, stderr, cancel);
        using var survey = Cli.LoadSurvey(arguments, stderr);
        var settings = Settings.From(arguments, stderr);
        var filter = Options.ParseFilter(arguments, survey);
        var service = new ExportService(settings, Cli.Version);
        var offline = arguments.Flag("--offline");
        ExportPlan plan = null!;
        await ResolveRunner.Show(arguments.Flag("--quiet") || offline, plainLines: false, stderr,
            async observer => plan = await service.PrepareAsync(survey, filter, offline, observer, cancel, arguments.Flag("--prefer-published")));

        // With --cited, only the cited works must resolve: they are known once keys are handed out.
        if (arguments.Flag("--strict") && cited is null)
        {
            var missing = 0;
            foreach (var unresolved in plan.Unresolved())
            {
                missing++;
                stderr.WriteLine($"error: {unresolved.Row.Location}: {unresolved.Identifier} not resolved ({unresolved.Reason})");
            }
            if (missing > 0)
            {
                stderr.WriteLine($"bibtool: {missing} works not resolved; nothing written (--strict)");
                return ExitCode.Unresolved;
            }
        }

        var fromSurvey = new FromSurveyReport(plan, survey, stderr.WriteLine);
        Exporter exporter = null!;
        var written = WriteKeyed(arguments, settings, service, writer, stdout, stderr, cancel, (keys, pattern) =>
        {
            exporter = new Exporter(plan.Library.Find, keys.Pins, pattern, arguments.Flag("--prefer-published"));
            return OnlyCited(cited, exporter.Items(plan.Entries, survey.Entries.Count), arguments.Flag("--strict"), stderr,
                item => $"{item.Rows[0].Location}: {item.Rows[0].Identifier} not resolved ({plan.Reason(item.Rows[0].Identifier)})");
        }, fromSurvey.Written);
        fromSurvey.Finish();
        if ((arguments.Value("--key-pattern") ?? settings.KeyPattern) is { } pattern && exporter.KeptPinnedKeys > 0)
            stderr.WriteLine($"note: the key pattern '{pattern}' gives keys to new works only: {exporter.KeptPinnedKeys} works kept the keys pinned in " +
                $"{Path.Combine(settings.CacheDirectory, "keys.tsv")} (delete a work's line there to re-key it; documents citing the old key will then break)");
        fromSurvey.SayHowManyMore();
        stderr.WriteLine($"{writer.Name}: {written} records ({written - fromSurvey.Count} resolved, {fromSurvey.Count} from the survey only) from {exporter.Rows} rows" +
            (exporter.RowsWithoutPaper > 0 ? $"; {exporter.RowsWithoutPaper} rows name no paper and have no record" : ""));
        return ExitCode.Ok;
    }

    /// <summary>
    /// Hands out keys under the store's lock and writes the items as they are produced (atomically
    /// to -o FILE, or to stdout), then pins the keys; returns how many records were written.
    /// </summary>
    private static int WriteKeyed(Arguments arguments, BibTool.Resolve.BibToolSettings settings, ExportService service, IBibliographyWriter writer,
        TextWriter stdout, TextWriter stderr, CancellationToken cancel, Func<KeySession, string?, IEnumerable<ExportItem>> items, Action<ExportItem>? onItem = null,
        bool wholeStore = false)
    {
        KeySession keys;
        try { keys = service.OpenKeys(TimeSpan.FromSeconds(60), wholeStore, message => stderr.WriteLine($"note: {message}")); }
        catch (FormatException e) { throw new BibToolException(e.Message, ExitCode.StoreError); }
        using var _ = keys;
        foreach (var problem in keys.Pins.Problems) stderr.WriteLine($"warning: {problem}");
        var written = 0;
        var counted = items(keys, arguments.Value("--key-pattern") ?? settings.KeyPattern).Select(item =>
        {
            // Ctrl+C stops between records: the temporary output is removed, the old file stays.
            cancel.ThrowIfCancellationRequested();
            written++;
            onItem?.Invoke(item);
            // A retracted work can still be cited (to discuss it), never unknowingly.
            if (item.Work.Retraction is { } retraction) stderr.WriteLine($"warning: {item.Key} ({item.Work.Id}): {retraction.Describe()}");
            return item;
        });
        // An unknown key-pattern token shows when the first key is made.
        try { Cli.WriteOutput(arguments.Value("--output"), stdout, output => Writers.WriteAll(writer, counted, output)); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        keys.Save();
        if (keys.Warning is { } notPinned) stderr.WriteLine($"warning: {notPinned}");
        return written;
    }

    /// <summary>export --all: the whole store, read offline, in the store's order.</summary>
    private static int AllFromStore(Arguments arguments, IBibliographyWriter writer, BibTool.Manuscripts.CitedKeys? cited, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var (settings, filter) = Options.ForWholeStore(arguments, stderr, "exports");
        var service = new ExportService(settings, Cli.Version);
        var written = WriteKeyed(arguments, settings, service, writer, stdout, stderr, cancel,
            (keys, pattern) => OnlyCited(cited, service.AllItems(filter, keys, pattern), arguments.Flag("--strict"), stderr), wholeStore: true);
        stderr.WriteLine($"{writer.Name}: {written} records from the whole store {settings.CacheDirectory}");
        return ExitCode.Ok;
    }

    /// <summary>The manuscripts named by --cited, read before anything is resolved (null: no --cited).</summary>
    private static BibTool.Manuscripts.CitedKeys? Cited(Arguments arguments)
    {
        if (arguments.Values("--cited").Count == 0) return null;
        try { return BibTool.Manuscripts.CitedKeys.Read(arguments.Values("--cited")); }
        catch (BibTool.Manuscripts.ManuscriptException e) { throw new BibToolException(e.Message, ExitCode.BadInput); }
    }

    /// <summary>
    /// Only what the manuscripts cite (every work once keys are handed out, so a key is matched as
    /// the export writes it, aliases included). Unknown keys: a line each, and under --strict an error
    /// before anything is written.
    /// </summary>
    private static IEnumerable<ExportItem> OnlyCited(BibTool.Manuscripts.CitedKeys? cited, IEnumerable<ExportItem> items, bool strict, TextWriter stderr,
        Func<ExportItem, string>? unresolved = null)
    {
        if (cited is null) return items;
        var selection = cited.Select(items);
        foreach (var note in selection.Notes) stderr.WriteLine($"note: {note}");
        foreach (var (citation, closest) in selection.Unknown)
            stderr.WriteLine($"{(strict ? "error" : "warning")}: {citation.Location}: no work has the key '{citation.Key}'" +
                (closest.Count > 0 ? $" (closest: {string.Join(", ", closest)})" : ""));
        if (!strict) return selection.Items;
        var notResolved = unresolved is null ? [] : selection.Items.Where(i => !i.Work.IsResolved).Select(unresolved).ToList();
        foreach (var line in notResolved) stderr.WriteLine($"error: {line}");
        if (selection.Unknown.Count > 0 || notResolved.Count > 0)
            throw new BibToolException(string.Join("; ", new[]
            {
                selection.Unknown.Count > 0 ? $"{selection.Unknown.Count} cited keys match no work" : null,
                notResolved.Count > 0 ? $"{notResolved.Count} cited works not resolved" : null,
            }.OfType<string>()) + "; nothing written (--strict)", ExitCode.Unresolved);
        return selection.Items;
    }
}
