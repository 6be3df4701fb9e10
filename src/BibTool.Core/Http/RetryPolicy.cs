using System.Net;
using System.Net.Http.Headers;

namespace BibTool.Http;

/// <summary>
/// Which failures are worth another try and how long to wait: 429 and 5xx, timeouts, resets and
/// truncated bodies are; other 4xx are answers. Waits grow exponentially with full jitter and
/// honour Retry-After when the server sends it.
/// </summary>
public sealed record RetryPolicy
{
    public int MaxAttempts { get; init; } = 5;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);
    public Random Random { get; init; } = Random.Shared;

    public static bool IsRetryable(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Transport failures (wrapped by Refit or HttpClient at any depth) are worth another try.</summary>
    public static bool IsRetryable(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
            if (e is HttpRequestException or IOException or TimeoutException or System.Net.Sockets.SocketException) return true;
        return false;
    }

    /// <summary>
    /// Failures that say the service cannot be reached at all (no DNS, no route, nothing
    /// listening): worth one more try, not five, since a machine without network would
    /// otherwise spend minutes backing off for every identifier.
    /// </summary>
    public static bool IsUnreachable(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
            if (e is System.Net.Sockets.SocketException socket && socket.SocketErrorCode is
                System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.TryAgain or System.Net.Sockets.SocketError.NoData or
                System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.HostUnreachable or System.Net.Sockets.SocketError.ConnectionRefused)
                return true;
        return false;
    }

    /// <summary>Attempts allowed for an unreachable service before giving up on one request.</summary>
    public const int UnreachableAttempts = 2;

    /// <summary>The wait before attempt <paramref name="attempt"/>+1 (attempt counts from 1).</summary>
    public TimeSpan Delay(int attempt, RetryConditionHeaderValue? retryAfter = null, DateTimeOffset? now = null)
    {
        if (retryAfter?.Delta is { } delta) return Clamp(delta);
        if (retryAfter?.Date is { } date) return Clamp(date - (now ?? DateTimeOffset.UtcNow));
        var ceiling = BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        ceiling = Math.Min(ceiling, MaxDelay.TotalMilliseconds);
        // Full jitter, but never less than half the ceiling, so a retry is always a real pause.
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.NextDouble() * ceiling / 2);
    }

    private TimeSpan Clamp(TimeSpan delay) => delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : delay;
}
