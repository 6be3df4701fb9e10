using System.Collections.Concurrent;
using System.Diagnostics;
using BibTool.Http;
using BibTool.Resolve;
using BibTool.Sources.Arxiv;
using BibTool.Sources.Crossref;
using BibTool.Store;
using BibTool.Survey;
using BibTool.Tests.Support;

namespace BibTool.Benchmarks;

/// <summary>
/// Resolves a whole survey against loopback servers that enforce Crossref's 2026 polite limits
/// (10 requests in any 1 s window, 3 in flight) and arXiv's pacing (3 s between requests, one
/// connection), and reports requests per work, duplicates, violations, wall time and the floor
/// those limits allow. Responses are SYNTHETIC (the seed's works were never recorded).
/// </summary>
public static class ResolveBenchmark
{
    private const int Limit = 10, Concurrency = 3;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1), ArxivPace = TimeSpan.FromSeconds(3);

    /// <summary>What the resolve benchmark measured, for the summary table.</summary>
    public sealed record Summary(int Works, int Requests, int Violations, int Duplicates, double Wall, double Floor, bool Complete);

    /// <summary>The last run's figures (set by <see cref="RunAsync"/>).</summary>
    public static Summary? Last { get; private set; }

    /// <summary>
    /// <c>--runs N</c> resolves the survey N times, each against new servers and an empty store, in
    /// one process (the first run pays for JIT compilation; the median is what the gate costs).
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(Option(args, "--runs") ?? "1");
        var summaries = new List<Summary>();
        var failed = false;
        for (var run = 0; run < runs; run++)
        {
            if (runs > 1) Console.WriteLine($"-- run {run + 1} of {runs}");
            failed |= await RunOnceAsync(args) != 0;
            summaries.Add(Last!);
        }
        if (runs > 1)
        {
            var ratios = summaries.Select(s => s.Wall / s.Floor).Order().ToList();
            var median = summaries.OrderBy(s => s.Wall).ElementAt(runs / 2);
            Console.WriteLine($"== {runs} cold resolves: wall/floor median {ratios[runs / 2]:0.000} (min {ratios[0]:0.000}, max {ratios[^1]:0.000}); {summaries.Sum(s => s.Violations)} limit violations (each answered 429) in all");
            Last = median with { Violations = summaries.Sum(s => s.Violations) };
        }
        return failed ? 1 : 0;
    }

    private static async Task<int> RunOnceAsync(string[] args)
    {
        // --keep-store DIR: leave the resolved store there (the warm-rebuild benchmark reads it).
        var keep = Option(args, "--keep-store");
        var survey = Option(args, "--survey") ?? FindSeed();
        var latency = TimeSpan.FromMilliseconds(double.Parse(Option(args, "--latency") ?? "100"));
        var entries = SurveyReader.ReadFile(survey).Entries;
        var requests = BibTool.Sources.Survey.SurveySource.Requests(entries);
        var ids = requests.Select(r => r.Identifier).ToList();
        var dois = ids.Count(i => i.Type == BibTool.Identifiers.IdentifierType.Doi);
        var arxivIds = ids.Count(i => i.Type == BibTool.Identifiers.IdentifierType.Arxiv);

        var crossrefLog = new ConcurrentQueue<DateTime>();
        int rateViolations = 0, concurrencyViolations = 0, inFlight = 0;
        var crossrefRespond = Synthetic.Crossref(Limit, Concurrency, latency);
        await using var crossref = new LoopbackServer(async request =>
        {
            var now = DateTime.UtcNow;
            crossrefLog.Enqueue(now);
            var recent = crossrefLog.Count(t => now - t < Window);
            var flying = Interlocked.Increment(ref inFlight);
            try
            {
                if (recent > Limit) { Interlocked.Increment(ref rateViolations); if (Environment.GetEnvironmentVariable("BENCH_DEBUG") is not null) Console.Error.WriteLine($"violation at #{crossrefLog.Count}: " + string.Join(" ", crossrefLog.Where(t => now - t < Window + Window).Select(t => (now - t).TotalMilliseconds.ToString("0")))); }
                if (flying > Concurrency) Interlocked.Increment(ref concurrencyViolations);
                if (recent > Limit || flying > Concurrency)
                    return new Reply { Status = 429, Reason = "Too Many Requests", Headers = Synthetic.CrossrefHeaders(Limit, Concurrency), Body = "slow down"u8.ToArray() };
                var reply = crossrefRespond(request);
                await Task.Delay(reply.Delay);
                return new Reply { Body = reply.Body, Headers = reply.Headers };
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        });
        var crossrefViolations = 0;

        DateTime? lastArxivEnd = null;
        var arxivViolations = 0;
        var arxivFlying = 0;
        var arxivRespond = Synthetic.Arxiv();
        await using var arxiv = new LoopbackServer(async request =>
        {
            var now = DateTime.UtcNow;
            if (Interlocked.Increment(ref arxivFlying) > 1 || (lastArxivEnd is { } end && now - end < ArxivPace - TimeSpan.FromMilliseconds(1)))
                Interlocked.Increment(ref arxivViolations);
            await Task.Delay(latency);
            var reply = arxivRespond(request);
            lastArxivEnd = DateTime.UtcNow;
            Interlocked.Decrement(ref arxivFlying);
            return reply;
        });

        // The other sources, each checked against the limit bibtool promises it: NCBI 3 a second
        // (E-utilities and the PMC ID converter together), OpenReview 1 a second, landing pages 1 a
        // second per host (hosts told apart by the gateway path), DataCite 5 a second.
        var otherLog = new ConcurrentDictionary<string, ConcurrentQueue<DateTime>>();
        var otherViolations = new ConcurrentDictionary<string, int>();
        var othersRespond = Synthetic.OtherSources();
        await using var others = new LoopbackServer(async request =>
        {
            var now = DateTime.UtcNow;
            var (service, limit, window) = request.Path switch
            {
                var p when p.StartsWith("/dois/") => ("datacite", 5, Window),
                var p when p.StartsWith("/entrez/") || p.StartsWith("/tools/idconv/") => ("ncbi", 3, Window),
                "/notes" => ("openreview", 1, Window),
                var p => ("landing " + p.TrimStart('/').Split('/')[0], 1, Window),
            };
            var log = otherLog.GetOrAdd(service, _ => new ConcurrentQueue<DateTime>());
            log.Enqueue(now);
            // A 15 ms allowance for arrival jitter, as the Crossref check has through its margin.
            if (log.Count(t => now - t < window - TimeSpan.FromMilliseconds(15)) > limit) otherViolations.AddOrUpdate(service, 1, (_, n) => n + 1);
            await Task.Delay(latency);
            return othersRespond(request);
        });

        var store = Directory.CreateTempSubdirectory("bibtool-bench-");
        try
        {
            // Every source as the CLI builds it (production limits), with base URLs on loopback.
            var settings = new BibToolSettings { Mailto = "bench@example.org" }
                .With("crossref-url", crossref.BaseUrl).With("arxiv-url", arxiv.BaseUrl).With("datacite-url", others.BaseUrl).With("ncbi-url", others.BaseUrl)
                .With("openreview-url", others.BaseUrl).With("openalex-url", others.BaseUrl).With("landing-gateway", others.BaseUrl);
            var context = new BibTool.Sources.SourceContext(settings, "bench");
            var fetchers = BibTool.Sources.SourceRegistry.Default.Handlers.ToDictionary(h => h.Name, h => h.CreateFetcher(context));
            var arxivSource = (ArxivSource)fetchers["arxiv"];
            var clock = Stopwatch.StartNew();
            if (Environment.GetEnvironmentVariable("BENCH_DEBUG") is not null) Console.Error.WriteLine($"clock start {DateTime.UtcNow:HH:mm:ss.fff}");
            var report = await new Resolver(new MetadataStore(store.FullName), BibTool.Sources.SourceRegistry.Default, fetchers).ResolveAsync(requests, offline: false);
            clock.Stop();
            foreach (var fetcher in fetchers.Values) fetcher.Dispose();

            var requestCount = crossref.Requests.Count + arxiv.Requests.Count + others.Requests.Count;
            var duplicates = crossref.Requests.Count - crossref.Requests.Select(r => r.Path.ToLowerInvariant()).Distinct().Count()
                + arxiv.Requests.SelectMany(r => r.QueryValue("id_list")!.Split(',')).GroupBy(x => x).Sum(g => g.Count() - 1);
            var arxivBatches = (int)Math.Ceiling(arxivIds / (double)arxivSource.BatchSize);
            var crossrefCount = crossref.Requests.Count;
            var crossrefFloor = Math.Max((Math.Ceiling(crossrefCount / (double)Limit) - 1) * Window.TotalSeconds, Math.Ceiling(crossrefCount / (double)Concurrency) * latency.TotalSeconds - latency.TotalSeconds) + latency.TotalSeconds;
            var arxivFloor = arxivBatches == 0 ? 0 : (arxivBatches - 1) * (ArxivPace + latency).TotalSeconds + latency.TotalSeconds;
            // Each other source: its requests spaced by its limit; the busiest one sets its floor.
            var otherFloors = otherLog.ToDictionary(l => l.Key, l => (l.Value.Count - 1) * (l.Key == "ncbi" ? 1.0 / 3 : l.Key == "datacite" ? 0.2 : 1.0) + latency.TotalSeconds);
            var slowest = otherFloors.Append(new("crossref", crossrefFloor)).Append(new("arxiv", arxivFloor)).MaxBy(f => f.Value);
            // Plus one answer's latency: an alias (a PMCID's DOI, a page's DOI) is fetched in a later round.
            var floor = slowest.Value + latency.TotalSeconds;

            var byType = ids.GroupBy(i => i.TypeName).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}");
            Console.WriteLine($"survey            {Path.GetFileName(survey)}: {entries.Count} rows, {ids.Count} works ({string.Join(", ", byType)})");
            Console.WriteLine($"limits            Crossref {Limit}/{Window.TotalSeconds:0}s, {Concurrency} in flight; arXiv 1 per {ArxivPace.TotalSeconds:0}s; NCBI 3/s; OpenReview 1/s; landing pages 1/s per host; DataCite 5/s; latency {latency.TotalMilliseconds:0} ms");
            Console.WriteLine($"resolved          {report.Count(Outcome.Fetched)} fetched, {report.Failures.Count()} failed; by source: {string.Join(", ", report.Resolutions.GroupBy(r => r.Source).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}");
            Console.WriteLine($"requests          {requestCount} ({crossref.Requests.Count} Crossref, {arxiv.Requests.Count} arXiv, {string.Join(", ", otherLog.OrderBy(l => l.Key).Select(l => $"{l.Value.Count} {l.Key}"))}) = {requestCount / (double)ids.Count:0.00} per work");
            Console.WriteLine($"duplicates        {duplicates}");
            var others_ = otherViolations.Values.Sum();
            Console.WriteLine($"limit violations  {rateViolations + concurrencyViolations} Crossref ({rateViolations} rate, {concurrencyViolations} concurrency), {arxivViolations} arXiv, {others_} other ({string.Join(", ", otherViolations.Select(v => $"{v.Key} {v.Value}"))}); peak in flight {crossref.MaxInFlight}");
            Console.WriteLine($"wall time         {clock.Elapsed.TotalSeconds:0.000} s");
            if (Environment.GetEnvironmentVariable("BENCH_DEBUG") is not null)
            {
                var first = crossrefLog.First();
                Console.Error.WriteLine($"first crossref {first:HH:mm:ss.fff}, end {DateTime.UtcNow:HH:mm:ss.fff}");
                Console.Error.WriteLine("crossref arrivals (ms): " + string.Join(" ", crossrefLog.Select(t => (t - first).TotalMilliseconds.ToString("0"))));
                Console.Error.WriteLine("others: " + string.Join("; ", otherLog.Select(l => l.Key + " " + string.Join(" ", l.Value.Select(t => (t - first).TotalMilliseconds.ToString("0"))))));
                Console.Error.WriteLine("arxiv: " + string.Join(" ", arxiv.Requests.Count));
            }
            Console.WriteLine($"floor             {floor:0.000} s, set by {slowest.Key} (wall/floor = {clock.Elapsed.TotalSeconds / floor:0.000})");
            crossrefViolations = rateViolations + concurrencyViolations;
            Last = new Summary(ids.Count, requestCount, crossrefViolations + arxivViolations + others_, duplicates, clock.Elapsed.TotalSeconds, floor, report.Complete);
            if (keep is not null) CopyDirectory(store.FullName, keep);
            return duplicates == 0 && crossrefViolations == 0 && arxivViolations == 0 && others_ == 0 && report.Complete ? 0 : 1;
        }
        finally
        {
            store.Delete(recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    internal static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    internal static string FindSeed() => Path.Combine(RepoRoot(), "tests", "data", "healthcare-fm-survey.md");

    /// <summary>The folder holding bibtool.sln above the benchmark's binaries.</summary>
    internal static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "bibtool.sln"))) directory = directory.Parent;
        return directory?.FullName ?? ".";
    }
}
