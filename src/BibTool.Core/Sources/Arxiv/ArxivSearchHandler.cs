using System.Globalization;
using System.Xml.Linq;
using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Store;

namespace BibTool.Sources.Arxiv;

/// <summary>
/// After Crossref's search: arXiv's own, by title (many papers in surveys exist only as preprints).
/// The same rule as Crossref's search: only a strong match is taken, as an alias to its arXiv id.
/// </summary>
public sealed class ArxivSearchHandler : ISourceHandler
{
    public string Name => "arxiv-search";
    public string Service => "the arXiv title search";

    public bool Answers(Identifier identifier) => identifier.Type.FoundBySearch;

    public Work? Map(string workKey, StoredRecord record) => null;

    public ISourceFetcher CreateFetcher(SourceContext context)
    {
        var client = context.Client(Arxiv.ArxivHandler.Url.ValueIn(context.Settings)!);
        var pacing = context.SharedGate("arxiv", () => ArxivHandler.Terms.Pacing(context.Pace));
        return new ArxivSearchSource(client, pacing, context.Tool, context.Settings.Timeout * 2, context.Retry(ArxivSource.DefaultRetry())) { OwnedClient = client };
    }
}

public sealed class ArxivSearchSource(HttpClient client, IAdmission pacing, string tool, TimeSpan? attemptTimeout = null, RetryPolicy? retry = null) : PoliteFetcher(new HttpPolicy
{
    Service = "the arXiv title search", Admission = pacing, AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(60),
    Retry = retry ?? ArxivSource.DefaultRetry(), Unreadable = body => Candidates(body) is null, CutShort = BibTool.Text.Truncation.Xml,
}, client)
{
    private const int Rows = 5;
    private IArxivApi Api => field ??= HttpSetup.For<IArxivApi>(Http.Client);

    // arXiv's search is paced one request at a time: the requests go one after another.
    public override async Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel)
    {
        foreach (var request in requests)
        {
            if (string.IsNullOrWhiteSpace(request.Title)) { onResult(FetchResult.Fail(request.Identifier, "no title to search for", 0)); continue; }
            // ti:"…" searches titles for the phrase; quotes inside the title would end it.
            var query = $"ti:\"{request.Title.Replace('"', ' ')}\"";
            var (answer, error, used) = await Http.SendAsync(token => Api.Search(query, Rows, token), cancel).ConfigureAwait(false);
            onResult(TitleMatch.Record("arxiv-search", "the arXiv title search", "arxiv", request, answer, error, used, Candidates, tool));
        }
    }

    /// <summary>(arXiv id, title, year of the first version) of each entry of a feed, or null when the body is not a feed.</summary>
    public static List<(string Id, string Title, int? Year)>? Candidates(byte[] body)
    {
        if (!ArxivSource.TryParseFeed(body, out _, out var entries)) return null;
        var list = new List<(string, string, int?)>();
        foreach (var (entry, _) in entries!)
        {
            if (ArxivMapper.IsError(entry) || ArxivMapper.IdOf(entry) is not { } id || (string?)entry.Element(ArxivMapper.Atom + "title") is not { Length: > 0 } title) continue;
            var year = BibTool.Text.Timestamps.ParseUtc((string?)entry.Element(ArxivMapper.Atom + "published"))?.Year;
            list.Add((id.Id, string.Join(' ', title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), year));
        }
        return list;
    }
}
