using System.Globalization;
using System.Text;

namespace BibTool.Sources;

/// <summary>
/// How alike two titles are: both folded (case, accents, punctuation, spacing), then one minus
/// their edit distance over the longer length. A match is strong at <see cref="Threshold"/> or
/// more and when the years (if both are known) differ by at most one (preprint, then print).
/// </summary>
public static class TitleMatch
{
    public const double Threshold = 0.9;

    public readonly record struct Candidate(string Id, string Title, int? Year, double Score, bool YearMismatch)
    {
        public bool Strong => Score >= Threshold && !YearMismatch;
    }

    public static Candidate? Best(string query, int? year, IEnumerable<(string Id, string Title, int? Year)> items)
    {
        Candidate? best = null;
        foreach (var (id, title, itemYear) in items)
        {
            var score = Similarity(query, title);
            var mismatch = year is { } y && itemYear is { } iy && Math.Abs(y - iy) > 1;
            var candidate = new Candidate(id, title, itemYear, score, mismatch);
            if (best is null || (candidate.Strong && !best.Value.Strong) || (candidate.Strong == best.Value.Strong && score > best.Value.Score)) best = candidate;
        }
        return best;
    }

    /// <summary>
    /// The stored answer of a title search: a strong match is an alias to the identifier it names
    /// (with the score and the query), anything else a negative answer that says what the best
    /// candidate was and why it was not taken.
    /// </summary>
    public static FetchResult Record(string source, string service, string idType, BibTool.Sources.SourceRequest request, BibTool.Http.HttpAnswer? answer, string? error, int used,
        Func<byte[], List<(string Id, string Title, int? Year)>?> candidates, string tool, string? matchedBy = null)
    {
        var id = request.Identifier;
        if (answer is null) return BibTool.Sources.FetchResult.Fail(id, error!, used);
        if (answer.Status != System.Net.HttpStatusCode.OK || candidates(answer.Body) is not { } items)
            return BibTool.Sources.FetchResult.Fail(id, $"HTTP {answer.Code} from {service}: {BibTool.Sources.Records.Snippet(answer.Body)}", used);
        var best = Best(request.Title!, request.Year, items);
        var extra = new Dictionary<string, string> { ["query"] = request.Title! };
        if (best is { } b)
        {
            extra["score"] = b.Score.ToString("0.000", CultureInfo.InvariantCulture);
            extra["candidate"] = $"{idType}:{b.Id} \"{BibTool.Text.Scrub.OneLine(b.Title)}\"{(b.Year is { } y ? $" ({y})" : "")}";
        }
        if (best is { Strong: true } match && BibTool.Identifiers.IdentifierParser.ParseKey($"{idType}:{match.Id}") is { IsResolvable: true } target)
        {
            extra["alias-of"] = target.WorkKey;
            extra["matched-by"] = $"{matchedBy ?? (idType == "doi" ? "title search" : "arXiv title search")} (score {match.Score.ToString("0.00", CultureInfo.InvariantCulture)})";
            return new BibTool.Sources.FetchResult(id, [(id, BibTool.Sources.Records.From(source, id, answer, tool, extra))], null, used);
        }
        extra["absent"] = best is null ? "the search found nothing" : $"no strong match (best: {extra["candidate"]}, score {extra["score"]}{(best.Value.YearMismatch ? ", year differs" : "")})";
        return new BibTool.Sources.FetchResult(id, [(id, BibTool.Sources.Records.From(source, id, answer, tool, extra))], $"not found by {service}: {extra["absent"]}", used);
    }

    public static double Similarity(string a, string b)
    {
        var x = Fold(a);
        var y = Fold(b);
        if (x.Length == 0 || y.Length == 0) return 0;
        return 1.0 - (double)BibTool.Text.EditDistance.Between(x, y) / Math.Max(x.Length, y.Length);
    }

    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in BibTool.Text.UnicodeNormalization.Decompose(BibTool.Text.Scrub.Surrogates(text)))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(c))
            {
                if (space && sb.Length > 0) sb.Append(' ');
                space = false;
                sb.Append(char.ToLowerInvariant(c));
            }
            else space = true;
        }
        return sb.ToString();
    }
}
