namespace BibTool.Store;

/// <summary>
/// Writes a file so that readers see either the old content or the new, never half of it:
/// the bytes go to a temporary file beside the target, which is then renamed over it.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes the store's own files; a failure is the store's (an <see cref="IOException"/>).</summary>
    public static void Write(string path, Action<Stream> write) => Write(path, write, output: false);

    /// <summary>
    /// Writes a file the user named (-o, a refreshed bibliography): failing to create or write it is
    /// an <see cref="OutputException"/>. Only a regular file is ever replaced: a symbolic link is
    /// written through (the new file is renamed over its final target, beside it, and the link
    /// stays), and a directory, FIFO, device or socket is refused before anything is written. The
    /// folder must exist: a mistyped one is an error, not a new folder.
    /// </summary>
    public static void WriteOutput(string path, Action<Stream> write)
    {
        var target = OutputTarget(path);
        RemoveLeftoversBeside(target);
        Write(target, write, output: true);
    }

    /// <summary>
    /// The temporary files a killed writer left beside <paramref name="target"/>: only bibtool's own
    /// (".NAME.PID.GUID.tmp" for this very NAME) and only those of processes that are gone; a
    /// running writer's file or a user's own ".NAME.tmp" is never touched.
    /// </summary>
    private static void RemoveLeftoversBeside(string target)
    {
        var directory = Path.GetDirectoryName(target)!;
        IEnumerable<string> temps;
        try { temps = Directory.EnumerateFiles(directory, $".{Path.GetFileName(target)}.*.tmp").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var temp in temps)
        {
            if (WriterOf(temp) is not { } pid || pid == Environment.ProcessId || MetadataStore.IsRunning(pid)) continue;
            // The name must be this target's exactly (".refs.bib.123.x.tmp", not ".refs.bib.old.123.x.tmp").
            if (!Path.GetFileName(temp).StartsWith($".{Path.GetFileName(target)}.{pid}.", StringComparison.Ordinal)) continue;
            TryDelete(temp);
        }
    }

    /// <summary>The regular file an output to <paramref name="path"/> replaces or creates (the final target of a link).</summary>
    public static string OutputTarget(string path)
    {
        var full = Path.GetFullPath(path);
        var target = full;
        if (FileKind.Of(full, follow: false) == FileKindOf.Symlink)
        {
            try { target = File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full; }
            catch (IOException e) { throw new OutputException(path, $"a symbolic link that cannot be followed ({e.Message})"); }
        }
        switch (FileKind.Of(target, follow: false))
        {
            case FileKindOf.Directory: throw new OutputException(path, "is a directory");
            case FileKindOf.Special: throw new OutputException(path, "not a regular file (a FIFO, device or socket is never replaced; -o - writes to standard output)");
            case FileKindOf.Missing when !Directory.Exists(Path.GetDirectoryName(target)):
                throw new OutputException(path, $"no such directory {Path.GetDirectoryName(target)}");
        }
        return target;
    }

    public static void WriteOutputText(string path, Action<TextWriter> write) => WriteOutput(path, Text(write));

    private static void Write(string path, Action<Stream> write, bool output)
    {
        Exception Located(Exception e) => output ? new OutputException(path, e.Message) : e;
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        var temp = TempPathFor(full);
        FileStream stream;
        // Where the file goes is the caller's choice: failing there is an output error, named as such;
        // what the writer itself throws (a store that cannot be read) passes through unchanged.
        try
        {
            if (!output) Directory.CreateDirectory(directory);
            stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Located(e);
        }
        try
        {
            using (stream)
            {
                write(stream);
                try { stream.Flush(flushToDisk: true); }
                catch (IOException e) { throw Located(e); }
            }
            try { File.Move(temp, full, overwrite: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Located(e); }
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>A temporary name beside <paramref name="path"/>, unique to this process and write (.NAME.PID.GUID.tmp).</summary>
    public static string TempPathFor(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>The process that wrote a temporary file named as <see cref="Write"/> names them (.NAME.PID.GUID.tmp), or null.</summary>
    public static int? WriterOf(string tempPath)
    {
        var parts = Path.GetFileName(tempPath).Split('.');
        // "", NAME…, PID, GUID, "tmp"
        if (parts.Length < 5 || parts[^1] != "tmp" || parts[^2].Length != 32 || !parts[^2].All(Uri.IsHexDigit)) return null;
        return int.TryParse(parts[^3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    public static void WriteText(string path, Action<TextWriter> write) => Write(path, Text(write));

    private static Action<Stream> Text(Action<TextWriter> write) => stream =>
    {
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
        write(writer);
    };

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The output file cannot be created or written (a missing or read-only directory, a full disk).</summary>
public sealed class OutputException(string path, string reason) : IOException($"cannot write {path}: {reason}")
{
    public string OutputPath { get; } = path;
}
