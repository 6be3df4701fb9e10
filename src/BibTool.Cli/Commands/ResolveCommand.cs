using BibTool.Resolve;
using BibTool.Survey;

namespace BibTool.Cli.Commands;

public static class ResolveCommand
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var survey = Cli.LoadSurvey(arguments, stderr);
        var settings = Settings.From(arguments, stderr);
        var filter = Options.ParseFilter(arguments, survey);
        if (filter.NeedsWorks) throw new UsageException("resolve selects rows by survey fields only; filter on resolved fields with list or export");
        var entries = survey.Entries.Where(e => filter.Matches(e, null)).ToList();
        var requests = BibTool.Sources.SourceRegistry.RequestsFor(entries);
        var refresh = arguments.Refresh;
        if (refresh && arguments.Offline) throw new UsageException("--refresh needs the network; it cannot go with --offline");
        if (refresh && arguments.MaxAge is not null) throw new UsageException("--refresh fetches every work again and --max-age only the older ones: give one of them");
        ResolveReport report;
        if (refresh)
        {
            var result = await ResolveRunner.RefreshAsync(settings, requests, arguments.Quiet, stderr, cancel);
            foreach (var (id, changes) in result.Changed) stdout.WriteLine($"{id}: {string.Join("; ", changes.Select(c => c.ToString()))}");
            stderr.WriteLine($"refresh: {result.Changed.Count} of {result.Works} works changed");
            report = result.Report;
        }
        else
        {
            (_, report) = await ResolveRunner.RunAsync(settings, requests, arguments.Offline, arguments.Quiet, stderr, cancel,
                maxAge: arguments.MaxAge);
        }
        ResolveSummary.Print(report, stderr);
        return report.Complete ? ExitCode.Ok : ExitCode.Unresolved;
    }
}
