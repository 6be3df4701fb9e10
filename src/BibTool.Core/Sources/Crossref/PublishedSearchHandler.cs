using System.Globalization;
using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Store;
using BibTool.Text;

namespace BibTool.Sources.Crossref;

/// <summary>
/// A preprint's published version when neither arXiv nor Crossref links it: Crossref's reference
/// matching with the preprint's title and first author, limited to journal articles and
/// proceedings papers. Only a strong match is taken: title similarity at least
/// <see cref="TitleMatch.Threshold"/>, the same first author (family name), published no earlier
/// than a year before the preprint. Its record sits beside the preprint's own (source
/// "published") and never stands in for the preprint: it only names the version.
/// </summary>
public sealed class PublishedSearchHandler : ISourceHandler
{
    public const string SourceName = SourceRegistry.PublishedVersionSearch;

    public string Name => SourceName;
    public string Service => "the Crossref search for published versions";

    /// <summary>Asked by <see cref="Resolve.PublishedVersions"/> for preprints, never as a step of an identifier's chain.</summary>
    public bool Answers(Identifier identifier) => false;

    public Work? Map(string workKey, StoredRecord record) => null;

    public ISourceFetcher CreateFetcher(SourceContext context)
    {
        var (client, gate) = SearchHandler.CrossrefClient(context);
        return new PublishedSearchSource(client, gate, context.Settings.Mailto, context.Tool, context.Settings.Timeout, context.Retry()) { OwnedClient = client };
    }
}

public sealed class PublishedSearchSource(HttpClient client, IAdmission gate, string? mailto, string tool, TimeSpan? attemptTimeout = null, RetryPolicy? retry = null) : PoliteFetcher(new HttpPolicy
{
    Service = "the Crossref search for published versions", Admission = gate, AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30), Retry = retry ?? new RetryPolicy(),
    Unreadable = body => SearchSource.Items(body) is null, CutShort = BibTool.Text.Truncation.Json,
}, client)
{
    private const int Rows = 5;
    private const string Types = "type:journal-article,type:proceedings-article";
    private ICrossrefApi Api => field ??= HttpSetup.For<ICrossrefApi>(Http.Client);

    public override Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel) =>
        EachAsync(requests, request => FetchAsync(request, cancel), onResult);

    private async Task<FetchResult> FetchAsync(SourceRequest request, CancellationToken cancel)
    {
        var id = request.Identifier;
        if (string.IsNullOrWhiteSpace(request.Title) || string.IsNullOrWhiteSpace(request.Author)) return FetchResult.Fail(id, "no title and first author to search for", 0);
        var (answer, error, used) = await Http.SendAsync(token => Api.SearchPublished(request.Title, request.Author, Types, Rows, mailto, token), cancel).ConfigureAwait(false);
        if (answer is null) return FetchResult.Fail(id, error!, used);
        if (answer.Status != System.Net.HttpStatusCode.OK || SearchSource.Items(answer.Body) is not { } items)
            return FetchResult.Fail(id, $"HTTP {answer.Code} from the Crossref search for published versions: {Records.Snippet(answer.Body)}", used);

        var author = TitleMatch.Fold(request.Author);
        var scored = items
            .Where(c => c.Type is "journal-article" or "proceedings-article")
            .Select(c => (Candidate: c, Score: TitleMatch.Similarity(request.Title, c.Title)))
            .OrderByDescending(c => c.Score).ToList();
        var extra = new Dictionary<string, string> { ["query"] = request.Title, ["author"] = request.Author };
        var best = scored.FirstOrDefault();
        if (scored.Count > 0)
        {
            extra["score"] = best.Score.ToString("0.000", CultureInfo.InvariantCulture);
            extra["candidate"] = $"doi:{best.Candidate.Doi} \"{Scrub.OneLine(best.Candidate.Title)}\"{(best.Candidate.Year is { } y ? $" ({y})" : "")}";
        }
        var match = scored.FirstOrDefault(c => c.Score >= TitleMatch.Threshold
            && c.Candidate.FirstAuthor is { } first && TitleMatch.Fold(first) == author
            && (request.Year is not { } year || c.Candidate.Year is not { } published || published >= year - 1));
        if (match.Candidate.Doi is { } doi)
        {
            extra["alias-of"] = "doi:" + IdentifierParser.NormalizeDoi(doi);
            extra["matched-by"] = $"title and first-author search (score {match.Score.ToString("0.00", CultureInfo.InvariantCulture)})";
            return new FetchResult(id, [(id, Records.From(PublishedSearchHandler.SourceName, id, answer, tool, extra))], null, used);
        }
        extra["absent"] = scored.Count == 0 ? "no journal or proceedings version found" : $"no strong match (best: {extra["candidate"]}, score {extra["score"]})";
        return new FetchResult(id, [(id, Records.From(PublishedSearchHandler.SourceName, id, answer, tool, extra))], $"no published version: {extra["absent"]}", used);
    }
}
