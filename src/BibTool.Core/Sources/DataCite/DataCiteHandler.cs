using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Store;

namespace BibTool.Sources.DataCite;

/// <summary>
/// DataCite answers every DOI Crossref does not know (Crossref's 404 passes the DOI on), and
/// first those of registrants known to register with DataCite (Zenodo, PhysioNet, figshare,
/// Dryad, the UCI repository, …), so their DOIs cost Crossref no request.
/// </summary>
public sealed class DataCiteHandler : ISourceHandler
{
    public string Name => "datacite";
    public string Service => "DataCite";

    public static readonly SourceSetting Url = new("datacite-url", "URL", "DataCite REST API base", "https://api.datacite.org");

    public IReadOnlyList<SourceSetting> Settings => [Url];

    // Large data repositories that register every DOI with DataCite: Zenodo, PhysioNet, the UCI
    // repository, arXiv, figshare, Dryad, Mendeley Data, Harvard Dataverse. Others are found by
    // Crossref's 404.
    private static readonly HashSet<string> KnownPrefixes =
        ["10.5281", "10.13026", "10.24432", "10.48550", "10.6084", "10.5061", "10.17632", "10.7910"];

    public static bool IsDataCitePrefix(string doi) => doi.IndexOf('/') is > 0 and var slash && KnownPrefixes.Contains(doi[..slash]);

    public IReadOnlyList<IdentifierType> Schemes { get; } = [IdentifierType.Doi];

    public Work? Map(string workKey, StoredRecord record) => DataCiteMapper.Map(workKey, record.Body);

    /// <summary>DataCite's REST API: 5 requests a second, 2 in flight (well within its published 3,000 per 5 minutes).</summary>
    public static readonly Politeness Terms = Sources.Politeness.Rate(5, TimeSpan.FromSeconds(1), inFlight: 2);

    public Politeness? Politeness(Resolve.BibToolSettings settings) => Terms;

    public ISourceFetcher CreateFetcher(SourceContext context)
    {
        var client = context.Client(Url.ValueIn(context.Settings)!);
        return new DataCiteSource(client, context.Tool, context.Settings.Timeout, context.Retry(), Terms.Gate(context.Pace)) { OwnedClient = client };
    }
}

/// <summary>Fetches DOIs from DataCite, a few at a time (its documented budget is per 5 minutes; this stays far below it).</summary>
public sealed class DataCiteSource(HttpClient client, string tool, TimeSpan? attemptTimeout = null, RetryPolicy? retry = null, IAdmission? gate = null) : PoliteFetcher(new HttpPolicy
{
    Service = "DataCite", Admission = gate ?? DataCiteHandler.Terms.Gate(),
    AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30), Retry = retry ?? new RetryPolicy(), Unreadable = body => !BibTool.Text.Json.IsValid(body), CutShort = BibTool.Text.Truncation.Json,
}, client)
{
    private IDataCiteApi Api => field ??= HttpSetup.For<IDataCiteApi>(Http.Client);

    public override Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel) =>
        EachAsync(requests, request => FetchAsync(request.Identifier, cancel), onResult);

    private Task<FetchResult> FetchAsync(Identifier doi, CancellationToken cancel) =>
        FetchOneAsync(doi, "datacite", tool, token => Api.GetDoi(doi.Value, token), cancel);
}
