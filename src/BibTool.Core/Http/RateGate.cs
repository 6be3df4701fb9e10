namespace BibTool.Http;

/// <summary>
/// Admits requests so that at most <see cref="Limit"/> start in any sliding window of
/// <see cref="Interval"/> and at most <see cref="Concurrency"/> are in flight. Limits can change
/// at any time (a server advertises new ones), and a server's "back off" pauses everyone.
/// The window is measured from the moment a request is admitted, with a small margin, so the
/// server, which sees each request a little later, never counts more than the limit. A request
/// whose answer took longer than the quickest (a cold start, a new connection's handshake) may have
/// reached the server late, so its place in the window moves to when it probably arrived.
/// </summary>
public sealed class RateGate : IAdmission
{
    private readonly object _lock = new();
    private readonly List<Slot> _starts = [];
    private readonly List<TimeSpan> _roundTrips = [];
    private readonly TimeProvider _time;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private DateTime _pausedUntil;

    public RateGate(int limit, TimeSpan interval, int concurrency, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        SetLimits(limit, interval, concurrency);
    }

    public int Limit { get; private set; }
    public TimeSpan Interval { get; private set; }
    public int Concurrency { get; private set; }

    /// <summary>Extra time added to the window so that arrival jitter never looks like a burst.</summary>
    public TimeSpan Margin { get; init; } = TimeSpan.FromMilliseconds(15);

    public void SetLimits(int limit, TimeSpan interval, int concurrency)
    {
        lock (_lock)
        {
            Limit = Math.Max(1, limit);
            Interval = interval <= TimeSpan.Zero ? TimeSpan.FromSeconds(1) : interval;
            Concurrency = Math.Max(1, concurrency);
            Signal();
        }
    }

    /// <summary>Stops admitting anyone until <paramref name="delay"/> has passed (429 / Retry-After).</summary>
    public void PauseFor(TimeSpan delay)
    {
        lock (_lock)
        {
            var until = Now + delay;
            if (until > _pausedUntil) _pausedUntil = until;
        }
    }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    public async Task<ILease> EnterAsync(CancellationToken cancel)
    {
        while (true)
        {
            TimeSpan wait;
            Task changed;
            lock (_lock)
            {
                var now = Now;
                var window = Interval + Margin;
                _starts.RemoveAll(slot => now - slot.Stamp >= window);
                if (now >= _pausedUntil && _inFlight < Concurrency && _starts.Count < Limit)
                {
                    _inFlight++;
                    var slot = new Slot(now);
                    _starts.Add(slot);
                    return new Lease(this, slot);
                }
                wait = now < _pausedUntil ? _pausedUntil - now
                    : _starts.Count >= Limit ? _starts.Min(s => s.Stamp) + window - now
                    : Timeout.InfiniteTimeSpan;
                changed = _changed.Task;
            }
            if (wait == Timeout.InfiniteTimeSpan) await changed.WaitAsync(cancel).ConfigureAwait(false);
            else await Task.WhenAny(changed, Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, _time, cancel)).ConfigureAwait(false);
            cancel.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// The answer to an admitted request has begun to arrive. The request reached the server at
    /// about the answer's time less the quickest round trip seen (a server's own time to answer
    /// barely varies; a new connection, a cold start or a queue on the way delays the arrival), and
    /// never before it was admitted. With nothing to compare yet, the worst: it arrived just now.
    /// </summary>
    private void Answered(Slot slot)
    {
        lock (_lock)
        {
            var now = Now;
            var roundTrip = now - slot.Admitted;
            var arrived = _roundTrips.Count == 0 ? now : now - _roundTrips.Min();
            if (arrived > slot.Stamp) slot.Stamp = arrived;
            _roundTrips.Add(roundTrip);
            if (_roundTrips.Count > 32) _roundTrips.RemoveAt(0);
        }
    }

    private sealed class Slot(DateTime admitted)
    {
        public DateTime Admitted { get; } = admitted;
        public DateTime Stamp { get; set; } = admitted;
    }

    private void Release()
    {
        lock (_lock)
        {
            _inFlight--;
            Signal();
        }
    }

    private void Signal()
    {
        var old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    public interface ILease : IDisposable
    {
        /// <summary>Call when the response headers arrive.</summary>
        void Answered();
    }

    private sealed class Lease(RateGate gate, Slot slot) : ILease
    {
        private int _disposed, _answered;
        public void Answered()
        {
            if (Interlocked.Exchange(ref _answered, 1) == 0) gate.Answered(slot);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) gate.Release();
        }
    }
}
