using System.Diagnostics;

namespace BibTool.Tests.Support;

/// <summary>
/// The CLI published ahead of time (Native AOT), once per test run: BIBTOOL_NATIVE names a binary
/// already published (.ci/run publishes one), else it is published here into a temporary folder
/// (about a minute; needs clang, as the README says).
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
        var publish = Run("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", _temp.Path], TimeSpan.FromMinutes(10));
        if (publish.ExitCode != 0) throw new InvalidOperationException($"native publish failed:\n{publish.Stdout}\n{publish.Stderr}");
        Path = _temp.File("bibtool");
    }

    public string Path { get; }

    public CliResult Run(params string[] args) => Run(Path, args, TimeSpan.FromMinutes(2));

    private static CliResult Run(string exe, string[] args, TimeSpan limit)
    {
        var start = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(' ', args)}: still running after {limit}");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose() => _temp?.Dispose();
}
