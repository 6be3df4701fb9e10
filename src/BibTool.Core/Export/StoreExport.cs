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
    /// <param name="maintainIndex">Write the index anew as the works go by (the caller holds the store's lock); otherwise it is only read.</param>
    public static IEnumerable<ExportItem> Items(MetadataStore store, KeyPins? pins = null, string? keyPattern = null, Func<Work, bool>? keep = null, bool maintainIndex = false)
    {
        var keys = new CitationKeys(keyPattern, pins?.Keys);
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var stamps = store.RecordStamps();
        using var index = WorkIndex.Open(store.Directory);
        using var next = maintainIndex ? TryWriter(store) : null;
        // Chunks keep both the order and the memory bounded: while one chunk is written, the next
        // ones are loaded on all cores (at most two chunks ahead).
        var chunks = System.Threading.Channels.Channel.CreateBounded<Work?[]>(2);
        var changed = false;
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var chunk in stamps.Chunk(1024))
                {
                    var indexed = chunk.Select(stamp => index?.Take(stamp)).ToArray();
                    var loaded = new Work?[chunk.Length];
                    var bytes = new byte[chunk.Length][];
                    var reread = new bool[chunk.Length];
                    Parallel.For(0, chunk.Length, i =>
                    {
                        if (indexed[i] is { } known && TryDecode(known, out var decoded))
                        {
                            bytes[i] = known;
                            loaded[i] = decoded;
                        }
                        else
                        {
                            reread[i] = true;
                            loaded[i] = Load(store, chunk[i].Path);
                            if (next is not null) bytes[i] = loaded[i] is { } work ? WorkCodec.Encode(work) : [];
                        }
                    });
                    if (next is not null) for (var i = 0; i < chunk.Length; i++) next.Add(chunk[i], bytes[i]);
                    changed |= reread.Contains(true);
                    await chunks.Writer.WriteAsync(loaded).ConfigureAwait(false);
                }
                // An index that vouched for every record, and listed no other, is kept as it is.
                if (changed || index is not { Exhausted: true }) next?.Commit();
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

    /// <summary>An indexed work (none for an empty entry); an entry that cannot be decoded sends the reader to the record.</summary>
    private static bool TryDecode(byte[] bytes, out Work? work)
    {
        work = null;
        if (bytes.Length == 0) return true;
        try { work = WorkCodec.Decode(bytes); return true; }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or ArgumentException or OverflowException) { return false; }
    }

    /// <summary>A new index, unless the store cannot take one (read-only): then the export goes on without.</summary>
    private static WorkIndex.Writer? TryWriter(MetadataStore store)
    {
        try { return new WorkIndex.Writer(store.Directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
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
