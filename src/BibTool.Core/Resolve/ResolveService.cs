using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Sources;
using BibTool.Store;

namespace BibTool.Resolve;

/// <summary>What a front end sees of a run while it goes (progress, warnings), all optional.</summary>
public sealed class ResolveObserver
{
    /// <summary>Before the run starts: how many works it will settle, and whether it may use the network.</summary>
    public Action<int, bool>? Starting { get; init; }
    public Action<Resolution>? Settled { get; init; }
    public Action<string>? Warning { get; init; }

    /// <summary>Advice that is not a problem (no --mailto).</summary>
    public Action<string>? Note { get; init; }

    /// <summary>What the run will do, said before its first request: "resolving 40 works (85 in the store): 30 crossref, 10 arxiv".</summary>
    public Action<string>? Plan { get; init; }
}

/// <summary>A refresh's outcome: the run, and per work what changed (in survey order, changed works only).</summary>
public sealed record RefreshResult(ResolveReport Report, IReadOnlyList<(Identifier Id, IReadOnlyList<FieldChange> Changes)> Changed, int Works);

/// <summary>Which stored records a refresh fetches again: all of them, those older than an age, or the named ones.</summary>
public sealed record RefreshScope(TimeSpan? OlderThan = null, IReadOnlySet<Identifier>? Only = null)
{
    public static RefreshScope All { get; } = new();
}

/// <summary>
/// Resolving as every command needs it: a store that already settles every work is only read (no
/// lock, no clients: it may be read-only); otherwise the store's lock is held while every source
/// of the registry fetches what the store lacks, within its limits.
/// </summary>
public sealed class ResolveService(BibToolSettings settings, string version, SourceRegistry? registry = null)
{
    private readonly SourceRegistry _registry = registry ?? SourceRegistry.Default;

    public MetadataStore Store { get; } = new(settings.CacheDirectory);

    /// <summary>How long a run waits for another bibtool process to release the store, unless --wait says otherwise.</summary>
    public static readonly TimeSpan DefaultLockWait = TimeSpan.FromSeconds(30);

    /// <param name="maxAge">Records older than this are fetched again (null: a stored answer is good for ever).</param>
    public async Task<(WorkLibrary Library, ResolveReport Report)> ResolveAsync(
        IReadOnlyList<SourceRequest> requests, bool offline, bool refresh, ResolveObserver? observer, CancellationToken cancel, TimeSpan? maxAge = null)
    {
        var needed = requests.Where(r => r.Identifier.IsResolvable).DistinctBy(r => r.Identifier).ToList();
        var reader = new WorkLibrary(Store, remember: false, _registry);
        // Walked once: what the store cannot settle decides both whether to go online and the mailto advice.
        var unsettled = needed.Where(r => !reader.IsSettled(r.Identifier)).ToList();
        offline |= !refresh && maxAge is null && unsettled.Count == 0;

        // A store whose layout bibtool will not go through is said before any request, with the fix.
        if (!offline && Store.LayoutProblems() is { Count: > 0 } problems) throw new StoreLayoutException(problems);
        using var storeLock = offline ? null : Store.Lock(settings.LockWait ?? DefaultLockWait, observer?.Note);
        var context = new SourceContext(settings, version);
        var fetchers = offline ? [] : _registry.Handlers.ToDictionary(h => h.Name, h => h.CreateFetcher(context));
        try
        {
            var resolver = new Resolver(Store, _registry, fetchers);
            resolver.Damaged += problem => observer?.Warning?.Invoke($"{problem}; fetching it again");
            if (observer?.Settled is { } settled) resolver.Settled += settled;
            if (!offline && settings.Mailto is null && unsettled.Any(r => r.Identifier.Type == IdentifierType.Doi))
                observer?.Note?.Invoke("no --mailto (or BIBTOOL_MAILTO): Crossref's public pool is slower than the polite pool");
            observer?.Starting?.Invoke(needed.Count, !offline);
            if (!offline && observer?.Plan is { } plan)
            {
                var toFetch = refresh || maxAge is not null ? needed : unsettled;
                var bySource = toFetch.GroupBy(r => _registry.ChainFor(r.Identifier).FirstOrDefault()?.Name ?? "none")
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
                var stored = needed.Count - toFetch.Count;
                plan($"resolving {toFetch.Count} works{(stored > 0 ? $" ({stored} already in the store)" : "")}: {string.Join(", ", bySource)}");
            }
            var report = await resolver.ResolveAsync(needed, offline, cancel, refresh, maxAge).ConfigureAwait(false);
            return (new WorkLibrary(Store, registry: _registry), report);
        }
        finally
        {
            foreach (var fetcher in fetchers.Values) fetcher.Dispose();
        }
    }

    /// <summary>
    /// What check, fix and report stand on: the rows' works resolved through the store, and each
    /// preprint's published version looked up by title and first author when its record names none
    /// (once; the store keeps the answer). The search says only its warnings to the observer.
    /// </summary>
    public async Task<WorkLibrary> ResolveForAuditAsync(IReadOnlyList<SourceRequest> requests, bool offline, ResolveObserver? observer, CancellationToken cancel)
    {
        var (library, _) = await ResolveAsync(requests, offline, refresh: false, observer, cancel).ConfigureAwait(false);
        var warnings = new ResolveObserver { Warning = observer?.Warning };
        if (await FindPublishedAsync(requests.Select(r => r.Identifier), offline, refresh: false, warnings, cancel, library: library).ConfigureAwait(false) > 0)
            library = new WorkLibrary(Store, registry: _registry);
        return library;
    }

    /// <summary>
    /// Looks for the published versions of the preprints among <paramref name="ids"/> whose records
    /// name none (Crossref search by title and first author), and stores what it finds beside them.
    /// A preprint already searched is not searched again unless <paramref name="refresh"/> or its
    /// search is older than <paramref name="maxAge"/>. Returns the requests made.
    /// </summary>
    /// <param name="library">The works as the caller already read them (saves reading the store again); by default read here.</param>
    public async Task<int> FindPublishedAsync(IEnumerable<Identifier> ids, bool offline, bool refresh, ResolveObserver? observer, CancellationToken cancel, TimeSpan? maxAge = null, WorkLibrary? library = null)
    {
        if (offline) return 0;
        library ??= new WorkLibrary(Store, remember: false, _registry);
        DateTimeOffset? searchedAfter = maxAge is { } age ? DateTimeOffset.UtcNow - age : null;
        var requests = new List<SourceRequest>();
        foreach (var work in ids.Where(i => i.IsResolvable).Distinct().Select(library.Find).OfType<Work>().DistinctBy(w => w.Id))
        {
            if (work is not { IsPreprint: true, PublishedDoi: null, Title: not null } || work.Authors.FirstOrDefault(a => !a.IsLiteral)?.Family is not { } author) continue;
            var key = IdentifierParser.ParseKey(work.Id);
            if (!key.IsResolvable) continue;
            if (!refresh && Store.TryRead(Sources.SourceRegistry.PublishedVersionSearch, key, out var record, out _) == MetadataStore.ReadState.Ok
                && (searchedAfter is null || record!.Fetched >= searchedAfter)) continue;
            requests.Add(new SourceRequest(key, work.Title.Plain, work.Year, author));
        }
        // A registry without a published-version search (a test's own) searches nothing.
        if (requests.Count == 0 || _registry.Named(Sources.SourceRegistry.PublishedVersionSearch) is not { } search) return 0;
        using var storeLock = Store.Lock(settings.LockWait ?? DefaultLockWait, observer?.Note);
        using var fetcher = search.CreateFetcher(new SourceContext(settings, version));
        var used = 0;
        await fetcher.FetchAsync(requests, result =>
        {
            Interlocked.Add(ref used, result.Requests);
            // A failed search (a service down) leaves nothing: it is asked again next time.
            foreach (var (id, record) in result.Records) Store.Write(id, record);
            if (result.Error is { } error && result.Records.Count == 0) observer?.Warning?.Invoke($"{result.Identifier}: {error}");
        }, cancel).ConfigureAwait(false);
        return used;
    }

    /// <summary>Fetches works again (all, those older than an age, or the named ones) and says, per work, what changed (normalized before and after).</summary>
    public async Task<RefreshResult> RefreshAsync(IReadOnlyList<SourceRequest> requests, ResolveObserver? observer, CancellationToken cancel, RefreshScope? scope = null)
    {
        scope ??= RefreshScope.All;
        if (scope.Only is { } only) requests = requests.Where(r => only.Contains(r.Identifier)).ToList();
        var ids = requests.Select(r => r.Identifier).Where(i => i.IsResolvable).Distinct().ToList();
        var old = new WorkLibrary(Store, remember: false, _registry);
        var before = ids.ToDictionary(id => id, id => old.Find(id));
        // An age limit refetches only what is older; otherwise every record in scope is fetched again.
        // A failed fetch leaves the old record in place: the store only replaces a record with a complete one.
        var (_, report) = await ResolveAsync(requests, offline: false, refresh: scope.OlderThan is null, observer, cancel, scope.OlderThan).ConfigureAwait(false);
        // Preprints whose records name no journal version are looked up by title and first author.
        var searches = await FindPublishedAsync(ids, offline: false, refresh: scope.OlderThan is null, observer, cancel, scope.OlderThan).ConfigureAwait(false);
        report = report with { Requests = report.Requests + searches };
        var now = new WorkLibrary(Store, remember: false, _registry);
        var changed = new List<(Identifier, IReadOnlyList<FieldChange>)>();
        foreach (var id in ids)
        {
            var changes = WorkChanges.Between(before[id], now.Find(id));
            if (changes.Count > 0) changed.Add((id, changes));
        }
        return new RefreshResult(report, changed, ids.Count);
    }
}
