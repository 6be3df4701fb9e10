using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Resolve;
using BibTool.Sources;
using BibTool.Store;
using Spectre.Console;

namespace BibTool.Cli.Commands;

/// <summary>Runs the resolver for a command: store lock, clients, progress display, summary.</summary>
public static class ResolveRunner
{
    public static async Task<(WorkLibrary Library, ResolveReport Report)> RunAsync(
        BibToolSettings settings, IReadOnlyList<SourceRequest> requests, bool offline, bool quiet, TextWriter stderr, CancellationToken cancel, bool plainLines = true, bool refresh = false)
    {
        var store = new MetadataStore(settings.CacheDirectory);
        var registry = SourceRegistry.Default;
        var needed = requests.Where(r => r.Identifier.IsResolvable).DistinctBy(r => r.Identifier).ToList();
        // A store that already settles everything is only read: no lock, no clients (it may be read-only).
        var reader = new WorkLibrary(store, remember: false);
        offline |= !refresh && needed.All(r => reader.IsSettled(r.Identifier));

        using var storeLock = offline ? null : store.Lock(TimeSpan.FromSeconds(10));
        var context = new SourceContext(settings, Cli.Version);
        var fetchers = offline ? [] : registry.Handlers.ToDictionary(h => h.Name, h => h.CreateFetcher(context));
        try
        {
            var resolver = new Resolver(store, registry, fetchers);
            resolver.Damaged += problem => stderr.WriteLine($"warning: {problem}; fetching it again");

            if (!offline && settings.Mailto is null && !quiet && needed.Any(r => r.Identifier.Type == IdentifierType.Doi && !reader.IsSettled(r.Identifier)))
                stderr.WriteLine("note: no --mailto (or BIBTOOL_MAILTO): Crossref's public pool is slower than the polite pool");
            var report = await RunAsync(resolver, needed, offline, quiet, stderr, cancel, plainLines, refresh);
            return (new WorkLibrary(store), report);
        }
        finally
        {
            foreach (var fetcher in fetchers.Values) fetcher.Dispose();
        }
    }

    private static async Task<ResolveReport> RunAsync(Resolver resolver, List<SourceRequest> needed, bool offline, bool quiet, TextWriter stderr, CancellationToken cancel, bool plainLines, bool refresh)
    {
        ResolveReport report;
        var interactive = !quiet && !Console.IsErrorRedirected && stderr == Console.Error && AnsiConsole.Profile.Capabilities.Interactive;
        if (interactive)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            report = null!;
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("resolving", maxValue: Math.Max(1, needed.Count));
                    int cached = 0, fetched = 0, failed = 0;
                    resolver.Settled += r =>
                    {
                        switch (r.Outcome)
                        {
                            case Outcome.Cached: Interlocked.Increment(ref cached); break;
                            case Outcome.Fetched: Interlocked.Increment(ref fetched); break;
                            default: Interlocked.Increment(ref failed); break;
                        }
                        task.Description = $"cached {cached}, fetched {fetched}, failed {failed}";
                        task.Increment(1);
                    };
                    report = await resolver.ResolveAsync(needed, offline, cancel, refresh);
                    task.Value = task.MaxValue;
                });
        }
        else
        {
            if (!quiet && plainLines)
                resolver.Settled += r =>
                {
                    if (r.Outcome == Outcome.Fetched) stderr.WriteLine($"fetched {r.Identifier} ({r.Source}{(r.MatchedBy is null or "identifier" ? "" : ", " + r.MatchedBy)})");
                    else if (r.Outcome is Outcome.Failed or Outcome.NotFound) stderr.WriteLine($"failed  {r.Identifier}: {r.Message}");
                };
            report = await resolver.ResolveAsync(needed, offline, cancel, refresh);
        }
        return report;
    }

    public static void PrintSummary(ResolveReport report, TextWriter stderr)
    {
        foreach (var source in report.Sources.Order(StringComparer.Ordinal))
        {
            var total = report.Resolutions.Count(r => r.Source == source);
            if (total == 0) continue;
            stderr.WriteLine($"{source}: {total} works: {report.Count(source, Outcome.Cached)} cached, {report.Count(source, Outcome.Fetched)} fetched, " +
                $"{report.Count(source, Outcome.NotFound)} not found, {report.Count(source, Outcome.Failed)} failed, {report.Count(source, Outcome.Missing)} missing");
        }
        stderr.WriteLine($"{report.Requests} requests in {report.Elapsed.TotalSeconds:0.0} s");
        var failures = report.Failures.ToList();
        if (failures.Count == 0) return;
        stderr.WriteLine($"{failures.Count} not resolved:");
        // Many works failing for one reason (a service down, offline) read better as one line.
        foreach (var group in failures.GroupBy(f => f.Message))
        {
            if (group.Count() <= 5)
                foreach (var failure in group) stderr.WriteLine($"  {failure.Identifier}: {failure.Message}");
            else
                stderr.WriteLine($"  {group.Count()} works: {group.Key}: {string.Join(" ", group.Select(f => f.Identifier))}");
        }
    }
}
