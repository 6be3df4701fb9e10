using BibTool.Resolve;
using BibTool.Sources;
using Spectre.Console;

namespace BibTool.Cli.Commands;

/// <summary>Shows a resolve run (Core's <see cref="ResolveService"/>) on a terminal: progress bar or plain lines, and the summary.</summary>
public static class ResolveRunner
{
    public static async Task<(WorkLibrary Library, ResolveReport Report)> RunAsync(
        BibToolSettings settings, IReadOnlyList<SourceRequest> requests, bool offline, bool quiet, TextWriter stderr, CancellationToken cancel, bool plainLines = true, bool refresh = false, TimeSpan? maxAge = null)
    {
        var service = new ResolveService(settings, Cli.Version);
        (WorkLibrary, ResolveReport) result = default;
        await Show(quiet, plainLines, stderr,
            async observer => result = await service.ResolveAsync(requests, offline, refresh, observer, cancel, maxAge));
        return result;
    }

    public static async Task<RefreshResult> RefreshAsync(BibToolSettings settings, IReadOnlyList<SourceRequest> requests, bool quiet, TextWriter stderr, CancellationToken cancel, RefreshScope? scope = null)
    {
        var service = new ResolveService(settings, Cli.Version);
        RefreshResult result = null!;
        await Show(quiet, true, stderr,
            async observer => result = await service.RefreshAsync(requests, observer, cancel, scope));
        return result;
    }

    /// <summary>Runs <paramref name="run"/> with progress shown; the bar learns how many works there are when the run starts.</summary>
    public static async Task Show(bool quiet, bool plainLines, TextWriter stderr, Func<ResolveObserver, Task> run)
    {
        void Warn(string message) => stderr.WriteLine($"warning: {message}");
        void Note(string message) { if (!quiet) stderr.WriteLine($"note: {message}"); }
        var interactive = !quiet && !Console.IsErrorRedirected && stderr == Console.Error && AnsiConsole.Profile.Capabilities.Interactive;
        if (!interactive)
        {
            // Works settle on the sources' threads, each line as it happens.
            var gate = new object();
            await run(new ResolveObserver
            {
                Warning = Warn,
                Note = Note,
                Plan = quiet ? null : line => { lock (gate) stderr.WriteLine(line); },
                Settled = quiet || !plainLines ? null : r =>
                {
                    lock (gate)
                    {
                        if (r.Outcome == Outcome.Fetched) stderr.WriteLine($"fetched {r.Identifier} ({r.Source}{(r.MatchedBy is null or "identifier" ? "" : ", " + r.MatchedBy)})");
                        else if (r.Outcome is Outcome.Failed or Outcome.NotFound) stderr.WriteLine($"failed  {r.Identifier}: {r.Message}");
                        else return;
                        stderr.Flush();
                    }
                },
            });
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("resolving", maxValue: 1);
                int cached = 0, fetched = 0, failed = 0;
                await run(new ResolveObserver
                {
                    Warning = Warn,
                    Note = Note,
                    Starting = (count, _) => task.MaxValue = Math.Max(1, count),
                    Plan = line => task.Description = line,
                    Settled = r =>
                    {
                        switch (r.Outcome)
                        {
                            case Outcome.Cached: Interlocked.Increment(ref cached); break;
                            case Outcome.Fetched: Interlocked.Increment(ref fetched); break;
                            default: Interlocked.Increment(ref failed); break;
                        }
                        task.Description = $"cached {cached}, fetched {fetched}, failed {failed}";
                        task.Increment(1);
                    },
                });
                task.Value = task.MaxValue;
            });
    }
}
