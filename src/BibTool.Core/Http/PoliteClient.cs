using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace BibTool.Http;

/// <summary>An answer as received: status, content type, redirect target, body, and the URL asked.</summary>
public sealed record HttpAnswer(HttpStatusCode Status, string ContentType, Uri? Location, byte[] Body, string Url)
{
    public int Code => (int)Status;
}

/// <summary>How one service is asked: who admits requests, how failures are retried, how long to wait, how much to read.</summary>
public sealed record HttpPolicy
{
    public required string Service { get; init; }
    public required IAdmission Admission { get; init; }
    public RetryPolicy Retry { get; init; } = new();
    /// <summary>How long one attempt may take, counted from its admission (a queue at the gate is no fault of the service).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The deadline of one request, all its retries, backoffs and later admissions included, counted
    /// from its first admission; by default two attempts' worth (60 s at the default timeout).
    /// </summary>
    public TimeSpan? TotalTimeout { get; init; }

    public TimeSpan Deadline => TotalTimeout ?? 2 * AttemptTimeout;

    public long MaxBytes { get; init; } = PoliteClient.DefaultMaxBytes;

    /// <summary>Whether a 200 answer cannot be read (the source's own parse fails): it is never stored.</summary>
    public Func<byte[], bool>? Unreadable { get; init; }

    /// <summary>
    /// Whether an unreadable answer was cut short, so that asking again may get it whole. An answer
    /// that is whole but refused for what it says (a DTD, invalid UTF-8, a proxy's HTML page) would
    /// be the same next time: it is reported at once, not retried (<see cref="BibTool.Text.Truncation"/>).
    /// Without it, every unreadable answer counts as cut.
    /// </summary>
    public Func<byte[], bool>? CutShort { get; init; }

    /// <summary>Sees every answer's headers as they arrive (a service advertising new limits).</summary>
    public Action<HttpResponseMessage>? Observe { get; init; }
}

/// <summary>
/// One service's requests, made politely, as a handler pipeline under Refit: a resilience handler
/// (Microsoft.Extensions.Http.Resilience: a total deadline, retries of 429/5xx/timeouts/resets and
/// incomplete bodies with backoff, jitter and Retry-After, a circuit that opens when the service
/// cannot be reached at all, a deadline per attempt) over an admission handler, so that every
/// attempt, retries included, passes the service's rate gate or pacing, and a body larger than the
/// cap is refused. A transport client (base address, User-Agent, connect timeout) does the I/O.
/// </summary>
public sealed class PoliteClient
{
    public const long DefaultMaxBytes = 5 * 1024 * 1024;
    private const int UnreachableBreaker = 3;

    private static readonly AsyncLocal<Call?> Current = new();
    private readonly HttpPolicy _policy;
    private readonly string _where;
    private int _requests;
    private volatile string? _unreachable;

    public PoliteClient(HttpPolicy policy, HttpClient transport)
    {
        _policy = policy;
        _where = transport.BaseAddress is { } address ? $" at {address.ToString().TrimEnd('/')}" : "";
        var pipeline = BuildPipeline();
        Client = new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = new AdmittedTransport(this, transport) })
        {
            BaseAddress = transport.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The client to build Refit interfaces on: everything sent through it follows the policy.</summary>
    public HttpClient Client { get; }

    public string Service => _policy.Service;

    /// <summary>The terms this client keeps (for tests that check what a handler built).</summary>
    internal HttpPolicy Policy => _policy;
    public int RequestsMade => Volatile.Read(ref _requests);

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        // Polly wants at least one retry; a policy of one attempt has no retry strategy at all.
        if (_policy.Retry.MaxAttempts > 1) builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = _policy.Retry.MaxAttempts - 1,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.AttemptNumber)),
            // bibtool's own policy: exponential with jitter, Retry-After honoured up to its ceiling.
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(_policy.Retry.Delay(args.AttemptNumber + 1, args.Outcome.Result?.Headers.RetryAfter)),
            OnRetry = args =>
            {
                // A 429 pauses every request to the service, not only this one.
                if (args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests) _policy.Admission.PauseFor(args.RetryDelay);
                return default;
            },
        });
        return builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            // Unreachable (no DNS, refused) several times in a row: the rest of the run fails at once.
            FailureRatio = 1.0,
            MinimumThroughput = UnreachableBreaker,
            SamplingDuration = TimeSpan.FromMinutes(10),
            BreakDuration = TimeSpan.FromHours(1),
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && RetryPolicy.IsUnreachable(e)),
            OnOpened = args =>
            {
                _unreachable ??= $"{_policy.Service} is unreachable{_where} ({args.Outcome.Exception?.GetBaseException().Message})";
                return default;
            },
        })
        .Build();
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, int attempt) => outcome switch
    {
        { Exception: BrokenCircuitException or ResponseTooLargeException } => false,
        { Exception: AttemptTimedOutException } => true,
        // An unreachable service gets one more try, not five: a machine without network would
        // otherwise spend minutes backing off for every identifier.
        { Exception: { } e } when RetryPolicy.IsUnreachable(e) => attempt + 1 < RetryPolicy.UnreachableAttempts,
        { Exception: { } e } => e is not OperationCanceledException && RetryPolicy.IsRetryable(e),
        { Result: { } response } when RetryPolicy.IsRetryable(response.StatusCode) => true,
        { Result: { StatusCode: HttpStatusCode.OK } response } when _policy.Unreadable is { } unreadable =>
            unreadable(Buffered(response)) && (_policy.CutShort?.Invoke(Buffered(response)) ?? true),
        _ => false,
    };

    private static byte[] Buffered(HttpResponseMessage response) => ((BufferedContent)response.Content).Bytes;

    /// <param name="send">One call through <see cref="Client"/> (a Refit method); the pipeline retries it.</param>
    /// <returns>The answer or why there is none, and how many attempts were sent.</returns>
    public async Task<(HttpAnswer? Answer, string? Error, int Attempts)> SendAsync(Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancel)
    {
        using var call = new Call(cancel);
        Current.Value = call;
        string Gave() => call.Attempts > 1 ? $" (gave up after {call.Attempts} attempts)" : "";
        try
        {
            using var response = await send(call.Deadline.Token).ConfigureAwait(false);
            var body = response.Content is BufferedContent buffered ? buffered.Bytes : await response.Content.ReadAsByteArrayAsync(call.Deadline.Token).ConfigureAwait(false);
            var answer = new HttpAnswer(response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "", response.Headers.Location, body,
                response.RequestMessage?.RequestUri?.ToString() ?? "");
            if (RetryPolicy.IsRetryable(response.StatusCode)) return (null, $"HTTP {answer.Code} from {Service}{Gave()}", call.Attempts);
            if (answer.Status == HttpStatusCode.OK && _policy.Unreadable?.Invoke(body) == true)
                return (null, _policy.CutShort?.Invoke(body) == false
                    ? $"an answer from {Service} that cannot be read ({body.Length} bytes{(answer.ContentType.Length > 0 ? ", " + answer.ContentType : "")}); not asked again, the same answer would come back"
                    : $"incomplete answer from {Service} ({body.Length} bytes){Gave()}", call.Attempts);
            return (answer, null, call.Attempts);
        }
        catch (BrokenCircuitException)
        {
            return (null, _unreachable ?? $"{Service} is unreachable{_where}", call.Attempts);
        }
        catch (ResponseTooLargeException)
        {
            var cap = _policy.MaxBytes >= 1024 * 1024 ? $"{_policy.MaxBytes / (1024 * 1024)} MB" : $"{_policy.MaxBytes} bytes";
            return (null, $"the answer from {Service} is larger than {cap}", call.Attempts);
        }
        catch (AttemptTimedOutException)
        {
            return (null, $"no answer from {Service} within {_policy.AttemptTimeout.TotalSeconds:0.#} s{Gave()}", call.Attempts);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested && call.Deadline.IsCancellationRequested)
        {
            return (null, $"no complete answer from {Service} within the deadline of {_policy.Deadline.TotalSeconds:0.#} s{Gave()}", call.Attempts);
        }
        catch (Exception e) when (!cancel.IsCancellationRequested && (RetryPolicy.IsRetryable(e) || e is OperationCanceledException))
        {
            if (_unreachable is { } down && RetryPolicy.IsUnreachable(e)) return (null, down, call.Attempts);
            return (null, $"connection to {Service} failed ({e.GetBaseException().Message}){Gave()}", call.Attempts);
        }
    }

    /// <summary>One <see cref="SendAsync"/>: its attempts so far and its deadline, which starts at the first admission.</summary>
    private sealed class Call(CancellationToken cancel) : IDisposable
    {
        private int _attempts;
        public CancellationTokenSource Deadline { get; } = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        public int Attempts => Volatile.Read(ref _attempts);

        public void Admitted(TimeSpan deadline)
        {
            if (Interlocked.Increment(ref _attempts) == 1) Deadline.CancelAfter(deadline);
        }

        public void Dispose() => Deadline.Dispose();
    }

    /// <summary>An attempt took longer than <see cref="HttpPolicy.AttemptTimeout"/> after its admission.</summary>
    private sealed class AttemptTimedOutException() : TimeoutException("attempt timed out");

    private sealed class ResponseTooLargeException() : IOException("response too large");

    /// <summary>A body read whole (so that a truncated one fails inside the pipeline, where it is retried).</summary>
    private sealed class BufferedContent(byte[] bytes) : ByteArrayContent(bytes)
    {
        public byte[] Bytes { get; } = bytes;
    }

    /// <summary>
    /// The innermost handler: waits for admission, sends a copy of the request through the
    /// transport (an attempt is a new message, so retries never resend a used one), tells the gate
    /// when the answer's headers arrive, and reads the body under the size cap.
    /// </summary>
    private sealed class AdmittedTransport(PoliteClient owner, HttpClient transport) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancel)
        {
            using var lease = await owner._policy.Admission.EnterAsync(cancel).ConfigureAwait(false);
            Interlocked.Increment(ref owner._requests);
            Current.Value?.Admitted(owner._policy.Deadline);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            attempt.CancelAfter(owner._policy.AttemptTimeout);
            try
            {
                return await AttemptAsync(request, lease, attempt.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (attempt.IsCancellationRequested && !cancel.IsCancellationRequested)
            {
                throw new AttemptTimedOutException();
            }
        }

        private async Task<HttpResponseMessage> AttemptAsync(HttpRequestMessage request, RateGate.ILease lease, CancellationToken cancel)
        {
            using var copy = new HttpRequestMessage(request.Method, request.RequestUri);
            foreach (var header in request.Headers) copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            var response = await transport.SendAsync(copy, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            try
            {
                lease.Answered();
                owner._policy.Observe?.Invoke(response);
                var body = await ReadCappedAsync(response.Content, owner._policy.MaxBytes, cancel).ConfigureAwait(false);
                var buffered = new BufferedContent(body);
                foreach (var header in response.Content.Headers) buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
                buffered.Headers.ContentLength = body.Length;
                response.Content.Dispose();
                response.Content = buffered;
                response.RequestMessage = request;
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        private static async Task<byte[]> ReadCappedAsync(HttpContent content, long maxBytes, CancellationToken cancel)
        {
            if (content.Headers.ContentLength > maxBytes) throw new ResponseTooLargeException();
            await using var stream = await content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes) throw new ResponseTooLargeException();
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
    }
}
