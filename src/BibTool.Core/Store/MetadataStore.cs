using System.Text;
using BibTool.Identifiers;

namespace BibTool.Store;

/// <summary>
/// The embedded metadata store: plain files under one folder, one per identifier, sharded by
/// DOI prefix or arXiv month/archive so that a directory never holds thousands of files and a
/// git diff reads naturally: cache/crossref/10.1038/s41586-023-06555-x.rec,
/// cache/arxiv/2401/2401.02458.rec, cache/arxiv/astro-ph/astro-ph%2F0601001.rec.
/// </summary>
public sealed class MetadataStore(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    private readonly BeneathReader.Root _root = new(Path.GetFullPath(directory));

    /// <summary>The source that answered an identifier before records named their source (stores made by bibtool 0.1).</summary>
    public static string DefaultSource(Identifier identifier) => identifier.Type == IdentifierType.Arxiv ? "arxiv" : "crossref";

    public string PathFor(Identifier identifier) => PathFor(DefaultSource(identifier), identifier);

    /// <summary>Where <paramref name="source"/>'s answer for <paramref name="identifier"/> is kept: SOURCE/SHARD/NAME.rec.</summary>
    public string PathFor(string source, Identifier identifier) => Path.Combine(Directory, RelativePathFor(source, identifier));

    private static string RelativePathFor(string source, Identifier identifier)
    {
        // Each scheme says how its records shard (DOIs by prefix, pages by host, short ids by their first characters).
        var (shard, name) = identifier.Type.StoreParts(identifier);
        return Path.Join(FileSafe(source), FileSafe(shard), FileSafe(name) + ".rec");
    }

    /// <summary>Percent-encodes all but [A-Za-z0-9._-], as the recorded fixtures do; '.' alone is encoded too.</summary>
    public static string FileSafe(string text)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2"));
        }
        var name = sb.ToString();
        if (name is "." or ".." || name.Length == 0) name = name.Replace(".", "%2E");
        // Keep names under common file-system limits; a hash keeps very long DOIs distinct.
        if (name.Length > 200)
            name = name[..150] + "~" + Convert.ToHexStringLower(Sha256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        return name;
    }

    public enum ReadState { Missing, Ok, Damaged }

    /// <summary>No answer bibtool stores is larger (64 MB, a PubMed batch's cap).</summary>
    public const long MaxRecordBytes = 64L * 1024 * 1024;

    /// <summary>
    /// What in the store's layout bibtool will not read or write through, found before any request:
    /// a source or shard folder that is a symbolic link or not a folder, a record that is a link.
    /// (Each such record would otherwise be taken for damaged and fetched again, one by one.)
    /// The store's own root may be a link (a store kept on another disk).
    /// </summary>
    public IReadOnlyList<string> LayoutProblems()
    {
        var problems = new List<string>();
        if (!System.IO.Directory.Exists(Directory)) return problems;
        string Says(string path, string what) =>
            $"{path} is {what}: bibtool neither reads nor writes through it; replace it with a real {(what.Contains("folder") ? "folder" : "file")} (or remove it, and what it held is fetched again)";
        void Check(string path, int depth)
        {
            foreach (var entry in System.IO.Directory.EnumerateFileSystemEntries(path))
            {
                var name = Path.GetFileName(entry);
                if (name.StartsWith('.')) continue; // the lock, its holder note, the index, temporary files
                var kind = FileKind.Of(entry, follow: false);
                if (depth < 2)
                {
                    if (kind == FileKindOf.Directory) Check(entry, depth + 1);
                    else if (kind is FileKindOf.Symlink) problems.Add(Says(entry, "a symbolic link where a folder belongs"));
                    else if (kind is FileKindOf.Special) problems.Add(Says(entry, "a pipe, device or socket where a folder belongs"));
                }
                else if (kind == FileKindOf.Symlink) problems.Add(Says(entry, "a symbolic link where a record file belongs"));
                else if (kind == FileKindOf.Special) problems.Add(Says(entry, "a pipe, device or socket where a record file belongs"));
                if (problems.Count >= 20) return;
            }
        }
        try { Check(Directory, 0); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { problems.Add($"{Directory} cannot be listed ({e.Message})"); }
        return problems;
    }

    /// <summary>The first folder between the store's root and <paramref name="directory"/> that is a link or not a folder, or null.</summary>
    private string? LinkedDirectory(string directory)
    {
        var relative = Path.GetRelativePath(Directory, directory);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)) return directory;
        var current = Directory;
        foreach (var part in relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            current = Path.Combine(current, part);
            var kind = FileKind.Of(current, follow: false);
            if (kind == FileKindOf.Missing) return null;
            if (kind != FileKindOf.Directory) return current;
        }
        return null;
    }

    /// <summary>Reads the record for <paramref name="identifier"/>; a damaged file is reported, not thrown.</summary>
    public ReadState TryRead(Identifier identifier, out StoredRecord? record, out string? problem) =>
        TryRead(DefaultSource(identifier), identifier, out record, out problem);

    /// <summary>Reads <paramref name="source"/>'s record for <paramref name="identifier"/>; a damaged file is reported, not thrown.</summary>
    public ReadState TryRead(string source, Identifier identifier, out StoredRecord? record, out string? problem)
    {
        record = null;
        problem = null;
        var relative = RelativePathFor(source, identifier);
        var path = Path.Combine(Directory, relative);
        switch (BeneathReader.TryRead(_root, relative, MaxRecordBytes, out var quick))
        {
            case BeneathReader.Outcome.Missing: return ReadState.Missing;
            case BeneathReader.Outcome.Read: return Parsed(source, identifier, path, quick, out record, out problem);
        }
        // Only regular files inside real directories are records: a link could point anywhere,
        // a FIFO would block, a device would never end.
        var kind = FileKind.Of(path, follow: false);
        if (kind == FileKindOf.Missing) return ReadState.Missing;
        var unsafeDirectory = LinkedDirectory(Path.GetDirectoryName(path)!);
        if (kind != FileKindOf.Regular || unsafeDirectory is not null)
        {
            problem = $"{Path.GetRelativePath(System.IO.Directory.GetCurrentDirectory(), path)}: damaged record ({(unsafeDirectory is not null ? $"{unsafeDirectory} is a symbolic link or not a directory" : "not a regular file")}; the store follows no links)";
            return ReadState.Damaged;
        }
        byte[] data;
        try
        {
            if (new FileInfo(path).Length > MaxRecordBytes) { problem = $"{path}: damaged record (larger than {MaxRecordBytes / (1024 * 1024)} MB)"; return ReadState.Damaged; }
            data = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException) { return ReadState.Missing; }
        catch (DirectoryNotFoundException) { return ReadState.Missing; }
        return Parsed(source, identifier, path, data, out record, out problem);
    }

    private static ReadState Parsed(string source, Identifier identifier, string path, byte[] data, out StoredRecord? record, out string? problem)
    {
        record = null;
        problem = null;
        var parsed = StoredRecord.Parse(data, out var damage);
        if (damage is null && !string.Equals(parsed.Key, identifier.WorkKey, StringComparison.Ordinal))
            damage = $"record is for '{parsed.Key}', not '{identifier.WorkKey}'";
        if (damage is not null)
        {
            problem = $"{Path.GetRelativePath(System.IO.Directory.GetCurrentDirectory(), path)}: damaged record ({damage})";
            return ReadState.Damaged;
        }
        // Records written before they named their source belong to the folder they are in.
        record = parsed.Source is null ? parsed with { Extra = new Dictionary<string, string>(parsed.Extra) { ["source"] = source } } : parsed;
        return ReadState.Ok;
    }

    public StoredRecord? Read(Identifier identifier) =>
        TryRead(identifier, out var record, out _) == ReadState.Ok ? record : null;

    /// <summary>Every record file in the store, full paths, in the order of <see cref="RecordPaths"/>.</summary>
    public IEnumerable<string> RecordFiles() => RecordPaths().Select(relative => Path.Join(Directory, relative));

    /// <summary>
    /// Every record file's path under the store, in ordinal order (the order of the derived index),
    /// listed in one pass that reads directories only (no file is opened or stat-ed). Links are not
    /// followed (a shard linked elsewhere holds no records of this store); dot-folders (the index) are skipped.
    /// </summary>
    public List<string> RecordPaths()
    {
        var paths = new List<string>();
        if (!System.IO.Directory.Exists(Directory)) return paths;
        var skip = Path.TrimEndingDirectorySeparator(Directory).Length + 1;
        var options = new EnumerationOptions { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        var deep = new EnumerationOptions { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true, RecurseSubdirectories = true };
        foreach (var root in System.IO.Directory.EnumerateDirectories(Directory, "*", options).Where(d => !Path.GetFileName(d).StartsWith('.')))
            foreach (var shard in System.IO.Directory.EnumerateDirectories(root, "*", options))
                paths.AddRange(new System.IO.Enumeration.FileSystemEnumerable<string>(shard,
                    (ref System.IO.Enumeration.FileSystemEntry e) => Path.Join(e.Directory[skip..], e.FileName), deep)
                {
                    ShouldIncludePredicate = (ref System.IO.Enumeration.FileSystemEntry e) => !e.IsDirectory && e.FileName.EndsWith(".rec", StringComparison.Ordinal),
                });
        paths.Sort(string.CompareOrdinal);
        return paths;
    }

    /// <summary>The source a record file belongs to: its top folder under the store.</summary>
    public string SourceOf(string file) => Path.GetRelativePath(Directory, file).Split(Path.DirectorySeparatorChar)[0];

    /// <summary>Writes a record where its source keeps it (records name their source; old ones go where 0.1 put them).</summary>
    public void Write(Identifier identifier, StoredRecord record)
    {
        if (record.Key != identifier.WorkKey) throw new ArgumentException($"record key {record.Key} does not match {identifier}");
        var path = PathFor(record.Source ?? DefaultSource(identifier), identifier);
        if (LinkedDirectory(Path.GetDirectoryName(path)!) is { } linked)
            throw new IOException($"{linked} is a symbolic link or not a folder: the store writes nothing outside {Directory}");
        AtomicFile.Write(path, record.WriteTo);
    }

    /// <summary>
    /// Temporary files of a writer that was killed mid-write: with the lock held nobody else is
    /// writing, so they are garbage (the records they were replacing are intact).
    /// </summary>
    private void RemoveLeftovers()
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var temp in System.IO.Directory.EnumerateFiles(Directory, ".*.tmp", options))
        {
            // Only bibtool's own temporary files, and only those of processes that are gone: a
            // running export's output, or a user's own ".x.tmp", is never touched.
            if (AtomicFile.WriterOf(temp) is not { } pid || pid == Environment.ProcessId || IsRunning(pid)) continue;
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Whether a process of that id is running (bibtool names its temporary files by process).</summary>
    internal static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>
    /// Takes the store's write lock (an OS file lock, released even when the process is killed),
    /// so two bibtool processes never fetch into one store at once.
    /// </summary>
    /// <summary>Who holds the lock, as its holder wrote it, or "another bibtool process".</summary>
    private string Holder()
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(Directory, ".lock.holder")).Trim();
            return text.Length is > 0 and < 300 ? text : "another bibtool process";
        }
        catch (IOException) { return "another bibtool process"; }
        catch (UnauthorizedAccessException) { return "another bibtool process"; }
    }

    /// <param name="waiting">Told once, when the lock is held by another process, who holds it (then the wait begins).</param>
    public StoreLock Lock(TimeSpan wait, Action<string>? waiting = null)
    {
        try { System.IO.Directory.CreateDirectory(Directory); }
        catch (UnauthorizedAccessException e) { throw new StoreReadOnlyException($"{Directory} cannot be written ({e.Message})"); }
        var path = Path.Combine(Directory, ".lock");
        if (FileKind.Of(path, follow: false) is FileKindOf.Symlink or FileKindOf.Special or FileKindOf.Directory)
            throw new IOException($"{path} is not a regular file: bibtool will not lock or write through it (remove it)");
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                // Store writes happen only under the lock, so temporary files can be left only by a
                // holder that never released it (killed): then, and only then, the store is swept
                // (a whole-tree walk, a tenth of a second for 100,000 records).
                var previous = new byte[StoreLock.Released.Length + 1];
                var cleanlyReleased = stream.ReadAtLeast(previous, previous.Length, throwOnEndOfStream: false) == StoreLock.Released.Length
                    && previous.AsSpan(0, StoreLock.Released.Length).SequenceEqual(StoreLock.Released);
                stream.SetLength(0);
                stream.Write(Encoding.UTF8.GetBytes($"{Environment.ProcessId}\n"));
                stream.Flush();
                if (!cleanlyReleased) RemoveLeftovers();
                // Who holds it, for a process that finds it taken (the lock file itself cannot be read while held).
                var holder = Path.Combine(Directory, ".lock.holder");
                try { File.WriteAllText(holder, StoreLock.Describe()); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                return new StoreLock(stream, holder);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new StoreReadOnlyException($"{Directory} cannot be written ({e.Message})");
            }
            catch (IOException e) when (e.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase))
            {
                throw new StoreReadOnlyException($"{Directory} is on a read-only file system");
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                if (waiting is not null)
                {
                    waiting($"{Directory} is in use by {Holder()}; waiting up to {wait.TotalSeconds:0} s (--wait SECONDS)");
                    waiting = null;
                }
                Thread.Sleep(200);
            }
            catch (IOException)
            {
                throw new StoreLockedException($"{Directory} is in use by {Holder()}; try again when it has finished, or wait longer with --wait SECONDS");
            }
        }
    }
}

public sealed class StoreLock(FileStream stream, string holderFile) : IDisposable
{
    /// <summary>What the lock file says once its holder let go normally (otherwise it names the holder's process).</summary>
    internal static readonly byte[] Released = "released\n"u8.ToArray();

    /// <summary>This process as another one is told of it: "bibtool process 1234 (bibtool export s.md …), since 2026-12-02 15:00:00 UTC".</summary>
    internal static string Describe()
    {
        var command = string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Prepend("bibtool"));
        if (command.Length > 100) command = command[..100] + "…";
        return $"bibtool process {Environment.ProcessId} ({command}), since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC";
    }

    public void Dispose()
    {
        try { File.Delete(holderFile); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        try
        {
            stream.SetLength(0);
            stream.Write(Released);
            stream.Flush();
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
        stream.Dispose();
    }
}

public sealed class StoreLockedException(string message) : IOException(message);

/// <summary>The store holds links or special files where its folders and records belong: nothing is fetched until they are mended.</summary>
public sealed class StoreLayoutException(IReadOnlyList<string> problems)
    : IOException(problems[0] + (problems.Count > 1 ? $" (and {problems.Count - 1} more such place{(problems.Count > 2 ? "s" : "")})" : ""));

/// <summary>The store cannot be written at all (read-only file system, no permission): said at once, not after a wait.</summary>
public sealed class StoreReadOnlyException(string message) : IOException(message);
