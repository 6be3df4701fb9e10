namespace BibTool.Http;

/// <summary>What admits a request to a service: a rate gate (limits per window) or a pacing gate (one at a time, spaced).</summary>
public interface IAdmission
{
    Task<RateGate.ILease> EnterAsync(CancellationToken cancel);

    /// <summary>Nobody is admitted until <paramref name="delay"/> has passed (a 429's Retry-After).</summary>
    void PauseFor(TimeSpan delay);
}

/// <summary>
/// One request at a time, each starting at least <see cref="Interval"/> after the previous one
/// ended (arXiv's terms: one request every three seconds, a single connection). Counted from the
/// end of the exchange, so the service sees the next request no sooner than the interval after it
/// saw this one, however long this one took to arrive.
/// </summary>
public sealed class PacingGate(TimeSpan interval) : IAdmission
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly object _lock = new();
    private DateTime _next = DateTime.MinValue;

    public TimeSpan Interval { get; set; } = interval;

    public async Task<RateGate.ILease> EnterAsync(CancellationToken cancel)
    {
        await _one.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            while (true)
            {
                TimeSpan delay;
                lock (_lock) delay = _next - DateTime.UtcNow;
                if (delay <= TimeSpan.Zero) break;
                await Task.Delay(delay, cancel).ConfigureAwait(false);
            }
        }
        catch
        {
            _one.Release();
            throw;
        }
        return new Lease(this);
    }

    public void PauseFor(TimeSpan delay)
    {
        lock (_lock)
        {
            var until = DateTime.UtcNow + delay;
            if (until > _next) _next = until;
        }
    }

    private sealed class Lease(PacingGate gate) : RateGate.ILease
    {
        private int _disposed;
        public void Answered() { }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            gate.PauseFor(gate.Interval);
            gate._one.Release();
        }
    }
}
