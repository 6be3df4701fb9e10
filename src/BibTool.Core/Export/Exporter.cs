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
public sealed class Exporter(Func<Identifier, Work?> lookup, KeyPins? pins, string? keyPattern = null)
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
            if (index.TryGetValue(groupKey, out var at) || index.TryGetValue(id.WorkKey, out at)) groups[at].Rows.Add(entry);
            else
            {
                index[groupKey] = index[id.WorkKey] = groups.Count;
                groups.Add((id, [entry], found));
            }
        }

        var keys = new CitationKeys(keyPattern, pins?.Keys);
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, rows, found) in groups)
        {
            var work = found ?? SurveySource.Build(id, rows);
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
}
