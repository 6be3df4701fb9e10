using System.Globalization;
using System.Net;
using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Store;
using BibTool.Text;

namespace BibTool.Sources.Crossref;

/// <summary>
/// Fetches DOIs from Crossref, one request per DOI, concurrently up to the limits Crossref
/// advertises in its response headers (x-rate-limit-limit/-interval, x-concurrency-limit; both
/// spellings, any case). Until the first answer says otherwise, one request at a time.
/// </summary>
public sealed class CrossrefSource : ISourceFetcher
{
    private readonly ICrossrefApi _api;
    private readonly PoliteClient _http;

    /// <summary>The terms this fetcher keeps.</summary>
    internal HttpPolicy Policy => _http.Policy;
    private readonly string? _mailto;
    private readonly string _tool;

    public RateGate Gate { get; }

    /// <summary>The client this source disposes of with itself (when it created it).</summary>
    public HttpClient? OwnedClient { get; init; }

    /// <summary>Requests sent so far, retries included.</summary>
    public int RequestsMade => _http.RequestsMade;

    public void Dispose() => OwnedClient?.Dispose();

    /// <summary>Every DOI at once: the rate gate keeps them within Crossref's advertised limits.</summary>
    public Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel) =>
        Task.WhenAll(requests.Select(async request => onResult(await FetchAsync(request.Identifier, cancel).ConfigureAwait(false))));

    public CrossrefSource(HttpClient client, string? mailto, string tool, RetryPolicy? retry = null, TimeSpan? attemptTimeout = null, RateGate? gate = null)
    {
        _mailto = mailto;
        _tool = tool;
        // Conservative until told: the 2026 public pool allows 5 per second with 1 in flight.
        Gate = gate ?? CrossrefHandler.Terms(mailto).Limits();
        _http = new PoliteClient(new HttpPolicy
        {
            Service = "Crossref", Admission = Gate, Retry = retry ?? new RetryPolicy(), AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30),
            Unreadable = body => !Json.IsValid(body), CutShort = BibTool.Text.Truncation.Json, Observe = AdoptLimits,
        }, client);
        _api = HttpSetup.For<ICrossrefApi>(_http.Client);
    }

    public async Task<FetchResult> FetchAsync(Identifier doi, CancellationToken cancel)
    {
        var records = new List<(Identifier, StoredRecord)>();
        var requests = 0;
        var current = doi;
        for (var hop = 0; hop < 4; hop++)
        {
            var (response, error, used) = await GetWithRetriesAsync(current, cancel).ConfigureAwait(false);
            requests += used;
            if (response is null) return FetchResult.Fail(doi, error!, requests);
            var (status, headers, body, url) = response.Value;

            if (status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect)
            {
                var target = AliasTarget(headers.Location);
                if (target is null) return FetchResult.Fail(doi, $"redirect without a /works/ location ({headers.Location})", requests);
                records.Add((current, Record(current, url, status, headers.ContentType, body, new() { ["alias-of"] = target.WorkKey, ["location"] = headers.Location!.ToString() })));
                current = target;
                continue;
            }
            if (status == HttpStatusCode.OK)
            {
                records.Add((current, Record(current, url, status, headers.ContentType, body)));
                return new FetchResult(doi, records, null, requests);
            }
            if (status == HttpStatusCode.NotFound)
            {
                // Stored so that the next run does not ask again; the body is plain text whatever the Content-Type says.
                records.Add((current, Record(current, url, status, headers.ContentType, body)));
                return new FetchResult(doi, records, $"not found at Crossref (HTTP 404: {Records.Snippet(body)})", requests);
            }
            return FetchResult.Fail(doi, $"HTTP {(int)status} from Crossref: {Records.Snippet(body)}", requests);
        }
        return FetchResult.Fail(doi, "too many redirects", requests);
    }

    private readonly record struct Headers(Uri? Location, string ContentType);

    private async Task<((HttpStatusCode, Headers, byte[], string)? Response, string? Error, int Requests)> GetWithRetriesAsync(Identifier doi, CancellationToken cancel)
    {
        var (answer, error, attempts) = await _http.SendAsync(token => _api.GetWork(doi.Value, _mailto, token), cancel).ConfigureAwait(false);
        if (answer is null) return (null, error, attempts);
        return ((answer.Status, new Headers(answer.Location, answer.ContentType), answer.Body, answer.Url), null, attempts);
    }

    private void AdoptLimits(HttpResponseMessage response)
    {
        var limit = HeaderInt(response, "x-rate-limit-limit") ?? HeaderInt(response, "x-ratelimit-limit");
        var interval = Header(response, "x-rate-limit-interval") ?? Header(response, "x-ratelimit-interval");
        var concurrency = HeaderInt(response, "x-concurrency-limit");
        if (limit is null && concurrency is null) return;
        Gate.SetLimits(limit ?? Gate.Limit, ParseInterval(interval) ?? Gate.Interval, concurrency ?? Gate.Concurrency);
    }

    /// <summary>"1s", "1", "60s", "1m".</summary>
    public static TimeSpan? ParseInterval(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim().ToLowerInvariant();
        var unit = 1.0;
        if (text.EndsWith("ms")) { unit = 0.001; text = text[..^2]; }
        else if (text.EndsWith('s')) text = text[..^1];
        else if (text.EndsWith('m')) { unit = 60; text = text[..^1]; }
        // A server's word is clamped to sane bounds: "1e300s" or "Infinity" must not stall or crash a run.
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0) return null;
        return TimeSpan.FromSeconds(Math.Clamp(value * unit, 0.1, 3600));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static int? HeaderInt(HttpResponseMessage response, string name) =>
        int.TryParse(Header(response, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;

    private static Identifier? AliasTarget(Uri? location)
    {
        if (location is null) return null;
        var path = location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];
        var index = path.IndexOf("/works/", StringComparison.Ordinal);
        if (index < 0) return null;
        var doi = Uri.UnescapeDataString(path[(index + 7)..]);
        var parsed = IdentifierParser.Parse("doi:" + doi);
        return parsed.Type == IdentifierType.Doi ? parsed : null;
    }

    private StoredRecord Record(Identifier id, string url, HttpStatusCode status, string contentType, byte[] body, Dictionary<string, string>? extra = null) =>
        Records.Make("crossref", id, url, (int)status, contentType, body, _tool, extra);
}
