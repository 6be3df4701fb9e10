using System.Diagnostics;
using BibTool.Http;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>
/// When the clock starts and where a request is placed in the rate window (issue 20). Servers here
/// are SYNTHETIC: their answers are made in the test.
/// </summary>
public class PolitenessTests
{
    private static PoliteClient Client(LoopbackServer server, IAdmission admission, TimeSpan attempt, TimeSpan? total = null) =>
        new(new HttpPolicy { Service = "test", Admission = admission, Retry = Clients.FastRetry, AttemptTimeout = attempt, TotalTimeout = total }, Clients.Http(server));

    [Fact]
    public async Task WaitingInTheGatesQueueIsNoTimeout()
    {
        // 2 admissions a second, 6 requests at once: the last waits about 2 s for its turn, far
        // longer than an attempt may take. Each is still asked once, and answered.
        await using var server = new LoopbackServer(_ => Reply.Text(200, "ok"));
        var http = Client(server, new RateGate(2, TimeSpan.FromSeconds(1), concurrency: 2), attempt: TimeSpan.FromMilliseconds(600));
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => http.SendAsync(token => http.Client.GetAsync($"/{i}", token), default)));
        foreach (var (answer, error, attempts) in results)
        {
            Assert.True(answer is not null, error);
            Assert.Equal(1, attempts);
        }
        Assert.Equal(6, server.Requests.Count);
    }

    [Fact]
    public async Task ASlowDripIsCutAtTheDeadlineNotAfterEveryRetry()
    {
        // Headers at once, then one byte every 50 ms of a 4 KB body (over 3 minutes if let run).
        // Each attempt gives up after 0.5 s; four attempts would take 2 s and more. The deadline of
        // the whole request, 1 s, ends it first.
        await using var server = new LoopbackServer(_ => new Reply { Body = new byte[4096], DripEvery = TimeSpan.FromMilliseconds(50), Headers = [("Content-Type", "application/json")] });
        var http = Client(server, new RateGate(100, TimeSpan.FromSeconds(1), concurrency: 4), attempt: TimeSpan.FromMilliseconds(500), total: TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        var (answer, error, attempts) = await http.SendAsync(token => http.Client.GetAsync("/drip", token), default);
        clock.Stop();
        Assert.Null(answer);
        Assert.StartsWith("no complete answer from test within the deadline of 1 s", error);
        Assert.InRange(attempts, 1, 2);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.8), $"{clock.Elapsed.TotalSeconds:0.00} s");
    }

    [Fact]
    public void TheDefaultDeadlineIsTwoAttempts() =>
        Assert.Equal(TimeSpan.FromSeconds(60), new HttpPolicy { Service = "x", Admission = new PacingGate(TimeSpan.Zero) }.Deadline);

    [Fact]
    public void ARequestThatArrivedLateKeepsItsPlaceInTheWindowFromItsArrival()
    {
        // A manual clock. 2 requests in any 1 s. A's round trip is 100 ms, the quickest seen; B's,
        // 200 ms, so B reached the server about 100 ms after it was admitted, at 0.2 s. At 1.15 s
        // A's place has left the window but B's has not: one more request may start, not two.
        var clock = new ManualClock();
        var gate = new RateGate(2, TimeSpan.FromSeconds(1), concurrency: 10, clock) { Margin = TimeSpan.Zero };
        var a = Enter(gate);
        clock.Advance(0.1);
        a.Answered();
        var b = Enter(gate);
        clock.Advance(0.2);
        b.Answered();
        clock.Advance(0.85);
        Enter(gate);
        using var stop = new CancellationTokenSource();
        var fourth = gate.EnterAsync(stop.Token);
        Assert.False(fourth.IsCompleted, "a third request started within one second of B's arrival");
        stop.Cancel();
    }

    private static RateGate.ILease Enter(RateGate gate)
    {
        var entering = gate.EnterAsync(default);
        Assert.True(entering.IsCompletedSuccessfully, "the gate should admit at once");
        return entering.Result;
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public void Advance(double seconds) => _now += TimeSpan.FromSeconds(seconds);
        public override DateTimeOffset GetUtcNow() => _now;
    }
}
