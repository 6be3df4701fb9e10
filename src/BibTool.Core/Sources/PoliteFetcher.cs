using BibTool.Http;
using BibTool.Identifiers;

namespace BibTool.Sources;

/// <summary>
/// What every HTTP source shares: one <see cref="PoliteClient"/> (its policy and the Refit client
/// built on it), the transport it may own, the request count, and the two ways of going through a
/// list: one request per identifier (all at once; the policy's gate spaces them) or batches.
/// </summary>
public abstract class PoliteFetcher : ISourceFetcher
{
    protected PoliteFetcher(HttpPolicy policy, HttpClient transport)
    {
        Http = new PoliteClient(policy, transport);
    }

    protected PoliteClient Http { get; }

    /// <summary>The transport this source disposes of with itself (when it created it).</summary>
    public HttpClient? OwnedClient { get; init; }

    public int RequestsMade => Http.RequestsMade;

    public void Dispose() => OwnedClient?.Dispose();

    public abstract Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel);

    /// <summary>One request per identifier, all started at once.</summary>
    protected static Task EachAsync(IReadOnlyList<SourceRequest> requests, Func<SourceRequest, Task<FetchResult>> fetch, Action<FetchResult> onResult) =>
        Task.WhenAll(requests.Select(async request => onResult(await fetch(request).ConfigureAwait(false))));

    /// <summary>Batches of ids, one after another; <paramref name="fetch"/> reports each id of its batch.</summary>
    protected static async Task BatchesAsync(IReadOnlyList<SourceRequest> requests, int size, Func<Identifier[], Task> fetch)
    {
        foreach (var batch in requests.Select(r => r.Identifier).Chunk(Math.Max(1, size)))
            await fetch(batch).ConfigureAwait(false);
    }
}
