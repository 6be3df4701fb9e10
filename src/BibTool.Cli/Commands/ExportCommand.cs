using BibTool.Export;
using BibTool.Resolve;

namespace BibTool.Cli.Commands;

public static class ExportCommand
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var format = arguments.Format ?? throw new UsageException($"export needs --format ({string.Join(", ", Writers.Formats)})");
        IBibliographyWriter writer;
        try { writer = Writers.For(format); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }

        // An output that would be refused is said before any work is resolved; so is a manuscript that cannot be read.
        Output.Check(arguments.Output);
        var cited = Cited(arguments);
        if (arguments.All) return AllFromStore(arguments, writer, cited, stdout, stderr, cancel);
        using var survey = Cli.LoadSurvey(arguments, stderr);
        var settings = Settings.From(arguments, stderr);
        var filter = Options.ParseFilter(arguments, survey);
        var service = new ExportService(settings, Cli.Version);
        var offline = arguments.Offline;
        ExportPlan plan = null!;
        await ResolveRunner.Show(arguments.Quiet || offline, plainLines: false, stderr,
            async observer => plan = await service.PrepareAsync(survey, filter, offline, observer, cancel, arguments.PreferPublished));

        // With --cited, only the cited works must resolve: they are known once keys are handed out.
        if (arguments.Strict && cited is null) StrictExport.RequireResolved(plan, stderr.WriteLine);

        var fromSurvey = new FromSurveyReport(plan, survey, stderr.WriteLine);
        Exporter exporter = null!;
        var written = WriteKeyed(arguments, service, writer, stdout, stderr, cancel, (keys, pattern) =>
        {
            exporter = new Exporter(plan.Library.Find, keys.Pins, pattern, arguments.PreferPublished);
            return StrictExport.OnlyCited(cited, exporter.Items(plan.Entries, survey.Entries.Count), arguments.Strict, stderr.WriteLine,
                item => $"{item.Rows[0].Location}: {item.Rows[0].Identifier} not resolved ({plan.Reason(item.Rows[0].Identifier)})");
        }, fromSurvey.Written);
        fromSurvey.Finish();
        if ((arguments.KeyPattern ?? settings.KeyPattern) is { } pattern && exporter.KeptPinnedKeys > 0)
            stderr.WriteLine($"note: the key pattern '{pattern}' gives keys to new works only: {exporter.KeptPinnedKeys} works kept the keys pinned in " +
                $"{Path.Combine(settings.CacheDirectory, "keys.tsv")} (delete a work's line there to re-key it; documents citing the old key will then break)");
        fromSurvey.SayHowManyMore();
        stderr.WriteLine($"{writer.Name}: {written} records ({written - fromSurvey.Count} resolved, {fromSurvey.Count} from the survey only) from {exporter.Rows} rows" +
            (exporter.RowsWithoutPaper > 0 ? $"; {exporter.RowsWithoutPaper} rows name no paper and have no record" : ""));
        return ExitCode.Ok;
    }

    /// <summary>Keys handed out and the items written to -o or stdout (Core's <see cref="ExportService.WriteKeyed"/>); how many were written.</summary>
    private static int WriteKeyed(Arguments arguments, ExportService service, IBibliographyWriter writer, TextWriter stdout, TextWriter stderr, CancellationToken cancel,
        Func<KeySession, string?, IEnumerable<ExportItem>> items, Action<ExportItem>? onItem = null, bool wholeStore = false)
    {
        // An unknown key-pattern token shows when the first key is made.
        try { return service.WriteKeyed(writer, arguments.KeyPattern, items, write => Output.Write(arguments.Output, stdout, write), stderr.WriteLine, cancel, onItem, wholeStore); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>export --all: the whole store, read offline, in the store's order.</summary>
    private static int AllFromStore(Arguments arguments, IBibliographyWriter writer, BibTool.Manuscripts.CitedKeys? cited, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var (settings, filter) = Options.ForWholeStore(arguments, stderr, "exports");
        var service = new ExportService(settings, Cli.Version);
        var written = WriteKeyed(arguments, service, writer, stdout, stderr, cancel,
            (keys, pattern) => StrictExport.OnlyCited(cited, service.AllItems(filter, keys, pattern), arguments.Strict, stderr.WriteLine), wholeStore: true);
        stderr.WriteLine($"{writer.Name}: {written} records from the whole store {settings.CacheDirectory}");
        return ExitCode.Ok;
    }

    /// <summary>The manuscripts named by --cited, read before anything is resolved (null: no --cited).</summary>
    private static BibTool.Manuscripts.CitedKeys? Cited(Arguments arguments)
    {
        if (arguments.Cited.Count == 0) return null;
        try { return BibTool.Manuscripts.CitedKeys.Read(arguments.Cited); }
        catch (BibTool.Manuscripts.ManuscriptException e) { throw new BibToolException(e.Message, ExitCode.BadInput); }
    }
}
