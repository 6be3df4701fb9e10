using BibTool.Identifiers;
using BibTool.Sources;
using BibTool.Store;

namespace BibTool.Resolve;

public enum Outcome { Cached, Fetched, NotFound, Failed, Missing }

/// <param name="Source">The source that answered, or the last one asked.</param>
public sealed record Resolution(Identifier Identifier, Outcome Outcome, string? Message, string Source = "", string? MatchedBy = null, double? Score = null);

public sealed record ResolveReport(IReadOnlyList<Resolution> Resolutions, int Requests, TimeSpan Elapsed)
{
    public int Count(Outcome outcome) => Resolutions.Count(r => r.Outcome == outcome);
    public int Count(string source, Outcome outcome) => Resolutions.Count(r => r.Source == source && r.Outcome == outcome);
    public bool Complete => Resolutions.All(r => r.Outcome is Outcome.Cached or Outcome.Fetched);
    public IEnumerable<Resolution> Failures => Resolutions.Where(r => r.Outcome is not (Outcome.Cached or Outcome.Fetched));
    public IEnumerable<string> Sources => Resolutions.Select(r => r.Source).Distinct();
}

/// <summary>
/// Store first: every identifier whose chain of sources ends in a sound record is a cache hit;
/// the rest are fetched in rounds. Each round walks every unsettled identifier's chain, groups
/// what is missing by source, and runs all sources at once, each within its own limits; each
/// answer is written to the store the moment it arrives, so an interrupted run loses nothing.
/// The next round follows what the answers said (a 404 passes to the next source, an alias to
/// its target), until every identifier is settled.
/// </summary>
public sealed class Resolver
{
    private const int MaxRounds = 8;
    private readonly RecordChain _chain;
    private readonly IReadOnlyDictionary<string, ISourceFetcher> _fetchers;

    public Resolver(MetadataStore store, SourceRegistry registry, IReadOnlyDictionary<string, ISourceFetcher> fetchers)
    {
        _chain = new RecordChain(store, registry);
        _fetchers = fetchers;
    }

    public static Dictionary<string, ISourceFetcher> Fetchers(params (string Name, ISourceFetcher? Fetcher)[] fetchers) =>
        fetchers.Where(f => f.Fetcher is not null).ToDictionary(f => f.Name, f => f.Fetcher!);

    /// <summary>Called for each identifier as it is settled (for progress bars).</summary>
    public event Action<Resolution>? Settled;

    /// <summary>Called for each damaged record found in the store (it is then refetched).</summary>
    public event Action<string>? Damaged;

    public Task<ResolveReport> ResolveAsync(IEnumerable<Identifier> identifiers, bool offline, CancellationToken cancel = default, bool refresh = false) =>
        ResolveAsync(identifiers.Select(i => new SourceRequest(i)), offline, cancel, refresh);

    /// <param name="refresh">Fetch every record again, even those the store has (the new answers replace the old).</param>
    public async Task<ResolveReport> ResolveAsync(IEnumerable<SourceRequest> requests, bool offline, CancellationToken cancel = default, bool refresh = false, TimeSpan? maxAge = null)
    {
        var started = DateTime.UtcNow;
        var distinct = new Dictionary<Identifier, SourceRequest>();
        foreach (var request in requests)
            if (request.Identifier.IsResolvable) distinct.TryAdd(request.Identifier, request);
        var run = new ChainRun(offline, refresh, _fetchers.ContainsKey, maxAge);
        run.Damaged += problem => Damaged?.Invoke(problem);

        var resolutions = new List<Resolution>();
        var fetchedFor = new HashSet<Identifier>();
        var before = _fetchers.Values.Sum(f => f.RequestsMade);
        var pending = distinct.Keys.ToList();
        for (var round = 0; pending.Count > 0; round++)
        {
            var wanted = new Dictionary<string, Dictionary<Identifier, SourceRequest>>();
            var waiting = new List<Identifier>();
            // Which works wait on each fetch: a work settles as soon as its answer is in, not when the
            // round's slowest source is done (arXiv's pacing held every Crossref work for seconds).
            var waitersOf = new Dictionary<Identifier, List<Identifier>>();
            var settledEarly = new System.Collections.Concurrent.ConcurrentDictionary<Identifier, bool>();
            foreach (var id in pending)
            {
                var result = round < MaxRounds ? _chain.Walk(id, run) : ChainResult.Failed($"{id}: still unsettled after {MaxRounds} rounds of fetching");
                if (result.State != ChainState.NeedsFetch)
                {
                    Settle(resolutions, id, result, fetchedFor.Contains(id));
                    continue;
                }
                var perSource = wanted.TryGetValue(result.Source!.Name, out var list) ? list : wanted[result.Source.Name] = [];
                // A search asks with what the survey says of the row the chain started from.
                perSource.TryAdd(result.Fetch!, result.Fetch!.Equals(id) ? distinct[id] : new SourceRequest(result.Fetch!, distinct[id].Title));
                (waitersOf.TryGetValue(result.Fetch!, out var waiters) ? waiters : waitersOf[result.Fetch!] = []).Add(id);
                waiting.Add(id);
                fetchedFor.Add(id);
            }
            if (wanted.Count == 0) break;
            void Answered(Identifier fetched)
            {
                if (!waitersOf.TryGetValue(fetched, out var ids)) return;
                foreach (var id in ids)
                {
                    // A work whose chain needs a further fetch waits for the next round.
                    var result = _chain.Walk(id, run);
                    if (result.State != ChainState.NeedsFetch && settledEarly.TryAdd(id, true)) Settle(resolutions, id, result, fetched: true);
                }
            }
            await Task.WhenAll(wanted.Select(w => FetchAsync(w.Key, w.Value.Values.ToList(), run, Answered, cancel))).ConfigureAwait(false);
            pending = waiting.Where(id => !settledEarly.ContainsKey(id)).ToList();
        }

        var order = distinct.Keys.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        lock (resolutions) resolutions.Sort((a, b) => order[a.Identifier].CompareTo(order[b.Identifier]));
        return new ResolveReport(resolutions, _fetchers.Values.Sum(f => f.RequestsMade) - before, DateTime.UtcNow - started);
    }

    private Task FetchAsync(string source, IReadOnlyList<SourceRequest> requests, ChainRun run, Action<Identifier> answered, CancellationToken cancel) =>
        _fetchers[source].FetchAsync(requests, result =>
        {
            foreach (var (id, record) in result.Records)
            {
                _chain.Store.Write(id, record.Source is null ? record.WithSource(source) : record);
                run.MarkFetched(record.Source ?? source, id);
            }
            run.MarkFetched(source, result.Identifier);
            if (result.Records.Count == 0) run.MarkFailed(source, result.Identifier, result.Error ?? "no answer");
            answered(result.Identifier);
        }, cancel);

    private void Settle(List<Resolution> resolutions, Identifier id, ChainResult result, bool fetched)
    {
        var resolution = result.State switch
        {
            ChainState.Resolved => new Resolution(id, fetched ? Outcome.Fetched : Outcome.Cached, null, result.Work!.Provenance.Source, result.Work.Provenance.MatchedBy, result.Work.Provenance.Score),
            ChainState.NotFound => new Resolution(id, Outcome.NotFound, result.Message, LastSource(id)),
            ChainState.Missing => new Resolution(id, Outcome.Missing, result.Message, LastSource(id)),
            _ => new Resolution(id, Outcome.Failed, result.Message, LastSource(id)),
        };
        lock (resolutions) resolutions.Add(resolution);
        Settled?.Invoke(resolution);
    }

    private string LastSource(Identifier id) => _chain.Registry.ChainFor(id).FirstOrDefault()?.Name ?? "";
}
