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
    private readonly ConcurrentDictionary<Identifier, (Work? Work, string? Problem)> _cache = new();
    private readonly RecordChain _chain = new(store, registry ?? SourceRegistry.Default);

    public MetadataStore Store => store;

    public Work? Find(Identifier identifier) => Lookup(identifier).Work;

    /// <summary>The work, or why there is none (missing, not found, damaged, unreadable).</summary>
    public (Work? Work, string? Problem) Lookup(Identifier identifier)
    {
        if (!identifier.IsResolvable) return (null, "no identifier");
        // Remembering makes repeated look-ups cheap; a long streaming export turns it off to keep memory flat.
        return remember ? _cache.GetOrAdd(identifier, Load) : Load(identifier);
    }

    /// <summary>True when the store settles <paramref name="identifier"/> without the network (a work, or a stored negative answer).</summary>
    public bool IsSettled(Identifier identifier) =>
        _chain.Walk(identifier, ChainRun.OfflineReadOnly()).State is ChainState.Resolved or ChainState.NotFound;

    private (Work?, string?) Load(Identifier identifier)
    {
        var result = _chain.Walk(identifier, ChainRun.OfflineReadOnly());
        return result.State == ChainState.Resolved ? (result.Work, null) : (null, result.Message);
    }

    /// <summary>Maps one record file with the mapper of the source it names (whole-store export).</summary>
    public static Work? Normalize(string workId, StoredRecord record, SourceRegistry? registry = null)
    {
        var handler = (registry ?? SourceRegistry.Default).Named(record.Source ?? "") ?? throw new FormatException($"no source named '{record.Source}'");
        var work = handler.Map(workId, record);
        if (work is not null) work.Source = handler.Name;
        return work;
    }
}
