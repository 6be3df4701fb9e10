using BibTool.Keys;
using BibTool.Model;
using BibTool.Resolve;
using BibTool.Store;

namespace BibTool.Export;

/// <summary>
/// Every work of a store as export items, for libraries far larger than a survey: works come from
/// the derived index where it vouches for them, the rest are read and normalized on all cores, in
/// a stable order (ordinal by record path), and handed to the writer one at a time, so memory stays
/// flat whatever the store's size.
/// </summary>
public static class StoreExport
{
    /// <param name="keep">Which works to write (conditions on resolved fields); keys are given only to those.</param>
    /// <param name="maintainIndex">Keep the index up to date as the works go by (the caller holds the store's lock); otherwise it is only read.</param>
    /// <param name="listing">The store's record paths when their listing was started earlier (<see cref="MetadataStore.RecordPaths"/>).</param>
    public static IEnumerable<ExportItem> Items(MetadataStore store, KeyPins? pins = null, string? keyPattern = null, Func<Work, bool>? keep = null,
        bool maintainIndex = false, Task<List<string>>? listing = null)
    {
        var keys = new CitationKeys(keyPattern, pins?.Keys);
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var paths = listing?.GetAwaiter().GetResult() ?? store.RecordPaths();
        using var index = WorkIndex.Open(store.Directory);
        using var updater = maintainIndex ? new WorkIndex.Updater(store.Directory, index) : null;
        // Chunks keep both the order and the memory bounded: while one chunk is written, the next
        // ones are loaded on all cores (at most two chunks ahead).
        var chunks = System.Threading.Channels.Channel.CreateBounded<Work?[]>(2);
        var producer = Task.Run(async () =>
        {
            try
            {
                var raw = new WorkIndex.Chunk();
                foreach (var chunk in paths.Chunk(256))
                {
                    raw.Clear();
                    var indexed = new WorkIndex.Entry?[chunk.Length];
                    for (var i = 0; i < chunk.Length; i++) indexed[i] = index?.Take(chunk[i], raw);
                    var loaded = new Work?[chunk.Length];
                    var stamps = FolderStamps.Of(store.Directory, chunk);
                    var fresh = new byte[]?[chunk.Length];
                    Parallel.For(0, chunk.Length, i =>
                    {
                        // A record removed since the listing is simply not there.
                        if (stamps[i] is not { } stamp) return;
                        if (indexed[i] is { } entry && entry.Stamp == stamp && TryDecode(raw.Span(entry.WorkStart, entry.WorkLength), out var decoded))
                            loaded[i] = decoded;
                        else
                        {
                            indexed[i] = null;
                            loaded[i] = Load(store, Path.Join(store.Directory, chunk[i]));
                            if (updater is not null) fresh[i] = loaded[i] is { } work ? WorkCodec.Encode(work) : [];
                        }
                    });
                    if (updater is not null)
                        for (var i = 0; i < chunk.Length; i++)
                        {
                            if (indexed[i] is { } entry) updater.Unchanged(entry, raw);
                            else if (stamps[i] is { } stamp) updater.Changed(chunk[i], stamp, fresh[i]);
                        }
                    await chunks.Writer.WriteAsync(loaded).ConfigureAwait(false);
                }
                updater?.Commit();
                chunks.Writer.Complete();
            }
            catch (Exception e) { chunks.Writer.Complete(e); }
        });
        while (chunks.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            if (!chunks.Reader.TryRead(out var works)) continue;
            foreach (var work in works)
            {
                if (work is null || keep?.Invoke(work) == false) continue;
                string key;
                if (pins?.Find(work.Id) is { } pinned && written.Add(pinned)) key = pinned;
                else written.Add(key = keys.Assign(work));
                pins?.Pin(work.Id, key);
                yield return new ExportItem(work, key, []) { Aliases = pins?.Aliases(work.Id) ?? [] };
            }
        }
        producer.GetAwaiter().GetResult();
    }

    /// <summary>An indexed work (none for an empty entry); an entry that cannot be decoded sends the reader to the record.</summary>
    private static bool TryDecode(ReadOnlySpan<byte> bytes, out Work? work)
    {
        work = null;
        if (bytes.Length == 0) return true;
        try { work = WorkCodec.Decode(bytes); return true; }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or ArgumentException or OverflowException) { return false; }
    }

    private static Work? Load(MetadataStore store, string file)
    {
        byte[] data;
        // A record removed while listing is simply not there.
        try { data = File.ReadAllBytes(file); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
        var record = StoredRecord.Parse(data, out var damage);
        if (damage is not null || record.AliasOf is not null || record.IsNotFound) return null;
        if (record.Source is null) record = record.WithSource(store.SourceOf(file));
        // One unreadable record never stops a whole-store export: it is skipped.
        try { return WorkLibrary.Normalize(record.Key, record); }
        catch (Exception e) when (e is not OutOfMemoryException) { return null; }
    }
}
