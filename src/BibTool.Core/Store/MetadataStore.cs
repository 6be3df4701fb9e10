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

    public string PathFor(Identifier identifier) => identifier.Type switch
    {
        IdentifierType.Doi => DoiPath(identifier.Value),
        IdentifierType.Arxiv => ArxivPath(identifier.Value),
        _ => throw new ArgumentException($"{identifier} has no metadata source"),
    };

    private string DoiPath(string doi)
    {
        var slash = doi.IndexOf('/');
        var prefix = slash > 0 ? doi[..slash] : "unknown";
        var suffix = slash > 0 ? doi[(slash + 1)..] : doi;
        return Path.Combine(Directory, "crossref", FileSafe(prefix), FileSafe(suffix) + ".rec");
    }

    private string ArxivPath(string id)
    {
        var slash = id.IndexOf('/');
        // New-style ids shard by YYMM; old-style ids by archive.
        var shard = slash > 0 ? id[..slash] : id[..Math.Min(4, id.Length)];
        return Path.Combine(Directory, "arxiv", FileSafe(shard), FileSafe(id) + ".rec");
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
            name = name[..150] + "~" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        return name;
    }

    public enum ReadState { Missing, Ok, Damaged }

    /// <summary>Reads the record for <paramref name="identifier"/>; a damaged file is reported, not thrown.</summary>
    public ReadState TryRead(Identifier identifier, out StoredRecord? record, out string? problem)
    {
        record = null;
        problem = null;
        var path = PathFor(identifier);
        byte[] data;
        try { data = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { return ReadState.Missing; }
        catch (DirectoryNotFoundException) { return ReadState.Missing; }
        var parsed = StoredRecord.Parse(data, out var damage);
        if (damage is null && !string.Equals(parsed.Key, identifier.WorkKey, StringComparison.Ordinal))
            damage = $"record is for '{parsed.Key}', not '{identifier.WorkKey}'";
        if (damage is not null)
        {
            problem = $"{Path.GetRelativePath(System.IO.Directory.GetCurrentDirectory(), path)}: damaged record ({damage})";
            return ReadState.Damaged;
        }
        record = parsed;
        return ReadState.Ok;
    }

    /// <summary>
    /// Reads the record that answers <paramref name="identifier"/>, following stored aliases
    /// (a 301 recorded for an alias DOI) to the record of the identifier they name.
    /// </summary>
    public ReadState TryReadFollowing(Identifier identifier, out StoredRecord? record, out Identifier answered, out string? problem)
    {
        answered = identifier;
        for (var hop = 0; hop < 4; hop++)
        {
            var state = TryRead(answered, out record, out problem);
            if (state != ReadState.Ok || record!.AliasOf is not { } alias) return state;
            answered = IdentifierParser.Parse(alias.Contains(':') ? alias : "doi:" + alias);
        }
        record = null;
        problem = $"{identifier}: too many aliases";
        return ReadState.Damaged;
    }

    public StoredRecord? Read(Identifier identifier) =>
        TryRead(identifier, out var record, out _) == ReadState.Ok ? record : null;

    /// <summary>Every record file in the store, Crossref then arXiv, in a stable (ordinal) order.</summary>
    public IEnumerable<string> RecordFiles()
    {
        foreach (var source in new[] { "crossref", "arxiv" })
        {
            var root = Path.Combine(Directory, source);
            if (!System.IO.Directory.Exists(root)) continue;
            foreach (var shard in System.IO.Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
                foreach (var file in System.IO.Directory.EnumerateFiles(shard, "*.rec", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    yield return file;
        }
    }

    public void Write(Identifier identifier, StoredRecord record)
    {
        if (record.Key != identifier.WorkKey) throw new ArgumentException($"record key {record.Key} does not match {identifier}");
        AtomicFile.Write(PathFor(identifier), record.WriteTo);
    }

    /// <summary>
    /// Temporary files of a writer that was killed mid-write: with the lock held nobody else is
    /// writing, so they are garbage (the records they were replacing are intact).
    /// </summary>
    private void RemoveLeftovers()
    {
        foreach (var temp in System.IO.Directory.EnumerateFiles(Directory, ".*.tmp", SearchOption.AllDirectories))
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Takes the store's write lock (an OS file lock, released even when the process is killed),
    /// so two bibtool processes never fetch into one store at once.
    /// </summary>
    public StoreLock Lock(TimeSpan wait)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, ".lock");
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                stream.SetLength(0);
                stream.Write(Encoding.UTF8.GetBytes($"{Environment.ProcessId}\n"));
                stream.Flush();
                RemoveLeftovers();
                return new StoreLock(stream);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
            catch (IOException)
            {
                throw new StoreLockedException($"{Directory} is in use by another bibtool process (lock {path}); try again when it has finished");
            }
        }
    }
}

public sealed class StoreLock(FileStream stream) : IDisposable
{
    public void Dispose() => stream.Dispose();
}

public sealed class StoreLockedException(string message) : IOException(message);
