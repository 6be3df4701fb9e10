using System.Collections.Concurrent;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Sources;
using BibTool.Store;

namespace BibTool.Resolve;

/// <summary>
/// Reads works from the store, normalizing raw records on every read (a better mapper never
/// needs a refetch): each identifier's chain of sources is walked offline, aliases followed, and
/// the record is read by the mapper of the source it names. A negative answer reads as "no work".
/// </summary>
public sealed class WorkLibrary(MetadataStore store, bool remember = true, SourceRegistry? registry = null)
{
    // Lazy: a work asked for while a prefetching thread reads it is read once, and waited for.
    private readonly ConcurrentDictionary<Identifier, Lazy<(Work? Work, string? Problem)>> _cache = new();
    private readonly RecordChain _chain = new(store, registry ?? SourceRegistry.Default);

    public MetadataStore Store => store;

    public Work? Find(Identifier identifier) => Lookup(identifier).Work;

    /// <summary>The work, or why there is none (missing, not found, damaged, unreadable).</summary>
    public (Work? Work, string? Problem) Lookup(Identifier identifier)
    {
        if (!identifier.IsResolvable) return (null, "no identifier");
        // Remembering makes repeated look-ups cheap; a long streaming export turns it off to keep memory flat.
        return remember ? _cache.GetOrAdd(identifier, id => new Lazy<(Work?, string?)>(() => Load(id))).Value : Load(identifier);
    }

    /// <summary>
    /// Starts reading <paramref name="identifiers"/>' works on <paramref name="threads"/> pool
    /// threads, in order, and returns at once: whoever asks for a work then finds it read, or being
    /// read, or reads it itself. A small survey's export writes while its works are still being
    /// read, so reading and writing share the cores. Nothing is prefetched without <c>remember</c>.
    /// </summary>
    public void Prefetch(IReadOnlyList<Identifier> identifiers, int threads)
    {
        if (!remember || identifiers.Count == 0) return;
        var next = -1;
        for (var t = 0; t < Math.Max(1, threads); t++)
            _ = Task.Run(() =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < identifiers.Count)
                {
                    // A failure is the asker's to see: Lazy keeps it for them.
                    try { Lookup(identifiers[i]); }
                    catch (Exception) { }
                }
            });
    }

    /// <summary>True when the store settles <paramref name="identifier"/> without the network (a work, or a stored negative answer).</summary>
    public bool IsSettled(Identifier identifier) =>
        _chain.Walk(identifier, ChainRun.OfflineReadOnly()).State is ChainState.Resolved or ChainState.NotFound;

    private (Work?, string?) Load(Identifier identifier)
    {
        var result = _chain.Walk(identifier, ChainRun.OfflineReadOnly());
        if (result.State != ChainState.Resolved) return (null, result.Message);
        if (result.Work is { IsPreprint: true, PublishedDoi: null } preprint) AddPublishedVersion(preprint);
        return (result.Work, null);
    }

    /// <summary>A published version found by the title and author search, stored beside the preprint's record.</summary>
    private void AddPublishedVersion(Work preprint)
    {
        var key = IdentifierParser.ParseKey(preprint.Id);
        if (!key.IsResolvable || store.TryRead(Sources.SourceRegistry.PublishedVersionSearch, key, out var record, out _) != MetadataStore.ReadState.Ok) return;
        if (record!.AliasOf is { } alias && alias.StartsWith("doi:", StringComparison.Ordinal))
        {
            preprint.PublishedDoi = alias["doi:".Length..];
            preprint.Provenance.PublishedFoundBy = record.Extra.GetValueOrDefault("matched-by");
        }
    }

    /// <summary>Maps one record file with the mapper of the source it names (whole-store export).</summary>
    public static Work? Normalize(string workId, StoredRecord record, SourceRegistry? registry = null)
    {
        var handler = (registry ?? SourceRegistry.Default).Named(record.Source ?? "") ?? throw new FormatException($"no source named '{record.Source}'");
        var work = handler.Map(workId, record);
        if (work is not null) work.Provenance.Source = handler.Name;
        return work;
    }
}
