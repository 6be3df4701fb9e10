using System.Globalization;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Sources;
using BibTool.Store;

namespace BibTool.Resolve;

public enum ChainState { Resolved, NotFound, NeedsFetch, Failed, Missing }

/// <summary>Where walking an identifier's chain of sources ended.</summary>
public sealed record ChainResult(ChainState State, Work? Work = null, string? Message = null, ISourceHandler? Source = null, Identifier? Fetch = null)
{
    public static ChainResult Resolved(Work work) => new(ChainState.Resolved, work);
    public static ChainResult NotFound(string message) => new(ChainState.NotFound, Message: message);
    public static ChainResult Failed(string message) => new(ChainState.Failed, Message: message);
    public static ChainResult Missing(string message) => new(ChainState.Missing, Message: message);
    public static ChainResult NeedsFetch(ISourceHandler source, Identifier identifier) => new(ChainState.NeedsFetch, Source: source, Fetch: identifier);
}

/// <summary>What one run knows beyond the store: offline or not, what it fetched and what failed.</summary>
public sealed class ChainRun
{
    public static ChainRun OfflineReadOnly() => new(offline: true, refresh: false, canFetch: _ => false);

    public ChainRun(bool offline, bool refresh, Func<string, bool> canFetch, TimeSpan? maxAge = null)
    {
        Offline = offline;
        Refresh = refresh;
        FetchedBefore = maxAge is { } age ? DateTimeOffset.UtcNow - age : null;
        CanFetch = offline ? _ => false : canFetch;
    }

    public bool Offline { get; }
    public bool Refresh { get; }

    /// <summary>Records fetched before this are fetched again (resolve --max-age).</summary>
    public DateTimeOffset? FetchedBefore { get; }
    public Func<string, bool> CanFetch { get; }
    private readonly HashSet<(string, Identifier)> _fetched = [];
    private readonly Dictionary<(string, Identifier), string> _failures = [];

    public event Action<string>? Damaged;

    public void MarkFetched(string source, Identifier identifier) { lock (_fetched) _fetched.Add((source, identifier)); }
    public bool WasFetched(string source, Identifier identifier) { lock (_fetched) return _fetched.Contains((source, identifier)); }
    public void MarkFailed(string source, Identifier identifier, string message) { lock (_failures) _failures[(source, identifier)] = message; }
    public string? FailureOf(string source, Identifier identifier) { lock (_failures) return _failures.GetValueOrDefault((source, identifier)); }
    internal void ReportDamaged(string problem) => Damaged?.Invoke(problem);
}

/// <summary>
/// Walks an identifier's chain of sources through the store: each source's record in turn, a
/// negative answer passing on to the next source, an alias (a PMCID's DOI, a landing page's DOI,
/// a search's match, a Crossref 301) followed to its target, and the first record a mapper can
/// read giving the work. Resolver and library share it, so both agree on what a store holds.
/// </summary>
public sealed class RecordChain(MetadataStore store, SourceRegistry registry)
{
    private const int MaxHops = 5;

    public MetadataStore Store => store;
    public SourceRegistry Registry => registry;

    public ChainResult Walk(Identifier identifier, ChainRun run) => Walk(identifier, identifier.WorkKey, run, 0);

    private ChainResult Walk(Identifier id, string rootKey, ChainRun run, int hops)
    {
        if (hops > MaxHops) return ChainResult.Failed($"{id}: too many aliases");
        var negatives = new List<string>();
        string? negative = null;
        var unconfigured = new List<string>();
        foreach (var source in registry.ChainFor(id))
        {
            if (run.FailureOf(source.Name, id) is { } failure) return ChainResult.Failed(failure);
            var fetchable = run.CanFetch(source.Name) && !run.WasFetched(source.Name, id);
            if (run.Refresh && fetchable) return ChainResult.NeedsFetch(source, id);

            var state = store.TryRead(source.Name, id, out var record, out var problem);
            if (state == MetadataStore.ReadState.Missing)
            {
                if (fetchable) return ChainResult.NeedsFetch(source, id);
                if (run.Offline) return ChainResult.Missing("not in the store (offline)");
                unconfigured.Add(source.Service);
                continue;
            }
            if (state == MetadataStore.ReadState.Damaged)
            {
                run.ReportDamaged(problem!);
                return fetchable ? ChainResult.NeedsFetch(source, id) : ChainResult.Failed(problem!);
            }
            if (fetchable && run.FetchedBefore is { } limit && record!.Fetched < limit) return ChainResult.NeedsFetch(source, id);
            if (record!.IsNotFound)
            {
                negatives.Add(NotFoundPart(source, record));
                continue;
            }
            if (record.AliasOf is { } alias && Parse(alias) is { } target && !target.Equals(id))
            {
                var followed = Walk(target, rootKey, run, hops + 1);
                if (followed.State == ChainState.Resolved) return ChainResult.Resolved(Relate(followed.Work!, id, source, record));
                if (followed.State != ChainState.NotFound) return followed;
                // The alias leads nowhere: this record's own metadata, if it has any, is the answer.
                negative = followed.Message;
            }

            Work? work;
            try { work = source.Map(rootKey, record); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var unreadable = $"{Describe(source, id)}: stored answer cannot be read ({e.Message})";
                run.ReportDamaged(unreadable);
                return fetchable ? ChainResult.NeedsFetch(source, id) : ChainResult.Failed(unreadable);
            }
            if (work is null)
            {
                negative = $"no citation metadata in {source.Service}'s answer for {id}";
                continue;
            }
            work.Provenance.Source = source.Name;
            work.Provenance.Canonical ??= id.WorkKey;
            work.Provenance.MatchedBy ??= "identifier";
            Relate(work, id, source, record);
            return ChainResult.Resolved(work);
        }
        if (negatives.Count > 0) negative = $"not found at {string.Join(", nor at ", negatives)}" + (negative is null ? "" : $"; {negative}");
        if (negative is null && unconfigured.Count > 0) return ChainResult.Failed($"no client for {string.Join(" or ", unconfigured)} in this run");
        return ChainResult.NotFound(negative ?? $"no metadata source answers {id.TypeName} identifiers");
    }

    private string Describe(ISourceHandler source, Identifier id) =>
        Path.GetRelativePath(System.IO.Directory.GetCurrentDirectory(), store.PathFor(source.Name, id));

    /// <summary>"Crossref (HTTP 404, 2026-11-28)": who said no, how, and when (the answer is stored).</summary>
    private static string NotFoundPart(ISourceHandler source, StoredRecord record) =>
        $"{source.Service} ({record.Extra.GetValueOrDefault("absent") ?? $"HTTP {record.Status}"}, {record.Fetched:yyyy-MM-dd})";

    private static Identifier? Parse(string key)
    {
        var parsed = IdentifierParser.ParseKey(key);
        return parsed.Type == IdentifierType.None ? null : parsed;
    }

    /// <summary>
    /// Keeps every identifier the work was reached through (PMID, PMCID, landing page) on it, and
    /// says how it was matched, so one paper under two identifiers stays one work.
    /// </summary>
    /// <summary>Identifiers a record's source names beside its own (a PMC record's PMID): kept on the work.</summary>
    private static readonly string[] RecordedIds = ["pmid", "pmcid"];

    private static Work Relate(Work work, Identifier via, ISourceHandler source, StoredRecord record)
    {
        // The DOI and the preprint id are fields of the work already; every other scheme goes in its set.
        if (via.IsResolvable && via.Type != IdentifierType.Doi && via.Type != IdentifierType.Arxiv) work.Ids.TryAdd(via.TypeName, via.Value);
        foreach (var scheme in RecordedIds)
            if (record.Extra.GetValueOrDefault(scheme) is { Length: > 0 } value) work.Ids.TryAdd(scheme, value);
        if (record.AliasOf is not null && !work.Provenance.Canonical!.Equals(via.WorkKey, StringComparison.Ordinal))
        {
            work.Provenance.MatchedBy = record.Extra.GetValueOrDefault("matched-by") ?? $"{via.TypeName} via {source.Name}";
            if (double.TryParse(record.Extra.GetValueOrDefault("score"), NumberStyles.Float, CultureInfo.InvariantCulture, out var score)) work.Provenance.Score = score;
        }
        return work;
    }
}
