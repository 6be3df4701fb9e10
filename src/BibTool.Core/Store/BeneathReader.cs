using System.Runtime.InteropServices;

namespace BibTool.Store;

/// <summary>
/// Reads a store file in six system calls on Linux: the store's folder opened (O_PATH), openat2(2) beneath it with
/// no symbolic link allowed anywhere on the way (RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH) and
/// O_NONBLOCK (a FIFO opens without waiting for a writer), fstat(2) (only a regular file of
/// bounded size is read), read(2), and two close(2). The portable path (lstat of the file and of each
/// folder, stat, open, flock, fstat, read, close) costs ten; a warm rebuild reads every record of
/// a survey, so this is most of its file-system time.
/// </summary>
/// <remarks>
/// It answers only what it can say for certain: a file read, or a file missing. A link, a file
/// that is not regular, one too large, or a kernel without openat2 (before Linux 5.6, or a
/// sandbox that refuses it) is <see cref="Outcome.Unsure"/>: the caller takes the portable path,
/// which says exactly what is wrong and where.
/// </remarks>
internal static partial class BeneathReader
{
    public enum Outcome { Read, Missing, Unsure }

    private const long OpenAt2 = 437; // the same number on x86-64 and arm64
    private const ulong ResolveNoSymlinks = 0x04, ResolveBeneath = 0x08;

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long SysCall(long number, int directory, byte* path, OpenHow* how, nuint size);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int FStat(int descriptor, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int descriptor, byte* buffer, nuint count);

    /// <summary>False once the kernel (or a sandbox) has refused openat2: every later read takes the portable path at once.</summary>
    private static bool _available = LinuxFiles.Known;

    /// <summary>
    /// The store's folder, opened (O_PATH) for each read and closed after it: a descriptor kept for
    /// the process would go on naming a folder that was deleted or moved and made again, and a
    /// record then "missing" there would be a wrong answer.
    /// </summary>
    public sealed class Root(string directory)
    {
        internal int Open() => LinuxFiles.OpenFolder(directory);
    }

    public static Outcome TryRead(Root root, string relative, long maxBytes, out byte[] data)
    {
        data = [];
        if (!_available) return Outcome.Unsure;
        var directory = root.Open();
        if (directory < 0) return Outcome.Unsure;
        try { return TryReadBeneath(directory, relative, maxBytes, out data); }
        finally { LinuxFiles.Close(directory); }
    }

    private static unsafe Outcome TryReadBeneath(int directory, string relative, long maxBytes, out byte[] data)
    {
        data = [];
        // Read-only (0), a FIFO opened without waiting for a writer, not inherited by children.
        var how = new OpenHow { Flags = LinuxFiles.NonBlocking | LinuxFiles.CloseOnExec, Resolve = ResolveNoSymlinks | ResolveBeneath };
        var path = System.Text.Encoding.UTF8.GetBytes(relative + "\0");
        long descriptor;
        fixed (byte* p = path)
        {
            do descriptor = SysCall(OpenAt2, directory, p, &how, (nuint)sizeof(OpenHow));
            while (descriptor < 0 && Marshal.GetLastPInvokeError() == LinuxFiles.EINTR);
        }
        if (descriptor < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error is LinuxFiles.ENOENT or LinuxFiles.ENOTDIR) return Outcome.Missing;
            // No openat2 here (an old kernel, or a sandbox that refuses it): never asked again.
            if (LinuxFiles.Refused(error)) _available = false;
            // ELOOP (a link on the way), EACCES and the rest: the portable path says what is wrong.
            return Outcome.Unsure;
        }
        var fd = (int)descriptor;
        try
        {
            Span<byte> stat = stackalloc byte[LinuxFiles.StatBytes];
            if (FStat(fd, stat) != 0 || !LinuxFiles.IsRegularFile(stat)) return Outcome.Unsure;
            var length = LinuxFiles.Size(stat);
            if (length > maxBytes) return Outcome.Unsure;
            var buffer = new byte[length];
            var filled = 0;
            fixed (byte* b = buffer)
                while (filled < buffer.Length)
                {
                    var got = Read(fd, b + filled, (nuint)(buffer.Length - filled));
                    if (got < 0 && Marshal.GetLastPInvokeError() == LinuxFiles.EINTR) continue;
                    if (got <= 0) break;
                    filled += (int)got;
                }
            // A file cut short while it was read is read again the portable way (which reports what it finds).
            if (filled != buffer.Length) return Outcome.Unsure;
            data = buffer;
            return Outcome.Read;
        }
        finally
        {
            LinuxFiles.Close(fd);
        }
    }
}
