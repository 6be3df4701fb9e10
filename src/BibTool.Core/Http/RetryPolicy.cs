using System.Net;
using System.Net.Http.Headers;

namespace BibTool.Http;

/// <summary>
/// Which failures are worth another try and how long to wait: 429 and 5xx, timeouts, resets and
/// truncated bodies are; other 4xx are answers. Waits grow exponentially with full jitter and
/// honour Retry-After when the server sends it.
/// </summary>
public sealed class RetryPolicy
{
    public int MaxAttempts { get; init; } = 5;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);
    public Random Random { get; init; } = Random.Shared;

    public static bool IsRetryable(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    public static bool IsRetryable(Exception error) =>
        error is HttpRequestException or IOException or TimeoutException or System.Net.Sockets.SocketException ||
        (error is TaskCanceledException && error.InnerException is TimeoutException);

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
