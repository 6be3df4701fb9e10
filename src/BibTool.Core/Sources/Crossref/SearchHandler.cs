using System.Globalization;
using System.Net;
using System.Text.Json;
using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Store;
using BibTool.Text;

namespace BibTool.Sources.Crossref;

/// <summary>
/// The last resort for a landing page or an OpenReview id no other source could read: Crossref's
/// reference matching (query.bibliographic) with the title the survey gives. Only a strong match
/// is taken (normalized title similarity at least <see cref="TitleMatch.Threshold"/>, year within
/// one of the survey's); the record keeps the score and the best candidate either way, and a match
/// is an alias to its DOI.
/// </summary>
public sealed class SearchHandler : ISourceHandler
{
    public string Name => "search";
    public string Service => "the Crossref title search";

    public bool Answers(Identifier identifier) => identifier.Type.FoundBySearch;

    /// <summary>A search result names a DOI; the work is read from the DOI's own record.</summary>
    public Work? Map(string workKey, StoredRecord record) => null;

    public ISourceFetcher CreateFetcher(SourceContext context)
    {
        var (client, gate) = CrossrefClient(context);
        return new SearchSource(client, gate, context.Settings.Mailto, context.Tool, context.Settings.Timeout, context.Retry()) { OwnedClient = client };
    }

    /// <summary>Crossref's searches share one budget with its /works look-ups (the "crossref" gate), one search at a time.</summary>
    internal static (HttpClient Client, IAdmission Gate) CrossrefClient(SourceContext context) =>
        (context.Client(Crossref.CrossrefHandler.Url.ValueIn(context.Settings)!),
         context.SharedGate<IAdmission>("crossref", () => Crossref.CrossrefHandler.Terms(context.Settings.Mailto).Gate(context.Pace)));
}

public sealed class SearchSource(HttpClient client, IAdmission gate, string? mailto, string tool, TimeSpan? attemptTimeout = null, RetryPolicy? retry = null) : PoliteFetcher(new HttpPolicy
{
    Service = "the Crossref title search", Admission = gate, AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30), Retry = retry ?? new RetryPolicy(),
    Unreadable = body => Candidates(body) is null, CutShort = BibTool.Text.Truncation.Json,
}, client)
{
    private const int Rows = 5;
    private ICrossrefApi Api => field ??= HttpSetup.For<ICrossrefApi>(Http.Client);

    public override Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel) =>
        EachAsync(requests, request => FetchAsync(request, cancel), onResult);

    private async Task<FetchResult> FetchAsync(SourceRequest request, CancellationToken cancel)
    {
        if (string.IsNullOrWhiteSpace(request.Title)) return FetchResult.Fail(request.Identifier, "no title to search for", 0);
        var (answer, error, used) = await Http.SendAsync(token => Api.Search(request.Title, Rows, mailto, token), cancel).ConfigureAwait(false);
        return TitleMatch.Record("search", "the Crossref title search", "doi", request, answer, error, used, Candidates, tool);
    }

    /// <summary>(DOI, title, year) of each item of a Crossref work list, or null when the body is not one.</summary>
    public static List<(string Doi, string Title, int? Year)>? Candidates(byte[] body) =>
        Items(body)?.Select(i => (i.Doi, i.Title, i.Year)).ToList();

    /// <summary>Each item of a Crossref work list with what matching needs (DOI, title, year, type, first author's family name), or null when the body is not one.</summary>
    public static List<(string Doi, string Title, int? Year, string? Type, string? FirstAuthor)>? Items(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var message = Json.Property(document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement : null, "message");
            if (message is null) return null;
            var list = new List<(string, string, int?, string?, string?)>();
            foreach (var item in Json.Items(message, "items"))
            {
                var doi = Json.Text(item, "DOI");
                var title = Json.Items(item, "title").Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));
                if (doi is null || title is null) continue;
                int? year = null;
                foreach (var field in new[] { "issued", "published", "published-print", "published-online", "created" })
                {
                    var parts = Json.Items(Json.Property(item, field), "date-parts").FirstOrDefault();
                    if (parts.ValueKind == JsonValueKind.Array && parts.GetArrayLength() > 0 && parts[0].ValueKind == JsonValueKind.Number && parts[0].TryGetInt32(out var y)) { year = y; break; }
                }
                var first = Json.Items(item, "author").FirstOrDefault();
                list.Add((doi, Markup.ToPlain(title), year, Json.Text(item, "type"), first.ValueKind == JsonValueKind.Object ? Json.Text(first, "family") : null));
            }
            return list;
        }
        catch (JsonException) { return null; }
    }
}
