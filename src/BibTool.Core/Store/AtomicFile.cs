namespace BibTool.Store;

/// <summary>
/// Writes a file so that readers see either the old content or the new, never half of it:
/// the bytes go to a temporary file beside the target, which is then renamed over it.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>The process that wrote a temporary file named as <see cref="Write"/> names them (.NAME.PID.GUID.tmp), or null.</summary>
    public static int? WriterOf(string tempPath)
    {
        var parts = Path.GetFileName(tempPath).Split('.');
        // "", NAME…, PID, GUID, "tmp"
        if (parts.Length < 5 || parts[^1] != "tmp" || parts[^2].Length != 32 || !parts[^2].All(Uri.IsHexDigit)) return null;
        return int.TryParse(parts[^3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    public static void WriteText(string path, Action<TextWriter> write) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            write(writer);
        });

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
