using System.Net;

namespace BibTool.Http;

/// <summary>An answer as received: status, content type, redirect target, body, and the URL asked.</summary>
public sealed record HttpAnswer(HttpStatusCode Status, string ContentType, Uri? Location, byte[] Body, string Url)
{
    public int Code => (int)Status;
}

/// <summary>
/// One service's requests, made politely: each passes the service's rate gate (every retry
/// too), has its own deadline, is retried on 429/5xx/timeouts/resets with backoff and jitter
/// (Retry-After honoured, clamped by the policy), and its body is capped in size. A service that
/// cannot be reached at all stops being asked after a few such failures in a row.
/// </summary>
public sealed class PoliteClient(string service, RateGate gate, RetryPolicy? retry = null, TimeSpan? attemptTimeout = null, long maxBytes = PoliteClient.DefaultMaxBytes)
{
    public const long DefaultMaxBytes = 5 * 1024 * 1024;
    private const int UnreachableBreaker = 3;

    private readonly RetryPolicy _retry = retry ?? new RetryPolicy();
    private readonly TimeSpan _attemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30);
    private int _requests;
    private int _consecutiveUnreachable;
    private volatile string? _unreachable;

    public RateGate Gate => gate;
    public string Service => service;
    public int RequestsMade => Volatile.Read(ref _requests);

    /// <param name="send">Sends one attempt (a Refit call, or a plain GET).</param>
    /// <param name="complete">False for a 200 whose body is cut short (retried).</param>
    /// <returns>The answer or why there is none, and how many attempts were sent.</returns>
    public async Task<(HttpAnswer? Answer, string? Error, int Attempts)> SendAsync(
        Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancel, Func<HttpAnswer, bool>? complete = null)
    {
        string? lastError = null;
        var attempts = _retry.MaxAttempts;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (_unreachable is { } down) return (null, down, attempt - 1);
            TimeSpan wait;
            using (var lease = await gate.EnterAsync(cancel).ConfigureAwait(false))
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                timeout.CancelAfter(_attemptTimeout);
                try
                {
                    Interlocked.Increment(ref _requests);
                    using var response = await send(timeout.Token).ConfigureAwait(false);
                    lease.Answered();
                    Interlocked.Exchange(ref _consecutiveUnreachable, 0);
                    var body = await ReadCappedAsync(response.Content, timeout.Token).ConfigureAwait(false);
                    if (body is null) return (null, $"the answer from {service} is larger than {maxBytes / (1024 * 1024)} MB", attempt);
                    var answer = new HttpAnswer(response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "", response.Headers.Location, body,
                        response.RequestMessage?.RequestUri?.ToString() ?? "");
                    if (RetryPolicy.IsRetryable(response.StatusCode))
                    {
                        lastError = $"HTTP {answer.Code} from {service}";
                        wait = _retry.Delay(attempt, response.Headers.RetryAfter);
                        if (response.StatusCode == HttpStatusCode.TooManyRequests) gate.PauseFor(wait);
                    }
                    else if (answer.Status == HttpStatusCode.OK && complete is not null && !complete(answer))
                    {
                        lastError = $"incomplete answer from {service} ({body.Length} bytes)";
                        wait = _retry.Delay(attempt);
                    }
                    else return (answer, null, attempt);
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    lastError = $"no answer from {service} within {_attemptTimeout.TotalSeconds:0.#} s";
                    wait = _retry.Delay(attempt);
                }
                catch (Exception e) when (RetryPolicy.IsRetryable(e))
                {
                    lastError = $"connection to {service} failed ({e.GetBaseException().Message})";
                    wait = _retry.Delay(attempt);
                    if (RetryPolicy.IsUnreachable(e))
                    {
                        attempts = Math.Min(attempts, RetryPolicy.UnreachableAttempts);
                        if (Interlocked.Increment(ref _consecutiveUnreachable) >= UnreachableBreaker)
                            _unreachable ??= $"{service} is unreachable ({e.GetBaseException().Message})";
                    }
                }
            }
            if (attempt < attempts) await Task.Delay(wait, cancel).ConfigureAwait(false);
        }
        return (null, $"{lastError} (gave up after {attempts} attempts)", attempts);
    }

    /// <summary>The body, or null when it is larger than the cap (a decompression bomb, a runaway page).</summary>
    private async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken cancel)
    {
        if (content.Headers.ContentLength > maxBytes) return null;
        await using var stream = await content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
