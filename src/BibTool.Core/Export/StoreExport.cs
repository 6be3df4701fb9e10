using BibTool.Keys;
using BibTool.Model;
using BibTool.Resolve;
using BibTool.Store;

namespace BibTool.Export;

/// <summary>
/// Every work of a store as export items, for libraries far larger than a survey: records are
/// read and normalized on all cores, in a stable order (the store's file order), and handed to
/// the writer one at a time, so memory stays flat whatever the store's size.
/// </summary>
public static class StoreExport
{
    /// <param name="keep">Which works to write (conditions on resolved fields); keys are given only to those.</param>
    public static IEnumerable<ExportItem> Items(MetadataStore store, KeyPins? pins = null, string? keyPattern = null, Func<Work, bool>? keep = null)
    {
        var keys = new CitationKeys(keyPattern, pins?.Keys);
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // Chunks keep both the order and the memory bounded: while one chunk is written, the next
        // ones are loaded on all cores (at most two chunks ahead).
        var chunks = System.Threading.Channels.Channel.CreateBounded<Work?[]>(2);
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var chunk in store.RecordFiles().Chunk(1024))
                {
                    var loaded = new Work?[chunk.Length];
                    Parallel.For(0, chunk.Length, i => loaded[i] = Load(store, chunk[i]));
                    await chunks.Writer.WriteAsync(loaded).ConfigureAwait(false);
                }
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
                var key = pins?.Find(work.Id) is { } pinned && written.Add(pinned) ? pinned : keys.Assign(work);
                written.Add(key);
                pins?.Pin(work.Id, key);
                yield return new ExportItem(work, key, []);
            }
        }
        producer.GetAwaiter().GetResult();
    }

    private static Work? Load(MetadataStore store, string file)
    {
        var record = StoredRecord.Parse(File.ReadAllBytes(file), out var damage);
        if (damage is not null || record.AliasOf is not null || record.IsNotFound) return null;
        if (record.Source is null) record = record.WithSource(store.SourceOf(file));
        // One unreadable record never stops a whole-store export: it is skipped.
        try { return WorkLibrary.Normalize(record.Key, record); }
        catch (Exception e) when (e is not OutOfMemoryException) { return null; }
    }
}
