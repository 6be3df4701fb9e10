using BibTool.Store;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>
/// -o never destroys what a path is: only a regular file is replaced, a symbolic link is written
/// through to its target and stays a link, and a FIFO, a directory or a missing folder is refused
/// with one line and exit 4. The file kinds are checked with stat(2) through FileKind and with
/// the `stat` command, not with what bibtool says.
/// </summary>
public class OutputSafetyTests
{
    private static CliResult List(string output) => CliRunner.Run("list", TestPaths.SeedSurvey, "--format", "csv", "-o", output);

    private static string StatType(string path) => Validators.Run("stat", ["-c", "%F", path], Environment.CurrentDirectory).Stdout.Trim();

    [Fact]
    public void ASymlinkedOutputIsWrittenThroughAndStaysALink()
    {
        using var temp = TestPaths.TempDir();
        Directory.CreateDirectory(temp.File("dotfiles"));
        var real = temp.File("dotfiles/refs.csv");
        File.WriteAllText(real, "old\n");
        var link = temp.File("refs.csv");
        File.CreateSymbolicLink(link, "dotfiles/refs.csv");
        var result = List(link);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("symbolic link", StatType(link));
        Assert.Equal("dotfiles/refs.csv", new FileInfo(link).LinkTarget);
        Assert.Equal(152, File.ReadAllLines(real).Length);
        // The temporary file went beside the target and is gone.
        Assert.Equal(["refs.csv"], Directory.GetFiles(temp.File("dotfiles")).Select(Path.GetFileName));
    }

    [Fact]
    public void ADanglingLinkGetsItsTargetCreated()
    {
        using var temp = TestPaths.TempDir();
        var link = temp.File("refs.csv");
        File.CreateSymbolicLink(link, temp.File("new.csv"));
        Assert.Equal(0, List(link).ExitCode);
        Assert.Equal("symbolic link", StatType(link));
        Assert.Equal(152, File.ReadAllLines(temp.File("new.csv")).Length);
    }

    [Fact]
    public void AFifoIsRefusedAndLeftAFifo()
    {
        using var temp = TestPaths.TempDir();
        var fifo = temp.File("pipe");
        Assert.Equal(0, Validators.Run("mkfifo", [fifo], temp.Path).ExitCode);
        var result = List(fifo);
        Assert.Equal(4, result.ExitCode);
        Assert.Equal($"bibtool: cannot write {fifo}: not a regular file (a FIFO, device or socket is never replaced; -o - writes to standard output)", result.Stderr.Trim());
        Assert.Equal("fifo", StatType(fifo));
        Assert.Equal(FileKindOf.Special, FileKind.Of(fifo, follow: false));
        Assert.Single(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void ALinkToAFifoIsRefusedToo()
    {
        using var temp = TestPaths.TempDir();
        var fifo = temp.File("pipe");
        Assert.Equal(0, Validators.Run("mkfifo", [fifo], temp.Path).ExitCode);
        File.CreateSymbolicLink(temp.File("out.csv"), fifo);
        Assert.Equal(4, List(temp.File("out.csv")).ExitCode);
        Assert.Equal("fifo", StatType(fifo));
        Assert.Equal("symbolic link", StatType(temp.File("out.csv")));
    }

    [Fact]
    public void ADirectoryIsRefused()
    {
        using var temp = TestPaths.TempDir();
        var result = List(temp.Path);
        Assert.Equal(4, result.ExitCode);
        Assert.EndsWith(": is a directory", result.Stderr.Trim());
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void AMissingFolderIsAnErrorNotANewFolder()
    {
        using var temp = TestPaths.TempDir();
        var result = List(temp.File("typo/refs.csv"));
        Assert.Equal(4, result.ExitCode);
        Assert.Contains($"no such directory {temp.File("typo")}", result.Stderr);
        Assert.False(Directory.Exists(temp.File("typo")));
    }

    [Fact]
    public void AnExportRefusesItsOutputBeforeResolvingAnything()
    {
        using var temp = TestPaths.TempDir();
        // No service is reachable (the network guard) and none is asked: the refusal comes first.
        var result = CliRunner.Run("export", TestPaths.SeedSurvey, "--format", "bibtex", "--cache", temp.File("store"), "-o", temp.Path);
        Assert.Equal(4, result.ExitCode);
        Assert.False(Directory.Exists(temp.File("store")));
    }

    [Fact]
    public void AKilledWritersTemporaryFileBesideTheOutputIsRemovedByTheNextWrite()
    {
        using var temp = TestPaths.TempDir();
        var hex = new string('a', 32);
        // Process 99999999 cannot exist (above Linux's largest pid): its file is a leftover.
        string[] gone = [$".refs.csv.99999999.{hex}.tmp"];
        // This process's own, a user's own file, and another output's leftover stay.
        string[] kept = [$".refs.csv.{Environment.ProcessId}.{hex}.tmp", ".refs.csv.tmp", $".other.csv.99999999.{hex}.tmp", $".refs.csv.old.99999999.{hex}.tmp"];
        foreach (var name in gone.Concat(kept)) File.WriteAllText(temp.File(name), "x");
        Assert.Equal(0, List(temp.File("refs.csv")).ExitCode);
        Assert.Equal(kept.Append("refs.csv").Order(StringComparer.Ordinal), Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("-")]
    [InlineData("/dev/stdout")]
    public void StandardOutputIsStreamed(string output)
    {
        var result = List(output);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(152, result.Stdout.TrimEnd('\n').Split('\n').Length);
    }
}
