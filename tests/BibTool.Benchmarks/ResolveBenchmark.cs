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

    public static async Task<int> RunAsync(string[] args)
    {
        var survey = Option(args, "--survey") ?? FindSeed();
        var latency = TimeSpan.FromMilliseconds(double.Parse(Option(args, "--latency") ?? "100"));
        var entries = SurveyReader.ReadFile(survey).Entries;
        var ids = entries.Select(e => e.Identifier).Where(i => i.IsResolvable).Distinct().ToList();
        var dois = ids.Count(i => i.Type == BibTool.Identifiers.IdentifierType.Doi);
        var arxivIds = ids.Count - dois;

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

        var store = Directory.CreateTempSubdirectory("bibtool-bench-");
        try
        {
            var tool = "bibtool/bench";
            var crossrefSource = new CrossrefSource(HttpSetup.CreateClient(crossref.BaseUrl, HttpSetup.UserAgent("bench", "bench@example.org"), TimeSpan.FromSeconds(5)), "bench@example.org", tool);
            var arxivSource = new ArxivSource(HttpSetup.CreateClient(arxiv.BaseUrl, HttpSetup.UserAgent("bench", null), TimeSpan.FromSeconds(5)), tool);
            var clock = Stopwatch.StartNew();
            var report = await new Resolver(new MetadataStore(store.FullName), crossrefSource, arxivSource).ResolveAsync(ids, offline: false);
            clock.Stop();

            var requests = crossref.Requests.Count + arxiv.Requests.Count;
            var duplicates = crossref.Requests.Count - crossref.Requests.Select(r => r.Path.ToLowerInvariant()).Distinct().Count()
                + arxiv.Requests.SelectMany(r => r.QueryValue("id_list")!.Split(',')).GroupBy(x => x).Sum(g => g.Count() - 1);
            var arxivBatches = (int)Math.Ceiling(arxivIds / (double)arxivSource.BatchSize);
            var crossrefFloor = Math.Max((Math.Ceiling(dois / (double)Limit) - 1) * Window.TotalSeconds, Math.Ceiling(dois / (double)Concurrency) * latency.TotalSeconds - latency.TotalSeconds) + latency.TotalSeconds;
            var arxivFloor = arxivBatches == 0 ? 0 : (arxivBatches - 1) * (ArxivPace + latency).TotalSeconds + latency.TotalSeconds;
            var floor = Math.Max(crossrefFloor, arxivFloor);

            Console.WriteLine($"survey            {Path.GetFileName(survey)}: {entries.Count} rows, {dois} DOIs, {arxivIds} arXiv ids");
            Console.WriteLine($"limits            Crossref {Limit}/{Window.TotalSeconds:0}s, {Concurrency} in flight; arXiv 1 per {ArxivPace.TotalSeconds:0}s; latency {latency.TotalMilliseconds:0} ms");
            Console.WriteLine($"resolved          {report.Count(Outcome.Fetched)} fetched, {report.Failures.Count()} failed");
            Console.WriteLine($"requests          {requests} ({crossref.Requests.Count} Crossref, {arxiv.Requests.Count} arXiv) = {requests / (double)ids.Count:0.00} per work");
            Console.WriteLine($"duplicates        {duplicates}");
            Console.WriteLine($"limit violations  {rateViolations + concurrencyViolations} Crossref ({rateViolations} rate, {concurrencyViolations} concurrency), {arxivViolations} arXiv; peak in flight {crossref.MaxInFlight}");
            Console.WriteLine($"wall time         {clock.Elapsed.TotalSeconds:0.000} s");
            Console.WriteLine($"floor             {floor:0.000} s (wall/floor = {clock.Elapsed.TotalSeconds / floor:0.000})");
            crossrefViolations = rateViolations + concurrencyViolations;
            return duplicates == 0 && crossrefViolations == 0 && arxivViolations == 0 && report.Complete ? 0 : 1;
        }
        finally
        {
            store.Delete(recursive: true);
        }
    }

    internal static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    internal static string FindSeed()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "bibtool.sln"))) directory = directory.Parent;
        return Path.Combine(directory?.FullName ?? ".", "tests", "data", "healthcare-fm-survey.md");
    }
}
