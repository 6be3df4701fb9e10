using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Resolve;
using BibTool.Sources.Arxiv;
using BibTool.Sources.Crossref;
using BibTool.Store;
using Spectre.Console;

namespace BibTool.Cli.Commands;

/// <summary>Runs the resolver for a command: store lock, clients, progress display, summary.</summary>
public static class ResolveRunner
{
    public static async Task<(WorkLibrary Library, ResolveReport Report)> RunAsync(
        BibToolSettings settings, IReadOnlyList<Identifier> identifiers, bool offline, bool quiet, TextWriter stderr, CancellationToken cancel, bool plainLines = true, bool refresh = false)
    {
        var store = new MetadataStore(settings.CacheDirectory);
        var needed = identifiers.Where(i => i.IsResolvable).Distinct().ToList();
        var tool = $"bibtool/{Cli.Version}";
        // A store that already has everything is only read: no lock, no clients (it may be read-only).
        // Aliases are followed, as the resolver does: an alias whose target is missing still needs fetching.
        offline |= !refresh && needed.All(i => store.TryReadFollowing(i, out _, out _, out _) == MetadataStore.ReadState.Ok);

        using var storeLock = offline ? null : store.Lock(TimeSpan.FromSeconds(10));
        using var crossrefClient = offline ? null : HttpSetup.CreateClient(settings.CrossrefUrl, HttpSetup.UserAgent(Cli.Version, settings.Mailto), settings.Timeout);
        using var arxivClient = offline ? null : HttpSetup.CreateClient(settings.ArxivUrl, HttpSetup.UserAgent(Cli.Version, settings.Mailto), settings.Timeout);
        var crossref = crossrefClient is null ? null : new CrossrefSource(crossrefClient, settings.Mailto, tool, attemptTimeout: settings.Timeout);
        var arxiv = arxivClient is null ? null : new ArxivSource(arxivClient, tool, attemptTimeout: settings.Timeout * 2);
        var resolver = new Resolver(store, crossref, arxiv);
        resolver.Damaged += problem => stderr.WriteLine($"warning: {problem}; fetching it again");

        if (!offline && settings.Mailto is null && needed.Any(i => i.Type == IdentifierType.Doi && store.Read(i) is null) && !quiet)
            stderr.WriteLine("note: no --mailto (or BIBTOOL_MAILTO): Crossref's public pool is slower than the polite pool");

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
                    if (r.Outcome == Outcome.Fetched) stderr.WriteLine($"fetched {r.Identifier}");
                    else if (r.Outcome is Outcome.Failed or Outcome.NotFound) stderr.WriteLine($"failed  {r.Identifier}: {r.Message}");
                };
            report = await resolver.ResolveAsync(needed, offline, cancel, refresh);
        }
        return (new WorkLibrary(store), report);
    }

    public static void PrintSummary(ResolveReport report, TextWriter stderr)
    {
        foreach (var source in new[] { "crossref", "arxiv" })
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
