using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace BibTool.Store;

/// <summary>A record file's size and modification time: what says whether it changed since it was indexed.</summary>
public readonly record struct RecordStamp(long Length, long Ticks)
{
    /// <summary>The record's stamp now, or null when it is gone (or not a file any more).</summary>
    public static RecordStamp? Of(string path)
    {
        var info = new FileInfo(path);
        try { return info.Exists ? new RecordStamp(info.Length, info.LastWriteTimeUtc.Ticks) : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}

/// <summary>
/// A derived, rebuildable index of normalized works (<c>.index/works.bin</c> in the store, which
/// git ignores), so that exporting a large store reads one file instead of opening and mapping
/// every record. The records stay the source of truth: an entry is used only when its record has
/// the size and modification time it had when indexed, when this very build of bibtool wrote it
/// (any other build's mappers may differ), and when its checksum holds. Anything else (a missing,
/// damaged, truncated or foreign index, a changed record) is read from the record again.
/// </summary>
/// <remarks>
/// An entry is its record's path under the store (UTF-8), the record's size and time, the work's
/// bytes (<see cref="WorkCodec"/>; none when the record holds no work) and an XxHash64 of all that.
/// Entries are in ordinal order of the path, the order of <see cref="MetadataStore.RecordPaths"/>,
/// so the index is read alongside the listing in one pass, without a table of it in memory.
/// </remarks>
public static class WorkIndex
{
    private const string Magic = "bibtool work index v4";

    /// <summary>Which build wrote an index: the Core assembly's module id, new with every build.</summary>
    public static string Build { get; } = typeof(Model.Work).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    public static string PathIn(string store) => Path.Combine(store, ".index", "works.bin");

    private static readonly byte[] Header = HeaderBytes();

    private static byte[] HeaderBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Build);
        }
        return buffer.ToArray();
    }

    /// <summary>The index's entries in order; null when there is no index this build can trust.</summary>
    public static Reader? Open(string store)
    {
        var path = PathIn(store);
        if (FileKind.Of(path, follow: false) != FileKindOf.Regular) return null;
        FileStream? stream = null;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 0, FileOptions.SequentialScan);
            var start = new byte[Header.Length];
            if (stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) != start.Length || !start.AsSpan().SequenceEqual(Header))
            {
                stream.Dispose();
                return null;
            }
            return new Reader(stream, Header.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream?.Dispose();
            return null;
        }
    }

    /// <summary>One entry as read: where it lies in the index file, the stamp it was made for, and where its bytes are in the chunk they were copied to.</summary>
    public readonly record struct Entry(long Offset, int Length, RecordStamp Stamp, int Start, int WorkStart, int WorkLength)
    {
        public long End => Offset + Length;
    }

    /// <summary>The raw entries of one chunk of records, copied out of the index (one buffer, reused chunk after chunk).</summary>
    public sealed class Chunk
    {
        private byte[] _bytes = new byte[1 << 16];

        public int Used { get; private set; }

        public ReadOnlySpan<byte> Span(int start, int length) => _bytes.AsSpan(start, length);

        public void Clear() => Used = 0;

        internal int Append(ReadOnlySpan<byte> bytes)
        {
            if (Used + bytes.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Used + bytes.Length));
            bytes.CopyTo(_bytes.AsSpan(Used));
            Used += bytes.Length;
            return Used - bytes.Length;
        }
    }

    /// <summary>Reads the index alongside the store's listing (both in ordinal path order), entry by entry.</summary>
    public sealed class Reader : IDisposable
    {
        private readonly FileStream _stream;
        private readonly long _fileLength;
        private byte[] _buffer = new byte[1 << 18];
        private int _position;
        private int _end;
        // Where _buffer[0] is in the file.
        private long _bufferOffset;
        private bool _pending;
        private Parsed _next;
        private bool _broken;
        private readonly char[] _name = new char[512];

        internal Reader(FileStream stream, int headerLength)
        {
            _stream = stream;
            _fileLength = stream.Length;
            HeaderLength = headerLength;
            _bufferOffset = headerLength;
        }

        internal int HeaderLength { get; }

        internal long Length => _fileLength;

        /// <summary>True once every entry has been read and no damage met.</summary>
        public bool Exhausted => !_broken && !_pending && _bufferOffset + _position >= _fileLength;

        private readonly record struct Parsed(long Offset, int Length, int NameStart, int NameLength, RecordStamp Stamp, int WorkStart, int WorkLength);

        /// <summary>
        /// The entry for the record at <paramref name="relative"/>, its bytes copied into
        /// <paramref name="chunk"/>; null when the index has none it can vouch for (entries of
        /// records no longer listed are passed over).
        /// </summary>
        public Entry? Take(string relative, Chunk chunk)
        {
            while (!_broken)
            {
                if (!_pending)
                {
                    if (ReadEntry() is not { } parsed) return null;
                    (_next, _pending) = (parsed, true);
                }
                var name = _buffer.AsSpan(_position + _next.NameStart, _next.NameLength);
                var chars = _name.Length >= name.Length ? _name : new char[name.Length];
                var count = Encoding.UTF8.GetChars(name, chars);
                var order = chars.AsSpan(0, count).SequenceCompareTo(relative.AsSpan());
                if (order > 0) return null;
                var entry = _next;
                _pending = false;
                var raw = _buffer.AsSpan(_position, entry.Length);
                _position += entry.Length;
                if (order < 0) continue;
                var start = chunk.Append(raw);
                return new Entry(entry.Offset, entry.Length, entry.Stamp, start, start + entry.WorkStart, entry.WorkLength);
            }
            return null;
        }

        /// <summary>Parses the next entry in the buffer (not consuming it); null at the end or at damage, after which nothing more is trusted.</summary>
        private Parsed? ReadEntry()
        {
            if (_bufferOffset + _position >= _fileLength) return null;
            try
            {
                // Long enough for the two lengths and the stamp; the whole entry is asked for once its size is known.
                Fill(Math.Min(64, (int)(_fileLength - _bufferOffset - _position)));
                var span = _buffer.AsSpan(_position, _end - _position);
                var at = 0;
                var nameLength = WorkCodec.Read7BitLength(span, ref at);
                if (nameLength > 4096) throw new InvalidDataException("name too long");
                var nameStart = at;
                at += nameLength;
                Fill(at + 16 + 5);
                span = _buffer.AsSpan(_position, _end - _position);
                var stamp = new RecordStamp(BinaryPrimitives.ReadInt64LittleEndian(span[at..]), BinaryPrimitives.ReadInt64LittleEndian(span[(at + 8)..]));
                at += 16;
                var workLength = WorkCodec.Read7BitLength(span, ref at);
                var workStart = at;
                if (_bufferOffset + _position + at + (long)workLength + 8 > _fileLength) throw new InvalidDataException("entry past the end");
                var length = at + workLength + 8;
                Fill(length);
                span = _buffer.AsSpan(_position, length);
                if (BinaryPrimitives.ReadUInt64LittleEndian(span[^8..]) != XxHash64.HashToUInt64(span[..^8])) throw new InvalidDataException("checksum");
                return new Parsed(_bufferOffset + _position, length, nameStart, nameLength, stamp, workStart, workLength);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or IndexOutOfRangeException)
            {
                // A damaged index is never trusted past the damage: the rest is read from the records.
                _broken = true;
                return null;
            }
        }

        /// <summary>At least <paramref name="count"/> bytes from the current position in the buffer (fewer only at the end of the file).</summary>
        private void Fill(int count)
        {
            if (_end - _position >= count) return;
            if (count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(count, _buffer.Length * 2));
            var left = _end - _position;
            _buffer.AsSpan(_position, left).CopyTo(_buffer);
            _bufferOffset += _position;
            (_position, _end) = (0, left);
            while (_end < count)
            {
                var read = RandomAccess.Read(_stream.SafeFileHandle, _buffer.AsSpan(_end), _bufferOffset + _end);
                if (read == 0) break;
                _end += read;
            }
        }

        /// <summary>Copies the index's bytes between two offsets (entries it vouched for) to a new index.</summary>
        internal void CopyTo(Stream destination, long from, long to)
        {
            var buffer = new byte[1 << 16];
            while (from < to)
            {
                var read = RandomAccess.Read(_stream.SafeFileHandle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, to - from)), from);
                if (read == 0) throw new IOException("the index ended while being copied");
                destination.Write(buffer, 0, read);
                from += read;
            }
        }

        public void Dispose() => _stream.Dispose();
    }

    /// <summary>
    /// Keeps the index true to the records as they go by, in order. While every record is one the
    /// old index vouched for, entry after entry, nothing is written; at the first difference (a
    /// record changed, added or gone, damage in the index) a new index is started with the old
    /// one's entries up to there, copied as they are, and every later entry is written to it. It
    /// replaces the old only when <see cref="Commit"/> is called (a run cut short leaves the old).
    /// A store that cannot take an index (read-only, full) is exported without one.
    /// </summary>
    public sealed class Updater(string store, Reader? old) : IDisposable
    {
        private readonly string _path = PathIn(store);
        private long _agreedUpTo = old?.HeaderLength ?? 0;
        private string? _temp;
        private FileStream? _output;
        private bool _failed;
        private readonly MemoryStream _entry = new();
        private bool _done;

        /// <summary>The record behind <paramref name="entry"/> is as indexed: the entry stays.</summary>
        public void Unchanged(Entry entry, Chunk chunk)
        {
            // Still in step with the old index (no entry passed over in between): nothing to write yet.
            if (_output is null && entry.Offset == _agreedUpTo)
            {
                _agreedUpTo = entry.End;
                return;
            }
            Write(chunk.Span(entry.Start, entry.Length));
        }

        /// <summary>A record read anew: its entry (<paramref name="work"/> empty when the record holds no work).</summary>
        public void Changed(string relative, RecordStamp stamp, ReadOnlySpan<byte> work)
        {
            _entry.SetLength(0);
            using (var writer = new BinaryWriter(_entry, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(relative);
                writer.Write(stamp.Length);
                writer.Write(stamp.Ticks);
                writer.Write7BitEncodedInt(work.Length);
                writer.Write(work);
                writer.Flush();
                writer.Write(XxHash64.HashToUInt64(_entry.GetBuffer().AsSpan(0, (int)_entry.Length)));
            }
            Write(_entry.GetBuffer().AsSpan(0, (int)_entry.Length));
        }

        /// <summary>Replaces the old index when anything differed (or there was none); an index that vouched for every record, and listed no other, stays as it is.</summary>
        public void Commit()
        {
            if (_failed || (_output is null && old is not null && old.Exhausted && _agreedUpTo == old.Length)) return;
            try
            {
                var output = Start();
                output.Flush(flushToDisk: true);
                output.Dispose();
                File.Move(_temp!, _path, overwrite: true);
                _done = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Fail(); }
        }

        private void Write(ReadOnlySpan<byte> bytes)
        {
            if (_failed) return;
            try { Start().Write(bytes); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Fail(); }
        }

        private void Fail()
        {
            _failed = true;
            Dispose();
        }

        private FileStream Start()
        {
            if (_output is not null) return _output;
            var directory = Path.GetDirectoryName(_path)!;
            Directory.CreateDirectory(directory);
            // A derived file: never shared through git with the records.
            var ignore = Path.Combine(directory, ".gitignore");
            if (!File.Exists(ignore)) File.WriteAllText(ignore, "# bibtool's derived index of normalized works: rebuilt when missing\n*\n");
            _temp = AtomicFile.TempPathFor(_path);
            _output = new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            _output.Write(Header);
            old?.CopyTo(_output, old.HeaderLength, _agreedUpTo);
            return _output;
        }

        public void Dispose()
        {
            if (_done || _output is null) return;
            _output.Dispose();
            try { File.Delete(_temp!); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
