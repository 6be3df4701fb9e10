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
        var current = identifier;
        for (var hop = 0; hop < 4; hop++)
        {
            var state = store.TryRead(current, out var record, out var problem);
            if (state == MetadataStore.ReadState.Missing) return (null, $"{current} is not in the store");
            if (state == MetadataStore.ReadState.Damaged) return (null, problem);
            if (record!.AliasOf is { } alias)
            {
                current = IdentifierParser.Parse(alias.StartsWith("doi:", StringComparison.Ordinal) ? alias : "doi:" + alias);
                continue;
            }
            if (record.IsNotFound) return (null, $"{current} was not found at its source ({record.Status})");
            try
            {
                return (Normalize(identifier.WorkKey, current.Type, record), null);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or System.Xml.XmlException or FormatException)
            {
                return (null, $"{current}: stored response cannot be read ({e.Message})");
            }
        }
        return (null, $"{identifier}: too many aliases");
    }

    /// <summary>Maps a raw record with the mapper of the source it came from.</summary>
    public static Work Normalize(string workId, IdentifierType source, StoredRecord record) =>
        source == IdentifierType.Doi
            ? CrossrefMapper.Map(workId, record.Body)
            : ArxivMapper.Map(workId, ArxivSource.ParseStoredEntry(record.Body));
}
