using System.Globalization;
using System.Net;
using System.Text.Json;
using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Store;

namespace BibTool.Sources.Crossref;

/// <summary>
/// Fetches DOIs from Crossref, one request per DOI, concurrently up to the limits Crossref
/// advertises in its response headers (x-rate-limit-limit/-interval, x-concurrency-limit; both
/// spellings, any case). Until the first answer says otherwise, one request at a time.
/// </summary>
public sealed class CrossrefSource : ISourceFetcher
{
    /// <summary>The client this source disposes of with itself (when it created it).</summary>
    public HttpClient? OwnedClient { get; init; }

    private int _requests;

    /// <summary>Requests sent so far, retries included.</summary>
    public int RequestsMade => Volatile.Read(ref _requests);

    public void Dispose() => OwnedClient?.Dispose();

    /// <summary>Every DOI at once: the rate gate keeps them within Crossref's advertised limits.</summary>
    public Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel) =>
        Task.WhenAll(requests.Select(async request => onResult(await FetchAsync(request.Identifier, cancel).ConfigureAwait(false))));

    private readonly ICrossrefApi _api;
    private readonly string _baseUrl;
    private readonly string? _mailto;
    private readonly string _tool;
    private readonly RetryPolicy _retry;
    private readonly TimeSpan _attemptTimeout;

    public RateGate Gate { get; }

    // After a few requests in a row find Crossref unreachable, the rest fail at once.
    private const int UnreachableBreaker = 3;
    private int _consecutiveUnreachable;
    private volatile string? _unreachable;
    private readonly CancellationTokenSource _down = new();

    public CrossrefSource(HttpClient client, string? mailto, string tool, RetryPolicy? retry = null, TimeSpan? attemptTimeout = null)
    {
        _api = HttpSetup.For<ICrossrefApi>(client);
        _baseUrl = client.BaseAddress!.ToString().TrimEnd('/');
        _mailto = mailto;
        _tool = tool;
        _retry = retry ?? new RetryPolicy();
        _attemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30);
        // Conservative until told: the 2026 public pool allows 5 per second with 1 in flight.
        Gate = new RateGate(limit: mailto is null ? 5 : 10, TimeSpan.FromSeconds(1), concurrency: 1);
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
                return new FetchResult(doi, records, $"not found at Crossref (HTTP 404: {Snippet(body)})", requests);
            }
            return FetchResult.Fail(doi, $"HTTP {(int)status} from Crossref: {Snippet(body)}", requests);
        }
        return FetchResult.Fail(doi, "too many redirects", requests);
    }

    private readonly record struct Headers(Uri? Location, string ContentType);

    private async Task<((HttpStatusCode, Headers, byte[], string)? Response, string? Error, int Requests)> GetWithRetriesAsync(Identifier doi, CancellationToken cancel)
    {
        string? lastError = null;
        var attempts = _retry.MaxAttempts;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (_unreachable is { } down) return (null, down, attempt - 1);
            TimeSpan? wait = null;
            RateGate.ILease lease;
            try
            {
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancel, _down.Token);
                lease = await Gate.EnterAsync(waiting.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_unreachable is not null && !cancel.IsCancellationRequested)
            {
                return (null, _unreachable, attempt - 1);
            }
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                timeout.CancelAfter(_attemptTimeout);
                try
                {
                    Interlocked.Increment(ref _requests);
                    using var response = await _api.GetWork(doi.Value, _mailto, timeout.Token).ConfigureAwait(false);
                    lease.Answered();
                    Interlocked.Exchange(ref _consecutiveUnreachable, 0);
                    AdoptLimits(response);
                    var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                    var url = response.RequestMessage?.RequestUri?.ToString() ?? $"{_baseUrl}/works/{Uri.EscapeDataString(doi.Value)}";
                    if (RetryPolicy.IsRetryable(response.StatusCode))
                    {
                        lastError = $"HTTP {(int)response.StatusCode} from Crossref";
                        wait = _retry.Delay(attempt, response.Headers.RetryAfter);
                        if (response.StatusCode == HttpStatusCode.TooManyRequests) Gate.PauseFor(wait.Value);
                    }
                    else if (response.StatusCode == HttpStatusCode.OK && !IsJson(body))
                    {
                        lastError = $"incomplete JSON from Crossref ({body.Length} bytes)";
                        wait = _retry.Delay(attempt);
                    }
                    else
                    {
                        var headers = new Headers(response.Headers.Location, response.Content.Headers.ContentType?.ToString() ?? "");
                        return ((response.StatusCode, headers, body, url), null, attempt);
                    }
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    lastError = $"no answer from Crossref within {_attemptTimeout.TotalSeconds:0.#} s";
                    wait = _retry.Delay(attempt);
                }
                catch (Exception e) when (RetryPolicy.IsRetryable(e))
                {
                    lastError = $"connection failed ({Innermost(e).Message})";
                    wait = _retry.Delay(attempt);
                    if (RetryPolicy.IsUnreachable(e))
                    {
                        attempts = Math.Min(attempts, RetryPolicy.UnreachableAttempts);
                        if (Interlocked.Increment(ref _consecutiveUnreachable) >= UnreachableBreaker && _unreachable is null)
                        {
                            _unreachable = $"Crossref is unreachable at {_baseUrl} ({Innermost(e).Message})";
                            _down.Cancel();
                        }
                    }
                }
            }
            finally
            {
                lease.Dispose();
            }
            if (attempt < attempts) await Task.Delay(wait!.Value, cancel).ConfigureAwait(false);
        }
        return (null, $"{lastError} (gave up after {attempts} attempts)", attempts);
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

    private StoredRecord Record(Identifier id, string url, HttpStatusCode status, string contentType, byte[] body, Dictionary<string, string>? extra = null) => new()
    {
        Key = id.WorkKey,
        Url = url,
        Status = (int)status,
        ContentType = contentType,
        Fetched = DateTimeOffset.UtcNow,
        Tool = _tool,
        Body = body,
        Extra = new Dictionary<string, string>(extra ?? []) { ["source"] = "crossref" },
    };

    private static bool IsJson(byte[] body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException) { return false; }
    }

    internal static string Snippet(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200)).ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "empty body" : text;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
