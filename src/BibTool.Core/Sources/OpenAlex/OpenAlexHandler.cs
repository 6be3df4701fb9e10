using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Store;

namespace BibTool.Sources.OpenAlex;

/// <summary>
/// OpenAlex answers a DOI that neither Crossref nor DataCite knows: one registered with another
/// agency (mEDRA, JaLC, KISTI, CNKI, Airiti), which OpenAlex indexes from other sources.
/// </summary>
public sealed class OpenAlexHandler : ISourceHandler
{
    public string Name => "openalex";
    public string Service => "OpenAlex";

    public static readonly SourceSetting Url = new("openalex-url", "URL", "OpenAlex API base", "https://api.openalex.org");
    public static readonly SourceSetting ApiKey = new("openalex-api-key", "KEY", "OpenAlex API key (a free key raises the daily budget)", IsUrl: false);

    public IReadOnlyList<SourceSetting> Settings => [Url, ApiKey];

    public IReadOnlyList<IdentifierType> Schemes { get; } = [IdentifierType.Doi];

    public Work? Map(string workKey, StoredRecord record) => OpenAlexMapper.Map(workKey, record.Body);

    /// <summary>OpenAlex's polite pool: 10 requests a second, 2 in flight (its published limit is 100 a second).</summary>
    public static readonly Politeness Terms = Sources.Politeness.Rate(10, TimeSpan.FromSeconds(1), inFlight: 2);

    public Politeness? Politeness(Resolve.BibToolSettings settings) => Terms;

    public ISourceFetcher CreateFetcher(SourceContext context)
    {
        var client = context.Client(Url.ValueIn(context.Settings)!);
        return new OpenAlexSource(client, context.Tool, context.Settings.Mailto, ApiKey.ValueIn(context.Settings), context.Settings.Timeout, context.Retry(), Terms.Gate(context.Pace)) { OwnedClient = client };
    }
}

/// <summary>
/// Fetches DOIs from OpenAlex in its polite pool (mailto), far below its published limit of 100
/// requests a second: 10 a second, 2 at once. A DOI OpenAlex does not know is a 404 with a small
/// HTML page (not JSON), stored as "not found".
/// </summary>
public sealed class OpenAlexSource(HttpClient client, string tool, string? mailto, string? apiKey, TimeSpan? attemptTimeout = null, RetryPolicy? retry = null, IAdmission? gate = null) : PoliteFetcher(new HttpPolicy
{
    Service = "OpenAlex", Admission = gate ?? OpenAlexHandler.Terms.Gate(),
    AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30), Retry = retry ?? new RetryPolicy(), Unreadable = body => !BibTool.Text.Json.IsValid(body), CutShort = BibTool.Text.Truncation.Json,
}, client)
{
    private IOpenAlexApi Api => field ??= HttpSetup.For<IOpenAlexApi>(Http.Client);

    public override Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel) =>
        EachAsync(requests, request => FetchAsync(request.Identifier, cancel), onResult);

    private Task<FetchResult> FetchAsync(Identifier doi, CancellationToken cancel) =>
        FetchOneAsync(doi, "openalex", tool, token => Api.GetWork(doi.Value, mailto, apiKey, token), cancel);
}
