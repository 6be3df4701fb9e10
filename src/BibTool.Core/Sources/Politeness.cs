using BibTool.Http;

namespace BibTool.Sources;

/// <summary>
/// A service's terms as its source keeps them: at most <see cref="Requests"/> in any window of
/// <see cref="Per"/> and <see cref="InFlight"/> at once; or, for a service that asks for a pause
/// between requests (arXiv), one request at a time and <see cref="Pause"/> after each ends;
/// <see cref="Batch"/> identifiers in one request; for landing pages, each host on its own.
/// Each source declares its terms (<see cref="ISourceHandler.Politeness"/>) and its fetcher is
/// built from them, so what a reader is told and what the fetcher does are one value.
/// </summary>
public sealed record Politeness(int Requests, TimeSpan Per, int InFlight = 1, TimeSpan? Pause = null, int Batch = 1, bool PerHost = false)
{
    public static Politeness Rate(int requests, TimeSpan per, int inFlight = 1, int batch = 1) => new(requests, per, inFlight, Batch: batch);

    public static Politeness Paced(TimeSpan pause, int batch = 1) => new(1, pause, 1, pause, batch);

    /// <summary>The gate that keeps these terms, its waits at <paramref name="pace"/> (1: the service's own; see <see cref="SourceContext.Pace"/>).</summary>
    public IAdmission Gate(double pace = 1) => Pause is null ? Limits(pace) : Pacing(pace);

    /// <summary>A rate gate for these terms (a service whose answers may move its limits, as Crossref's headers do).</summary>
    public RateGate Limits(double pace = 1) => new(Requests, Per * pace, InFlight);

    /// <summary>A pacing gate for these terms: the pause after each request.</summary>
    public PacingGate Pacing(double pace = 1) => new((Pause ?? Per) * pace);

    public override string ToString() =>
        (Pause is { } pause ? $"one request at a time, {Seconds(pause)} after each" : $"{Requests} per {Seconds(Per)}, {InFlight} in flight") +
        (Batch > 1 ? $", {Batch} ids a request" : "") + (PerHost ? ", per host" : "");

    private static string Seconds(TimeSpan span) => span.TotalSeconds == 1 ? "second" : $"{span.TotalSeconds:0.###} s";
}
