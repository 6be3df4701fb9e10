using System.IO.Hashing;
using System.Text;
using BibTool.Model;

namespace BibTool.Store;

/// <summary>A record file as listed: its path under the store, and the size and time that say whether it changed.</summary>
public readonly record struct RecordStamp(string Relative, string Path, long Length, long Ticks);

/// <summary>
/// A derived, rebuildable index of normalized works (<c>.index/works.bin</c> in the store, which
/// git ignores), so that exporting a large store reads one file instead of opening and mapping
/// every record. The records stay the source of truth: an entry is used only when its record has
/// the size and modification time it had when indexed, when this very build of bibtool wrote it
/// (any other build's mappers may differ), and when its checksum holds. Anything else (a missing,
/// damaged, truncated or foreign index, a changed record) is read from the record again.
/// </summary>
public static class WorkIndex
{
    private const string Magic = "bibtool work index v2";

    /// <summary>Which build wrote an index: the Core assembly's module id, new with every build.</summary>
    public static string Build { get; } = typeof(Work).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    public static string PathIn(string store) => System.IO.Path.Combine(store, ".index", "works.bin");

    /// <summary>The index's entries, in the store's (ordinal path) order; null when there is no index this build can trust.</summary>
    public static Reader? Open(string store)
    {
        var path = PathIn(store);
        if (FileKind.Of(path, follow: false) != FileKindOf.Regular) return null;
        FileStream? stream = null;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadString() != Magic || reader.ReadString() != Build) { reader.Dispose(); return null; }
            return new Reader(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            stream?.Dispose();
            return null;
        }
    }

    /// <summary>Reads the index alongside the store's listing (both in ordinal path order), entry by entry.</summary>
    public sealed class Reader(BinaryReader reader) : IDisposable
    {
        private readonly long _end = reader.BaseStream.Length;
        private (string Relative, long Length, long Ticks, byte[] Work)? _next;
        private bool _broken;

        /// <summary>Entries read past without being asked for (their records are gone).</summary>
        public int Skipped { get; private set; }

        /// <summary>True once every entry has been read, none skipped and no damage met: the index listed exactly the files asked for.</summary>
        public bool Exhausted => !_broken && Skipped == 0 && _next is null && reader.BaseStream.Position >= _end;

        /// <summary>The indexed bytes of <paramref name="stamp"/>'s work (empty: the record holds no work), or null when the index cannot vouch for it.</summary>
        public byte[]? Take(RecordStamp stamp)
        {
            while (!_broken)
            {
                _next ??= ReadEntry();
                if (_next is not { } entry) return null;
                var order = string.CompareOrdinal(entry.Relative, stamp.Relative);
                if (order > 0) return null;
                _next = null;
                if (order < 0) { Skipped++; continue; }
                return entry.Length == stamp.Length && entry.Ticks == stamp.Ticks ? entry.Work : null;
            }
            return null;
        }

        private (string, long, long, byte[])? ReadEntry()
        {
            try
            {
                if (reader.BaseStream.Position >= _end) return null;
                var relative = reader.ReadString();
                var length = reader.ReadInt64();
                var ticks = reader.ReadInt64();
                var work = reader.ReadBytes(reader.Read7BitEncodedInt());
                var checksum = reader.ReadUInt64();
                if (checksum != Checksum(relative, length, ticks, work)) throw new InvalidDataException("checksum");
                return (relative, length, ticks, work);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or FormatException or ArgumentException)
            {
                // A damaged index is never trusted past the damage: the rest is read from the records.
                _broken = true;
                return null;
            }
        }

        public void Dispose() => reader.Dispose();
    }

    /// <summary>Writes a new index beside the old one, entry by entry; it replaces the old only when <see cref="Commit"/> is called (a run cut short leaves the old).</summary>
    public sealed class Writer : IDisposable
    {
        private readonly string _path;
        private readonly string _temp;
        private readonly BinaryWriter _writer;
        private bool _done;

        public Writer(string store)
        {
            _path = PathIn(store);
            var directory = System.IO.Path.GetDirectoryName(_path)!;
            System.IO.Directory.CreateDirectory(directory);
            // A derived file: never shared through git with the records.
            var ignore = System.IO.Path.Combine(directory, ".gitignore");
            if (!File.Exists(ignore)) File.WriteAllText(ignore, "# bibtool's derived index of normalized works: rebuilt when missing\n*\n");
            _temp = AtomicFile.TempPathFor(_path);
            _writer = new BinaryWriter(new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), Encoding.UTF8);
            _writer.Write(Magic);
            _writer.Write(Build);
        }

        /// <param name="work">The work's bytes (<see cref="WorkCodec"/>); empty when the record holds no work (an alias, a negative answer, damage).</param>
        public void Add(RecordStamp stamp, byte[] work)
        {
            _writer.Write(stamp.Relative);
            _writer.Write(stamp.Length);
            _writer.Write(stamp.Ticks);
            _writer.Write7BitEncodedInt(work.Length);
            _writer.Write(work);
            _writer.Write(Checksum(stamp.Relative, stamp.Length, stamp.Ticks, work));
        }

        public void Commit()
        {
            _writer.Flush();
            ((FileStream)_writer.BaseStream).Flush(flushToDisk: true);
            _writer.Dispose();
            File.Move(_temp, _path, overwrite: true);
            _done = true;
        }

        public void Dispose()
        {
            if (_done) return;
            _writer.Dispose();
            try { File.Delete(_temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static ulong Checksum(string relative, long length, long ticks, byte[] work)
    {
        var hash = new XxHash64();
        hash.Append(System.Runtime.InteropServices.MemoryMarshal.AsBytes(relative.AsSpan()));
        Span<byte> numbers = stackalloc byte[16];
        BitConverter.TryWriteBytes(numbers, length);
        BitConverter.TryWriteBytes(numbers[8..], ticks);
        hash.Append(numbers);
        hash.Append(work);
        return hash.GetCurrentHashAsUInt64();
    }
}
