namespace BibTool.Tests.Support;

/// <summary>
/// The CLI published ahead of time (Native AOT), once per test run, into a temporary folder (about
/// a minute; needs clang, as the README says); BIBTOOL_NATIVE names a binary already published
/// instead (to test a given build).
/// </summary>
public sealed class NativeBinary : IDisposable
{
    private readonly TempDir? _temp;

    public NativeBinary()
    {
        if (Environment.GetEnvironmentVariable("BIBTOOL_NATIVE") is { Length: > 0 } given)
        {
            if (!File.Exists(given)) throw new InvalidOperationException($"BIBTOOL_NATIVE={given}: no such file");
            Path = given;
            return;
        }
        _temp = TestPaths.TempDir();
        var project = System.IO.Path.Combine(TestPaths.RepoRoot, "src", "BibTool.Cli");
        var publish = Validators.Run("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", _temp.Path], TestPaths.RepoRoot, limit: TimeSpan.FromMinutes(10));
        if (publish.ExitCode != 0) throw new InvalidOperationException($"native publish failed:\n{publish.Stdout}\n{publish.Stderr}");
        Path = _temp.File("bibtool");
    }

    public string Path { get; }

    public CliResult Run(params string[] args)
    {
        var run = Validators.Run(Path, args, Environment.CurrentDirectory);
        return new CliResult(run.ExitCode, run.Stdout, run.Stderr);
    }

    public void Dispose() => _temp?.Dispose();
}
