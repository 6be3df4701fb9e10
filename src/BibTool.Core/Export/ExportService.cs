using BibTool.Filtering;
using BibTool.Identifiers;
using BibTool.Keys;
using BibTool.Model;
using BibTool.Resolve;
using BibTool.Survey;
using BibTool.Store;

namespace BibTool.Export;

/// <summary>A work that will be written from the survey alone, the row that names it first, and why.</summary>
public sealed record Unresolved(Identifier Identifier, SurveyEntry Row, string Reason);

/// <summary>
/// What an export will write: its rows (read again for each pass, never all held: a large
/// survey's rows stay in their temporary file), the works behind them, and what the run said of
/// the works it could not resolve.
/// </summary>
public sealed record ExportPlan(IEnumerable<SurveyEntry> Entries, WorkLibrary Library, ResolveReport Report)
{
    private readonly Dictionary<Identifier, string> _messages = Report.Resolutions.Where(r => r.Message is not null).ToDictionary(r => r.Identifier, r => r.Message!);

    /// <summary>Why a work has no record: what the run said, else what the store says.</summary>
    public string Reason(Identifier id) => _messages.GetValueOrDefault(id) ?? Library.Lookup(id).Problem ?? "not resolved";

    /// <summary>The works no source resolved, each with the first row naming it, in survey order (one pass over the rows).</summary>
    public IEnumerable<Unresolved> Unresolved()
    {
        var seen = new HashSet<Identifier>();
        foreach (var entry in Entries)
            if (entry.Identifier.Type != IdentifierType.None && seen.Add(entry.Identifier) && Library.Find(entry.Identifier) is null)
                yield return new Unresolved(entry.Identifier, entry, Reason(entry.Identifier));
    }
}

/// <summary>
/// Export as one service: the rows the place and survey-field filters keep are resolved (or read
/// offline), conditions on resolved fields are tested against the record that will be written,
/// the works nothing resolved are listed with their reasons, and items come out with pinned keys.
/// </summary>
public sealed class ExportService(BibToolSettings settings, string version)
{
    private readonly ResolveService _resolve = new(settings, version);

    public async Task<ExportPlan> PrepareAsync(Survey.Survey survey, EntryFilter filter, bool offline, ResolveObserver? observer, CancellationToken cancel, bool preferPublished = false)
    {
        // Place filters first, so only the works that can be in the result are resolved. The rows
        // are filtered as they are read, for each pass: a survey of a million rows is never held.
        var placed = survey.Entries.Where(filter.MatchesSurveyFields);
        // A large survey's works are read from the store as the rows go by, not remembered.
        var remember = !survey.IsLarge;
        WorkLibrary library;
        var report = new ResolveReport([], 0, TimeSpan.Zero);
        if (offline)
        {
            // The store alone: nothing to fetch, so no run; a work it lacks says why when asked.
            library = new WorkLibrary(_resolve.Store, remember);
            // A small survey's works are read on every core while the export writes the first ones.
            if (remember) library.Prefetch(placed.Select(e => e.Identifier).Where(i => i.IsResolvable).Distinct().ToList(), Environment.ProcessorCount);
        }
        else
        {
            var requests = BibTool.Sources.SourceRegistry.RequestsFor(placed);
            (library, report) = await _resolve.ResolveAsync(requests, offline, refresh: false, observer, cancel).ConfigureAwait(false);
            if (!remember) library = new WorkLibrary(_resolve.Store, remember: false);
            if (preferPublished)
            {
                // Preprints whose records name no journal version are looked up by title and first author,
                // then the journal versions are resolved too (the store keeps them).
                var searches = await _resolve.FindPublishedAsync(requests.Select(r => r.Identifier), offline, refresh: false, observer, cancel, library: library).ConfigureAwait(false);
                if (searches > 0) library = new WorkLibrary(_resolve.Store, remember);
                report = report with { Requests = report.Requests + searches };
                var published = requests.Select(r => library.Find(r.Identifier)).OfType<Model.Work>()
                    .Where(w => w is { IsPreprint: true, PublishedDoi: not null }).Select(w => IdentifierParser.Parse("doi:" + w.PublishedDoi))
                    .Where(id => id.Type == IdentifierType.Doi).Distinct().Select(id => new Sources.SourceRequest(id)).ToList();
                if (published.Count > 0)
                {
                    var (_, more) = await _resolve.ResolveAsync(published, offline, refresh: false, observer, cancel).ConfigureAwait(false);
                    library = new WorkLibrary(_resolve.Store, remember);
                    report = report with { Requests = report.Requests + more.Requests };
                }
            }
        }
        var entries = filter.NeedsWorks ? placed.Where(e => filter.Matches(e, WorkFor(library, e))) : placed;
        return new ExportPlan(entries, library, report);
    }

    /// <summary>The record a row will be written as: resolved, or built from the survey.</summary>
    public static Work? WorkFor(WorkLibrary library, SurveyEntry entry) =>
        entry.Identifier.Type == IdentifierType.None ? null : library.Find(entry.Identifier) ?? BibTool.Sources.SourceRegistry.FromSurvey(entry.Identifier, [entry]);

    /// <summary>
    /// Opens the pinned keys for handing out: the store's lock is held until the session ends, so
    /// two exports at once never give one key to two works nor lose each other's pins. A store that
    /// cannot be written is read without the lock; its keys are then not remembered.
    /// </summary>
    /// <param name="wholeStore">The export will be of the whole store: its records are listed while the pins load (both are needed before the first work).</param>
    public KeySession OpenKeys(TimeSpan wait, bool wholeStore = false, Action<string>? waiting = null)
    {
        StoreLock? held = null;
        string? warning = null;
        try { held = _resolve.Store.Lock(settings.LockWait ?? wait, waiting); }
        catch (StoreReadOnlyException e) { warning = $"citation keys not pinned: {e.Message}"; }
        var listing = wholeStore ? Task.Run(_resolve.Store.RecordPaths) : null;
        try { return new KeySession(new KeyPins(settings.CacheDirectory), held, warning, listing); }
        catch
        {
            held?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Each survey row's record as an export writes it (its key pinned in <paramref name="keys"/>), by
    /// the row's line: what fix's key column and the report's copy buttons show.
    /// </summary>
    public Dictionary<int, ExportItem> ItemsByLine(KeySession keys, Resolve.WorkLibrary library, IEnumerable<Survey.SurveyEntry> entries)
    {
        var byLine = new Dictionary<int, ExportItem>();
        foreach (var item in new Exporter(library.Find, keys.Pins, settings.KeyPattern).Items(entries))
            foreach (var row in item.Rows) byLine.TryAdd(row.Line, item);
        return byLine;
    }

    /// <summary>
    /// Hands out keys under the store's lock and writes the items as they are produced (through
    /// <paramref name="output"/>: a file replaced atomically, or a stream), then pins the keys;
    /// returns how many records were written. Pins that cannot be read stop it before anything is
    /// written (an <see cref="IOException"/>: the store's fault); a retracted work is said as it goes by.
    /// </summary>
    public int WriteKeyed(IBibliographyWriter writer, string? keyPattern, Func<KeySession, string?, IEnumerable<ExportItem>> items,
        Action<Action<TextWriter>> output, Action<string> say, CancellationToken cancel, Action<ExportItem>? onItem = null, bool wholeStore = false)
    {
        KeySession keys;
        try { keys = OpenKeys(TimeSpan.FromSeconds(60), wholeStore, message => say($"note: {message}")); }
        catch (FormatException e) { throw new IOException(e.Message, e); }
        using var _ = keys;
        foreach (var problem in keys.Pins.Problems) say($"warning: {problem}");
        var written = 0;
        var counted = items(keys, keyPattern ?? settings.KeyPattern).Select(item =>
        {
            // Ctrl+C stops between records: the temporary output is removed, the old file stays.
            cancel.ThrowIfCancellationRequested();
            written++;
            onItem?.Invoke(item);
            // A retracted work can still be cited (to discuss it), never unknowingly.
            if (item.Work.Retraction is { } retraction) say($"warning: {item.Key} ({item.Work.Id}): {retraction.Describe()}");
            return item;
        });
        output(text => Writers.WriteAll(writer, counted, text));
        keys.Save();
        if (keys.Warning is { } notPinned) say($"warning: {notPinned}");
        return written;
    }

    /// <summary>Every work the store resolves, no survey needed (keys pinned as for a survey).</summary>
    /// <remarks>Called while the key session holds the store's lock, so the derived index is kept up to date as the works go by.</remarks>
    public IEnumerable<ExportItem> AllItems(EntryFilter filter, KeySession keys, string? keyPattern) =>
        StoreExport.Items(_resolve.Store, keys.Pins, keyPattern, filter.MatchesWork, maintainIndex: true, keys.Listing);
}

/// <summary>Pinned keys held under the store's lock while an export hands keys out.</summary>
public sealed class KeySession(KeyPins pins, StoreLock? held, string? warning, Task<List<string>>? listing = null) : IDisposable
{
    public KeyPins Pins { get; } = pins;

    /// <summary>The store's record paths, being listed (for a whole-store export).</summary>
    public Task<List<string>>? Listing { get; } = listing;

    /// <summary>Why keys will not be remembered, if they will not.</summary>
    public string? Warning { get; private set; } = warning;

    public void Save()
    {
        if (held is null) return;
        try { Pins.Save(); }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException) { Warning = $"citation keys not pinned ({e.Message})"; }
    }

    public void Dispose() => held?.Dispose();
}
