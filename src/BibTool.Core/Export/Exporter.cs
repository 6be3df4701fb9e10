using BibTool.Identifiers;
using BibTool.Keys;
using BibTool.Model;
using BibTool.Survey;

namespace BibTool.Export;

/// <summary>
/// Survey rows to export items: one per distinct work in survey order (rows sharing an
/// identifier are one record), resolved works from the library, the rest built from what the
/// survey says and marked unresolved; keys pinned once given.
/// </summary>
public sealed class Exporter(Func<Identifier, Work?> lookup, KeyPins? pins, string? keyPattern = null, bool preferPublished = false)
{
    /// <summary>Rows read (after filters), and those naming no paper; known once the items are all out.</summary>
    public int Rows { get; private set; }
    public int RowsWithoutPaper { get; private set; }

    /// <summary>Works written under the key pinned to them before this run (a key pattern never changes those).</summary>
    public int KeptPinnedKeys { get; private set; }

    /// <summary>
    /// The items, produced one at a time as a writer asks for them. The rows are read twice (they
    /// must be re-readable): first to find which rows are one work, then to write each work where
    /// its first row is, so only a number per row and the later rows of shared works are held.
    /// </summary>
    /// <param name="rowsHint">About how many rows there are (the survey's), to size the tables once.</param>
    public IEnumerable<ExportItem> Items(IEnumerable<SurveyEntry> entries, int rowsHint = 0)
    {
        // Rows are one work when they share an identifier, or when their identifiers lead to one
        // record (a PMCID and the DOI it converts to): the first row's identifier names the group.
        var groupOfRow = new List<int>(rowsHint);
        var laterRows = new Dictionary<int, List<SurveyEntry>>();
        // Keyed by a 128-bit hash of each work key, not the key itself: a million-work survey's index
        // is a fifth of the size, and two keys sharing a hash are as likely as not at all.
        var index = new Dictionary<UInt128, int>(rowsHint);
        var groups = 0;
        foreach (var entry in entries)
        {
            var id = entry.Identifier;
            if (id.Type == IdentifierType.None) continue;
            var found = lookup(id);
            var groupKey = Hash(found?.Provenance.Canonical ?? id.WorkKey);
            var workKey = Hash(id.WorkKey);
            // A preprint and the journal version its record names are one work, whichever row comes first.
            UInt128? publishedKey = found is { IsPreprint: true, PublishedDoi: { } published } ? Hash("doi:" + IdentifierParser.NormalizeDoi(published)) : null;
            if (index.TryGetValue(groupKey, out var at) || index.TryGetValue(workKey, out at) || (publishedKey is { } p && index.TryGetValue(p, out at)))
            {
                (laterRows.TryGetValue(at, out var rows) ? rows : laterRows[at] = []).Add(entry);
                if (publishedKey is { } also) index.TryAdd(also, at);
            }
            else
            {
                at = groups++;
                index[groupKey] = index[workKey] = at;
                if (publishedKey is { } also) index.TryAdd(also, at);
            }
            groupOfRow.Add(at);
        }
        index = null!;

        var keys = new CitationKeys(keyPattern, pins?.Keys);
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var emitted = new System.Collections.BitArray(groups);
        var row = 0;
        (Rows, RowsWithoutPaper, KeptPinnedKeys) = (0, 0, 0);
        foreach (var entry in entries)
        {
            Rows++;
            var id = entry.Identifier;
            if (id.Type == IdentifierType.None)
            {
                RowsWithoutPaper++;
                continue;
            }
            var group = groupOfRow[row++];
            if (emitted[group]) continue;
            emitted[group] = true;
            IReadOnlyList<SurveyEntry> rows = laterRows.Remove(group, out var later) ? [entry, .. later] : [entry];
            var work = lookup(id) ?? BibTool.Sources.SourceRegistry.FromSurvey(id, rows);
            if (preferPublished) work = Published(work);
            // A key made from the survey alone is provisional: once the work resolves it gets its real
            // key, and the old one stays as an alias. Two works pinned to one key (keys.tsv edited by
            // hand): the later one gets a key of its own.
            var pinned = pins?.Find(work.Id);
            var stale = pinned is not null && work.Provenance.IsResolved && pins!.IsProvisional(work.Id);
            var keepPin = pinned is not null && !stale && !written.Contains(pinned);
            if (keepPin) KeptPinnedKeys++;
            var key = keepPin ? pinned! : keys.Assign(work, rows[0].Name);
            written.Add(key);
            pins?.Pin(work.Id, key, provisional: !work.Provenance.IsResolved);
            yield return new ExportItem(work, key, rows) { Aliases = pins is null ? [] : AliasesOf(work, key, rows, pins) };
        }
    }

    /// <summary>
    /// The keys a document may cite the work by besides its own: its old provisional keys, and the
    /// keys pinned to the other works its rows merged into it (a preprint and its journal version
    /// cited by two rows). Those stay pinned to their works in keys.tsv, so they are never given out
    /// again and come back if the rows part.
    /// </summary>
    private IReadOnlyList<string> AliasesOf(Work work, string key, IReadOnlyList<SurveyEntry> rows, KeyPins pins)
    {
        var own = pins.Aliases(work.Id);
        if (rows.Count == 1) return own;
        var aliases = new List<string>(own);
        foreach (var row in rows)
        {
            if (lookup(row.Identifier) is not { } other || other.Id == work.Id) continue;
            foreach (var alias in (string?[])[pins.Find(other.Id), .. pins.Aliases(other.Id)])
                if (alias is not null && alias != key && !aliases.Contains(alias)) aliases.Add(alias);
        }
        return aliases;
    }

    private static UInt128 Hash(string key) => System.IO.Hashing.XxHash128.HashToUInt128(System.Runtime.InteropServices.MemoryMarshal.AsBytes(key.AsSpan()));

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
