using System.Text.RegularExpressions;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Survey;

namespace BibTool.Sources.Survey;

/// <summary>
/// The source of last resort, asked by nobody over the network: what the survey itself says of a
/// work that no metadata source could give (offline, not found, a service down). Its records are
/// marked unresolved, so writers add a note and exports warn.
/// </summary>
public static partial class SurveySource
{
    [GeneratedRegex(@"(?<![\d.])(19[5-9]\d|20\d\d)(?![\d.])")]
    private static partial Regex YearInUrl();

    /// <summary>The year a survey row's URL names (2023 in …/2023/hash/…), for dating and for checking search matches.</summary>
    public static int? YearIn(string url)
    {
        var year = YearInUrl().Matches(url).Select(m => int.Parse(m.Value)).Where(y => y <= DateTime.UtcNow.Year + 1).LastOrDefault();
        return year > 0 ? year : null;
    }

    /// <summary>What a resolver can search by for a row: its title (link text, else the row's name) and the year its URL names.</summary>
    public static SourceRequest Request(SurveyEntry row) =>
        new(row.Identifier, row.PaperTitle.Length > 0 ? row.PaperTitle : row.Name.Length > 0 ? row.Name : null, YearIn(row.PaperUrl));

    /// <summary>One request per distinct identifier, in survey order.</summary>
    public static List<SourceRequest> Requests(IEnumerable<SurveyEntry> rows) =>
        rows.Where(r => r.Identifier.IsResolvable).GroupBy(r => r.Identifier).Select(g => Request(g.First())).ToList();

    /// <summary>What the survey alone says: title from the link text (or the row's name), the URL, a year if the URL has one.</summary>
    public static Work Build(Identifier id, IReadOnlyList<SurveyEntry> rows)
    {
        var first = rows[0];
        var title = rows.Select(r => r.PaperTitle).FirstOrDefault(t => t.Length > 0) ?? first.Name;
        var work = new Work
        {
            Id = id.WorkKey,
            Type = "article",
            Title = RichText.FromPlain(title),
            Url = first.PaperUrl.Length > 0 ? first.PaperUrl : null,
            Provenance = { IsResolved = false, Source = "survey" },
        };
        // What the identifier alone says: a DOI, a preprint id, a PubMed id in the note …
        id.Type.Describe(work, id);
        var year = YearInUrl().Matches(first.PaperUrl).Select(m => int.Parse(m.Value)).Where(y => y <= DateTime.UtcNow.Year + 1).LastOrDefault();
        if (year > 0) work.Issued = new DateParts(year);
        return work;
    }
}
