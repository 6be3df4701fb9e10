namespace BibTool.Cli;

/// <summary>Where a command's result goes: -o FILE (replaced atomically, refused before any work when it cannot be) or standard output.</summary>
public static class Output
{
    /// <summary>Names of standard output itself: written as a stream, never replaced.</summary>
    private static readonly string[] StandardOutput = ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];

    /// <summary>Refuses, before any work, an -o that names a directory, a FIFO, a device or a missing folder.</summary>
    public static void Check(string? path)
    {
        if (path is not null && !StandardOutput.Contains(path)) BibTool.Store.AtomicFile.OutputTarget(path);
    }

    /// <summary>Writes to -o FILE atomically (see <see cref="BibTool.Store.AtomicFile.WriteOutput"/>), or to stdout.</summary>
    public static void Write(string? path, TextWriter stdout, Action<TextWriter> write)
    {
        if (path is null || StandardOutput.Contains(path))
        {
            write(stdout);
            stdout.Flush();
        }
        else BibTool.Store.AtomicFile.WriteOutputText(path, write);
    }

    /// <summary>Indented JSON written straight to <paramref name="output"/> (never held whole), then a newline.</summary>
    public static void Json(TextWriter output, Action<System.Text.Json.Utf8JsonWriter> write)
    {
        using (var stream = new BibTool.Text.TextWriterStream(output))
        using (var json = new System.Text.Json.Utf8JsonWriter(stream, BibTool.Survey.Inventory.JsonOptions))
            write(json);
        output.WriteLine();
    }
}
