namespace BibTool.Tests.Support;

/// <summary>
/// The tool as a user installs it (the README's install lines: `dotnet pack`, `dotnet pack -r
/// linux-x64`, `dotnet tool install` from the folder they wrote), once per test run, into a
/// temporary folder (about a minute; needs clang). On linux-x64 that install must be the native
/// (AOT) executable, not the framework-dependent package. BIBTOOL_NATIVE names a binary already
/// built instead (to test a given build).
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
        var packages = _temp.File("nupkg");
        var tools = _temp.File("tools");
        Step("dotnet", ["pack", project, "-c", "Release", "-o", packages]);
        Step("dotnet", ["pack", project, "-c", "Release", "-r", "linux-x64", "-o", packages]);
        // --source: the packages just written, and nothing from the network.
        Step("dotnet", ["tool", "install", "--tool-path", tools, "--source", packages, "bibtool"]);
        var command = System.IO.Path.Combine(tools, "bibtool");
        Installed = new FileInfo(command).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? command;
        Path = command;
    }

    private static void Step(string exe, string[] args)
    {
        var run = Validators.Run(exe, args, TestPaths.RepoRoot, limit: TimeSpan.FromMinutes(10));
        if (run.ExitCode != 0) throw new InvalidOperationException($"{exe} {string.Join(' ', args)} failed:\n{run.Stdout}\n{run.Stderr}");
    }

    /// <summary>The file the installed command leads to (null for BIBTOOL_NATIVE).</summary>
    public string? Installed { get; }

    public string Path { get; }

    public CliResult Run(params string[] args)
    {
        var run = Validators.Run(Path, args, Environment.CurrentDirectory);
        return new CliResult(run.ExitCode, run.Stdout, run.Stderr);
    }

    public void Dispose() => _temp?.Dispose();
}
