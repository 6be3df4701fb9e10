using System.Text.Json;
using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Store;

namespace BibTool.Sources.OpenAlex;

/// <summary>
/// After Crossref's and arXiv's title searches, OpenAlex's (<c>filter=title.search:</c>): the same
/// rule, only a strong match is taken (<see cref="TitleMatch"/>), as an alias to the DOI it names.
/// </summary>
public sealed class OpenAlexSearchHandler : ISourceHandler
{
    public string Name => "openalex-search";
    public string Service => "the OpenAlex title search";

    public bool Answers(Identifier identifier) => identifier.Type.FoundBySearch;

    public Work? Map(string workKey, StoredRecord record) => null;

    /// <summary>Searches are heavier than look-ups: 2 a second, one at a time.</summary>
    public static readonly Politeness Terms = Sources.Politeness.Rate(2, TimeSpan.FromSeconds(1));

    public Politeness? Politeness(Resolve.BibToolSettings settings) => Terms;

    public ISourceFetcher CreateFetcher(SourceContext context)
    {
        var client = context.Client(OpenAlexHandler.Url.ValueIn(context.Settings)!);
        return new OpenAlexSearchSource(client, context.Tool, context.Settings.Mailto, OpenAlexHandler.ApiKey.ValueIn(context.Settings), context.Settings.Timeout, context.Retry(), Terms.Gate(context.Pace)) { OwnedClient = client };
    }
}

/// <summary>Searches OpenAlex by title, a few at a time (searches cost OpenAlex more than lookups: 2 a second).</summary>
public sealed class OpenAlexSearchSource(HttpClient client, string tool, string? mailto, string? apiKey, TimeSpan? attemptTimeout = null, RetryPolicy? retry = null, IAdmission? gate = null) : PoliteFetcher(new HttpPolicy
{
    Service = "the OpenAlex title search", Admission = gate ?? OpenAlexSearchHandler.Terms.Gate(),
    AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30), Retry = retry ?? new RetryPolicy(), Unreadable = body => Candidates(body) is null, CutShort = BibTool.Text.Truncation.Json,
}, client)
{
    private const int Rows = 5;
    private IOpenAlexApi Api => field ??= HttpSetup.For<IOpenAlexApi>(Http.Client);

    public override Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel) =>
        EachAsync(requests, request => SearchAsync(request, cancel), onResult);

    private async Task<FetchResult> SearchAsync(SourceRequest request, CancellationToken cancel)
    {
        if (string.IsNullOrWhiteSpace(request.Title)) return FetchResult.Fail(request.Identifier, "no title to search for", 0);
        // A comma separates OpenAlex's filters: inside the title it would end this one.
        var filter = "title.search:" + request.Title.Replace(',', ' ');
        var (answer, error, used) = await Http.SendAsync(token => Api.Search(filter, Rows, mailto, apiKey, token), cancel).ConfigureAwait(false);
        return TitleMatch.Record("openalex-search", "the OpenAlex title search", "doi", request, answer, error, used, Candidates, tool, matchedBy: "OpenAlex title search");
    }

    /// <summary>(DOI, title, year) of each result that has a DOI, or null when the body is not a result list.</summary>
    public static List<(string Id, string Title, int? Year)>? Candidates(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array) return null;
            var list = new List<(string, string, int?)>();
            foreach (var result in results.EnumerateArray())
            {
                if (BibTool.Text.Json.Text(result, "doi") is not { } doi || (BibTool.Text.Json.Text(result, "display_name") ?? BibTool.Text.Json.Text(result, "title")) is not { } title) continue;
                var id = doi.StartsWith("https://doi.org/", StringComparison.OrdinalIgnoreCase) ? doi["https://doi.org/".Length..] : doi;
                int? year = result.TryGetProperty("publication_year", out var y) && y.ValueKind == JsonValueKind.Number && y.TryGetInt32(out var value) ? value : null;
                list.Add((id, title, year));
            }
            return list;
        }
        catch (JsonException) { return null; }
    }
}
