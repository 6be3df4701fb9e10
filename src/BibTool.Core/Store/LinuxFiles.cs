using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace BibTool.Store;

/// <summary>
/// What the store's fast Linux paths share (<see cref="BeneathReader"/> reading a record,
/// <see cref="FolderStamps"/> stamping a whole store): open(2) and close(2), the flags and error
/// numbers they use, and where struct stat keeps a file's type, size and modification time. Only
/// x86-64 and arm64 are known; anywhere else <see cref="Known"/> is false and callers take the
/// portable way.
/// </summary>
internal static partial class LinuxFiles
{
    public const int EPERM = 1, ENOENT = 2, EINTR = 4, ENOTDIR = 20, ENOSYS = 38;
    public const int NonBlocking = 0x800, Directory = 0x10000, CloseOnExec = 0x80000, PathOnly = 0x200000;
    public const int StatBytes = 256;

    // struct stat: size and times lie at the same offsets on x86-64 and in the generic (arm64) layout; the mode does not.
    private const int SizeAt = 48, SecondsAt = 88, NanosecondsAt = 96;
    private static readonly int ModeAt = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 24,
        Architecture.Arm64 => 16,
        _ => -1,
    };

    /// <summary>Linux on an architecture whose struct stat is known here.</summary>
    public static bool Known { get; } = OperatingSystem.IsLinux() && ModeAt >= 0;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int descriptor);

    /// <summary>A folder opened to name files beneath it (O_PATH): nothing is read through it; -1 when it cannot be.</summary>
    public static int OpenFolder(string path) => Open(path, PathOnly | Directory | CloseOnExec);

    /// <summary>A system call the kernel or a sandbox does not offer: asking again would be refused again.</summary>
    public static bool Refused(int error) => error is ENOSYS or EPERM;

    public static bool IsRegularFile(ReadOnlySpan<byte> stat) => (BinaryPrimitives.ReadInt32LittleEndian(stat[ModeAt..]) & 0xF000) == 0x8000;

    public static long Size(ReadOnlySpan<byte> stat) => BinaryPrimitives.ReadInt64LittleEndian(stat[SizeAt..]);

    /// <summary>The modification time as <see cref="DateTime"/> ticks (UTC), as <see cref="FileInfo.LastWriteTimeUtc"/> gives it.</summary>
    public static long ModifiedTicks(ReadOnlySpan<byte> stat) =>
        DateTime.UnixEpoch.Ticks + BinaryPrimitives.ReadInt64LittleEndian(stat[SecondsAt..]) * TimeSpan.TicksPerSecond
        + BinaryPrimitives.ReadInt64LittleEndian(stat[NanosecondsAt..]) / 100;
}
