using BibTool.Identifiers;
using BibTool.Keys;
using BibTool.Model;
using BibTool.Survey;
using BibTool.Sources.Survey;

namespace BibTool.Export;

/// <summary>
/// Survey rows to export items: one per distinct work in survey order (rows sharing an
/// identifier are one record), resolved works from the library, the rest built from what the
/// survey says and marked unresolved; keys pinned once given.
/// </summary>
public sealed class Exporter(Func<Identifier, Work?> lookup, KeyPins? pins, string? keyPattern = null, bool preferPublished = false)
{
    /// <summary>The items, produced one at a time as a writer asks for them.</summary>
    public IEnumerable<ExportItem> Items(IEnumerable<SurveyEntry> entries)
    {
        // Rows are one work when they share an identifier, or when their identifiers lead to one
        // record (a PMCID and the DOI it converts to): the first row's identifier names the group.
        var groups = new List<(Identifier Id, List<SurveyEntry> Rows, Work? Work)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var works = new Dictionary<Identifier, Work?>();
        foreach (var entry in entries)
        {
            var id = entry.Identifier;
            if (id.Type == IdentifierType.None) continue;
            if (!works.TryGetValue(id, out var found)) works[id] = found = lookup(id);
            var groupKey = found?.Canonical ?? id.WorkKey;
            // A preprint and the journal version its record names are one work, whichever row comes first.
            var publishedKey = found is { IsPreprint: true, PublishedDoi: { } published } ? "doi:" + IdentifierParser.NormalizeDoi(published) : null;
            if (index.TryGetValue(groupKey, out var at) || index.TryGetValue(id.WorkKey, out at) || (publishedKey is not null && index.TryGetValue(publishedKey, out at)))
            {
                groups[at].Rows.Add(entry);
                if (publishedKey is not null) index.TryAdd(publishedKey, at);
            }
            else
            {
                index[groupKey] = index[id.WorkKey] = groups.Count;
                if (publishedKey is not null) index.TryAdd(publishedKey, groups.Count);
                groups.Add((id, [entry], found));
            }
        }

        var keys = new CitationKeys(keyPattern, pins?.Keys);
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, rows, found) in groups)
        {
            var work = found ?? SurveySource.Build(id, rows);
            if (preferPublished) work = Published(work);
            // A key made from the survey alone is provisional: once the work resolves it gets its real
            // key, and the old one stays as an alias. Two works pinned to one key (keys.tsv edited by
            // hand): the later one gets a key of its own.
            var pinned = pins?.Find(work.Id);
            var stale = pinned is not null && work.IsResolved && pins!.IsProvisional(work.Id);
            var key = pinned is not null && !stale && !written.Contains(pinned) ? pinned : keys.Assign(work, rows[0].Name);
            written.Add(key);
            pins?.Pin(work.Id, key, provisional: !work.IsResolved);
            yield return new ExportItem(work, key, rows) { Aliases = pins?.Aliases(work.Id) ?? [] };
        }
    }

    /// <summary>
    /// The journal version of a preprint, when its record names one and the store has it: written
    /// under the preprint's identity (its key does not change) and keeping the preprint's id
    /// (eprint fields), so both stay findable from the one record.
    /// </summary>
    private Work Published(Work work)
    {
        if (work is not { IsPreprint: true, PublishedDoi: { } doi } || lookup(IdentifierParser.Parse("doi:" + doi)) is not { IsPreprint: false } published) return work;
        var merged = published.Copy();
        merged.Id = work.Id;
        merged.Eprint ??= work.Eprint;
        return merged;
    }
}
