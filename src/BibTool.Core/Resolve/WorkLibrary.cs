using System.Collections.Concurrent;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Sources.Arxiv;
using BibTool.Sources.Crossref;
using BibTool.Store;

namespace BibTool.Resolve;

/// <summary>
/// Reads works from the store, normalizing raw records on every read (a better mapper never
/// needs a refetch). Aliases are followed; a 404 or an absent arXiv id reads as "no work".
/// </summary>
public sealed class WorkLibrary(MetadataStore store, bool remember = true)
{
    private readonly ConcurrentDictionary<Identifier, (Work? Work, string? Problem)> _cache = new();

    public MetadataStore Store => store;

    public Work? Find(Identifier identifier) => Lookup(identifier).Work;

    /// <summary>The work, or why there is none (missing, not found, damaged, unreadable).</summary>
    public (Work? Work, string? Problem) Lookup(Identifier identifier)
    {
        if (!identifier.IsResolvable) return (null, $"{identifier.TypeName} identifiers have no metadata source");
        // Remembering makes repeated look-ups cheap; a long streaming export turns it off to keep memory flat.
        return remember ? _cache.GetOrAdd(identifier, Load) : Load(identifier);
    }

    private (Work?, string?) Load(Identifier identifier)
    {
        var state = store.TryReadFollowing(identifier, out var record, out var answered, out var problem);
        if (state == MetadataStore.ReadState.Missing) return (null, $"{answered} is not in the store");
        if (state == MetadataStore.ReadState.Damaged) return (null, problem);
        if (record!.IsNotFound) return (null, $"{answered} was not found at its source ({record.Status})");
        try
        {
            return (Normalize(identifier.WorkKey, answered.Type, record), null);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or System.Xml.XmlException or FormatException)
        {
            return (null, $"{answered}: stored response cannot be read ({e.Message})");
        }
    }

    /// <summary>Maps a raw record with the mapper of the source it came from.</summary>
    public static Work Normalize(string workId, IdentifierType source, StoredRecord record) =>
        source == IdentifierType.Doi
            ? CrossrefMapper.Map(workId, record.Body)
            : ArxivMapper.Map(workId, ArxivSource.ParseStoredEntry(record.Body));
}
