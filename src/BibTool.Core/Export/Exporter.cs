using System.Text.RegularExpressions;
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
public sealed partial class Exporter(Func<Identifier, Work?> lookup, KeyPins? pins, string? keyPattern = null)
{
    /// <summary>The items, produced one at a time as a writer asks for them.</summary>
    public IEnumerable<ExportItem> Items(IEnumerable<SurveyEntry> entries)
    {
        var groups = new List<(Identifier Id, List<SurveyEntry> Rows)>();
        var index = new Dictionary<Identifier, int>();
        foreach (var entry in entries)
        {
            if (entry.Identifier.Type == IdentifierType.None) continue;
            if (index.TryGetValue(entry.Identifier, out var at)) groups[at].Rows.Add(entry);
            else
            {
                index[entry.Identifier] = groups.Count;
                groups.Add((entry.Identifier, [entry]));
            }
        }

        var keys = new CitationKeys(keyPattern, pins?.Keys);
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, rows) in groups)
        {
            var work = (id.IsResolvable ? lookup(id) : null) ?? FromSurvey(id, rows);
            var key = pins?.Find(work.Id) is { } pinned && !written.Contains(pinned) ? pinned : keys.Assign(work, rows[0].Name);
            // Two works pinned to one key (keys.tsv edited by hand): the later one gets a key of its own.
            written.Add(key);
            pins?.Pin(work.Id, key);
            yield return new ExportItem(work, key, rows);
        }
    }

    [GeneratedRegex(@"(?<![\d.])(19[5-9]\d|20\d\d)(?![\d.])")]
    private static partial Regex YearInUrl();

    /// <summary>What the survey alone says: title from the link text (or the row's name), the URL, a year if the URL has one.</summary>
    public static Work FromSurvey(Identifier id, IReadOnlyList<SurveyEntry> rows)
    {
        var first = rows[0];
        var title = rows.Select(r => r.PaperTitle).FirstOrDefault(t => t.Length > 0) ?? first.Name;
        var work = new Work
        {
            Id = id.WorkKey,
            Type = id.Type == IdentifierType.Url ? "webpage" : "article",
            Title = RichText.FromPlain(title),
            Url = first.PaperUrl.Length > 0 ? first.PaperUrl : null,
            IsResolved = false,
            Source = "survey",
        };
        switch (id.Type)
        {
            case IdentifierType.Doi:
                work.Doi = id.Display;
                work.Url = "https://doi.org/" + id.Display;
                break;
            case IdentifierType.Arxiv:
                work.ArxivId = id.Value;
                work.IsPreprint = true;
                work.Publisher = "arXiv";
                work.Url = "https://arxiv.org/abs/" + id.Value;
                break;
            case IdentifierType.Pmid:
                work.Note = "PMID: " + id.Value;
                break;
            case IdentifierType.Pmcid:
                work.Note = "PMCID: " + id.Value;
                break;
            case IdentifierType.OpenReview:
                work.Publisher = "OpenReview";
                break;
        }
        var year = YearInUrl().Matches(first.PaperUrl).Select(m => int.Parse(m.Value)).Where(y => y <= DateTime.UtcNow.Year + 1).LastOrDefault();
        if (year > 0) work.Issued = new DateParts(year);
        return work;
    }
}
