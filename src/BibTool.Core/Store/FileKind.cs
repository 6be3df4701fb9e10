using System.Runtime.InteropServices;

namespace BibTool.Store;

public enum FileKindOf { Missing, Regular, Directory, Symlink, Special }

/// <summary>
/// What a path is, before anything opens it: opening a FIFO blocks forever and /dev/zero never
/// ends, so input and store files are read only when they are regular files (and the store never
/// follows a symbolic link). .NET reports every such file as "Normal", so on Linux this asks
/// stat(2)/lstat(2) itself.
/// </summary>
public static partial class FileKind
{
    private const int ModeMask = 0xF000, Regular = 0x8000, Directory = 0x4000, Link = 0xA000;

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LStat(string path, Span<byte> buffer);

    /// <param name="follow">Follow a symbolic link (input files) or report it (store files).</param>
    public static FileKindOf Of(string path, bool follow)
    {
        var offset = OperatingSystem.IsLinux() ? RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 24,
            Architecture.Arm64 => 16,
            _ => -1,
        } : -1;
        if (offset < 0) return Portable(path, follow);
        Span<byte> buffer = stackalloc byte[256];
        if ((follow ? Stat(path, buffer) : LStat(path, buffer)) != 0) return FileKindOf.Missing;
        var mode = BitConverter.ToInt32(buffer.Slice(offset, 4)) & ModeMask;
        return mode switch { Regular => FileKindOf.Regular, Directory => FileKindOf.Directory, Link => FileKindOf.Symlink, _ => FileKindOf.Special };
    }

    private static FileKindOf Portable(string path, bool follow)
    {
        var info = new FileInfo(path);
        if (!follow && info.LinkTarget is not null) return FileKindOf.Symlink;
        if (System.IO.Directory.Exists(path)) return FileKindOf.Directory;
        return info.Exists ? FileKindOf.Regular : FileKindOf.Missing;
    }
}
