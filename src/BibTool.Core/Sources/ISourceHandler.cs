using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Resolve;
using BibTool.Store;

namespace BibTool.Sources;

/// <summary>
/// One metadata source, in the shape of Manubot's citation handlers: which identifiers it can
/// answer, how a raw stored answer becomes a <see cref="Work"/>, and (when the network may be
/// used) a fetcher that asks the service politely and hands back raw records to store.
/// A stored record names its source, and reading it picks this mapper by that name.
/// </summary>
public interface ISourceHandler
{
    /// <summary>The source's name: the store folder, the "source" header of its records, what reports show.</summary>
    string Name { get; }

    /// <summary>The service's name as a reader knows it ("Crossref", "PubMed").</summary>
    string Service { get; }

    /// <summary>
    /// The identifier schemes this source answers (a DOI source: DOIs). The registry collects them
    /// in the order sources are asked, so a source with a scheme of its own brings it along; a
    /// search that answers others' identifiers declares none.
    /// </summary>
    IReadOnlyList<IdentifierType> Schemes => [];

    /// <summary>Whether this source is asked for the identifier: by default, when it is of one of its <see cref="Schemes"/>.</summary>
    bool Answers(Identifier identifier) => Schemes.Contains(identifier.Type);

    /// <summary>
    /// The work a stored answer describes, or null when it holds no usable metadata (a landing page
    /// without citation tags). Throws only on a record it cannot parse at all; callers treat that
    /// as a damaged record.
    /// </summary>
    Work? Map(string workKey, StoredRecord record);

    ISourceFetcher CreateFetcher(SourceContext context);

    /// <summary>The settings this source declares (its service's URL, an API key); a dependent source (a search on the same API) declares none of its own.</summary>
    IReadOnlyList<SourceSetting> Settings => [];

    /// <summary>
    /// The terms of the service this source asks, as the settings make them (a mailto, an API key);
    /// its fetcher keeps them. Null for a source that asks another's service within that one's
    /// terms (a search sharing its API's budget).
    /// </summary>
    Politeness? Politeness(BibToolSettings settings) => null;
}

/// <summary>Fetches identifiers from one service within its limits (batching, pacing, retries).</summary>
public interface ISourceFetcher : IDisposable
{
    /// <summary>Fetches every request, reporting each outcome the moment it is known.</summary>
    Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel);

    /// <summary>Requests sent so far, retries included.</summary>
    int RequestsMade { get; }
}

/// <summary>What to fetch, with what the survey says of it (for sources that search by title).</summary>
public sealed record SourceRequest(Identifier Identifier, string? Title = null, int? Year = null, string? Author = null)
{
    public static implicit operator SourceRequest(Identifier identifier) => new(identifier);
}

/// <summary>Everything a fetcher needs to reach its service: settings, the tool's name for records and User-Agent.</summary>
public sealed record SourceContext(BibToolSettings Settings, string Version)
{
    /// <summary>
    /// How long the politeness waits a handler sets last, against the services' published terms: 1
    /// for the services themselves. Loopback replays of recorded answers (the tests) run the same
    /// fetchers at a fraction, every pacing interval and retry delay in the same proportion.
    /// </summary>
    public double Pace { get; init; } = 1;

    /// <summary>A politeness wait at this context's pace.</summary>
    public TimeSpan Paced(TimeSpan wait) => wait * Pace;

    /// <summary>A retry policy (the default one unless given) with its delays at this context's pace.</summary>
    public RetryPolicy Retry(RetryPolicy? policy = null)
    {
        policy ??= new RetryPolicy();
        return Pace == 1 ? policy : policy with { BaseDelay = Paced(policy.BaseDelay), MaxDelay = Paced(policy.MaxDelay) };
    }

    public string Tool => $"bibtool/{Version}";
    public string UserAgent => HttpSetup.UserAgent(Version, Settings.Mailto);
    public HttpClient Client(string baseUrl) => HttpSetup.CreateClient(baseUrl, UserAgent, Settings.Timeout);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IAdmission> _gates = new();

    /// <summary>One gate for sources that share a service's budget (PubMed and the PMC ID converter are both NCBI; arXiv's search is arXiv).</summary>
    public T SharedGate<T>(string service, Func<T> create) where T : IAdmission => (T)_gates.GetOrAdd(service, _ => create());
}
