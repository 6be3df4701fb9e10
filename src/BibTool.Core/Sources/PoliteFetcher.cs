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

    /// <summary>The terms this fetcher keeps.</summary>
    internal HttpPolicy Policy => Http.Policy;

    /// <summary>The transport this source disposes of with itself (when it created it).</summary>
    public HttpClient? OwnedClient { get; init; }

    public int RequestsMade => Http.RequestsMade;

    public void Dispose() => OwnedClient?.Dispose();

    public abstract Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel);

    /// <summary>One request per identifier, all started at once.</summary>
    protected static Task EachAsync(IReadOnlyList<SourceRequest> requests, Func<SourceRequest, Task<FetchResult>> fetch, Action<FetchResult> onResult) =>
        Task.WhenAll(requests.Select(async request => onResult(await fetch(request).ConfigureAwait(false))));

    /// <summary>
    /// One identifier, one request, the answer stored as received: 200 is the record, 404 a stored
    /// "not found" (so the next run does not ask again), anything else a failure that stores nothing.
    /// </summary>
    protected async Task<FetchResult> FetchOneAsync(Identifier id, string source, string tool, Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancel)
    {
        var (answer, error, used) = await Http.SendAsync(send, cancel).ConfigureAwait(false);
        if (answer is null) return FetchResult.Fail(id, error!, used);
        var record = Records.From(source, id, answer, tool);
        return answer.Status switch
        {
            System.Net.HttpStatusCode.OK => new FetchResult(id, [(id, record)], null, used),
            System.Net.HttpStatusCode.NotFound => new FetchResult(id, [(id, record)], $"not found at {Http.Service} (HTTP 404)", used),
            _ => FetchResult.Fail(id, $"HTTP {answer.Code} from {Http.Service}: {Records.Snippet(answer.Body)}", used),
        };
    }

    /// <summary>Batches of ids, one after another; <paramref name="fetch"/> reports each id of its batch.</summary>
    protected static async Task BatchesAsync(IReadOnlyList<SourceRequest> requests, int size, Func<Identifier[], Task> fetch)
    {
        foreach (var batch in requests.Select(r => r.Identifier).Chunk(Math.Max(1, size)))
            await fetch(batch).ConfigureAwait(false);
    }
}
