using BibTool.Identifiers;
using BibTool.Sources;
using BibTool.Sources.Arxiv;
using BibTool.Sources.Crossref;
using BibTool.Store;

namespace BibTool.Resolve;

public enum Outcome { Cached, Fetched, NotFound, Failed, Missing }

public sealed record Resolution(Identifier Identifier, Outcome Outcome, string? Message)
{
    public string Source => Identifier.Type == IdentifierType.Arxiv ? "arxiv" : "crossref";
}

public sealed record ResolveReport(IReadOnlyList<Resolution> Resolutions, int Requests, TimeSpan Elapsed)
{
    public int Count(Outcome outcome) => Resolutions.Count(r => r.Outcome == outcome);
    public int Count(string source, Outcome outcome) => Resolutions.Count(r => r.Source == source && r.Outcome == outcome);
    public bool Complete => Resolutions.All(r => r.Outcome is Outcome.Cached or Outcome.Fetched);
    public IEnumerable<Resolution> Failures => Resolutions.Where(r => r.Outcome is not (Outcome.Cached or Outcome.Fetched));
}

/// <summary>
/// Store first: every identifier with a sound record is a cache hit; the rest are fetched (DOIs
/// from Crossref concurrently within its limits, arXiv ids in paced batches, both at once) and
/// each answer is written to the store the moment it arrives, so an interrupted run loses nothing.
/// </summary>
public sealed class Resolver(MetadataStore store, CrossrefSource? crossref, ArxivSource? arxiv)
{
    /// <summary>Called for each identifier as it is settled (for progress bars).</summary>
    public event Action<Resolution>? Settled;

    /// <summary>Called for each damaged record found in the store (it is then refetched).</summary>
    public event Action<string>? Damaged;

    /// <param name="refresh">Fetch every identifier again, even those the store has (the new answers replace the old).</param>
    public async Task<ResolveReport> ResolveAsync(IEnumerable<Identifier> identifiers, bool offline, CancellationToken cancel = default, bool refresh = false)
    {
        var started = DateTime.UtcNow;
        var distinct = identifiers.Where(i => i.IsResolvable).Distinct().ToList();
        var resolutions = new List<Resolution>();
        var toFetch = new List<Identifier>();
        foreach (var id in distinct)
        {
            var state = refresh && !offline ? null : Check(id);
            if (state is { } done) Settle(resolutions, done);
            else if (offline) Settle(resolutions, new Resolution(id, Outcome.Missing, "not in the store (offline)"));
            else toFetch.Add(id);
        }

        var requests = 0;
        var crossrefTask = FetchCrossrefAsync(toFetch.Where(i => i.Type == IdentifierType.Doi).ToList(), resolutions, cancel);
        var arxivTask = FetchArxivAsync(toFetch.Where(i => i.Type == IdentifierType.Arxiv).ToList(), resolutions, cancel);
        requests += await crossrefTask.ConfigureAwait(false);
        requests += await arxivTask.ConfigureAwait(false);

        var order = distinct.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        lock (resolutions) resolutions.Sort((a, b) => order[a.Identifier].CompareTo(order[b.Identifier]));
        return new ResolveReport(resolutions, requests, DateTime.UtcNow - started);
    }

    /// <summary>A settled resolution from the store alone, or null when the identifier must be fetched.</summary>
    private Resolution? Check(Identifier id)
    {
        var state = store.TryReadFollowing(id, out var record, out _, out var problem);
        if (state == MetadataStore.ReadState.Missing) return null;
        if (state == MetadataStore.ReadState.Damaged)
        {
            Damaged?.Invoke(problem!);
            return null;
        }
        return record!.IsNotFound
            ? new Resolution(id, Outcome.NotFound, $"not found at {(id.Type == IdentifierType.Arxiv ? "arXiv" : "Crossref")} (stored answer from {record.Fetched:yyyy-MM-dd})")
            : new Resolution(id, Outcome.Cached, null);
    }

    private async Task<int> FetchCrossrefAsync(List<Identifier> dois, List<Resolution> resolutions, CancellationToken cancel)
    {
        if (dois.Count == 0) return 0;
        if (crossref is null) throw new InvalidOperationException("no Crossref client configured");
        var requests = 0;
        var tasks = dois.Select(async doi =>
        {
            var result = await crossref.FetchAsync(doi, cancel).ConfigureAwait(false);
            Interlocked.Add(ref requests, result.Requests);
            Store(result, resolutions);
        });
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return requests;
    }

    private async Task<int> FetchArxivAsync(List<Identifier> ids, List<Resolution> resolutions, CancellationToken cancel)
    {
        if (ids.Count == 0) return 0;
        if (arxiv is null) throw new InvalidOperationException("no arXiv client configured");
        var before = arxiv.RequestsMade;
        await arxiv.FetchAsync(ids, result => Store(result, resolutions), cancel).ConfigureAwait(false);
        return arxiv.RequestsMade - before;
    }

    private void Store(FetchResult result, List<Resolution> resolutions)
    {
        foreach (var (id, record) in result.Records) store.Write(id, record);
        var outcome = result.Error is null ? Outcome.Fetched : result.Records.Count > 0 ? Outcome.NotFound : Outcome.Failed;
        Settle(resolutions, new Resolution(result.Identifier, outcome, result.Error));
    }

    private void Settle(List<Resolution> resolutions, Resolution resolution)
    {
        lock (resolutions) resolutions.Add(resolution);
        Settled?.Invoke(resolution);
    }
}
