using System.Runtime.CompilerServices;

namespace BibTool.Tests.Support;

public static class TestPaths
{
    /// <summary>
    /// No test may reach the internet: every client goes through a proxy that refuses at once,
    /// except loopback, which is where the replay servers listen. A test that forgets its base URL
    /// fails fast with "connection refused" instead of hanging on DNS.
    /// </summary>
    [ModuleInitializer]
    internal static void GuardNetwork()
    {
        Environment.SetEnvironmentVariable("HTTP_PROXY", "http://127.0.0.1:9");
        Environment.SetEnvironmentVariable("HTTPS_PROXY", "http://127.0.0.1:9");
        Environment.SetEnvironmentVariable("ALL_PROXY", "http://127.0.0.1:9");
        Environment.SetEnvironmentVariable("NO_PROXY", "127.0.0.1,localhost");
        foreach (var name in new[] { "BIBTOOL_CACHE", "BIBTOOL_MAILTO", "BIBTOOL_CROSSREF_URL", "BIBTOOL_ARXIV_URL", "BIBTOOL_CONFIG" })
            Environment.SetEnvironmentVariable(name, null);
        // The replay servers stamp a request's arrival when a pool thread reads it. On two cores,
        // with tests that wait synchronously for the CLI, a starved pool read a request 300 ms late
        // and two requests looked 0.8 ms apart to a pacing test (CI, 2026-12-02). Enough threads up
        // front keep the stamps true to when the requests came.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "bibtool.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("bibtool.sln not found above the test binaries");
    }

    /// <summary>
    /// The recorded API responses the tests replay: tests/fixtures in this repository (see its
    /// README), or BIBTOOL_FIXTURES where someone points the suite at another copy on purpose.
    /// </summary>
    public static string Fixtures { get; } = Overridable("BIBTOOL_FIXTURES", Path.Combine(RepoRoot, "tests", "fixtures"));

    /// <summary>The CSL-JSON schema the CSL output is validated against (tests/fixtures/schemas, or BIBTOOL_SCHEMAS).</summary>
    public static string Schemas { get; } = Overridable("BIBTOOL_SCHEMAS", Path.Combine(RepoRoot, "tests", "fixtures", "schemas"));

    private static string Overridable(string variable, string inRepository) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } dir ? Path.GetFullPath(dir) : inRepository;

    /// <summary>Whether a path lies inside the repository, once its parent-folder segments are resolved.</summary>
    public static bool InsideRepository(string path)
    {
        var full = Path.GetFullPath(path);
        return full == RepoRoot || full.StartsWith(RepoRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    public static string SeedSurvey { get; } = Path.Combine(RepoRoot, "tests", "data", "healthcare-fm-survey.md");

    /// <summary>A recording's path; one that would lead out of the fixtures folder is refused.</summary>
    public static string Fixture(params string[] parts)
    {
        var path = Path.GetFullPath(Path.Combine([Fixtures, .. parts]));
        if (path != Fixtures && !path.StartsWith(Fixtures + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"{path} lies outside the fixtures folder {Fixtures}");
        return path;
    }

    /// <summary>A fresh temporary directory, removed when disposed (and, whatever wrote into it late, when the test process ends).</summary>
    public static TempDir TempDir() => new();
}

public sealed class TempDir : IDisposable
{
    private static readonly string Prefix = $"bibtool-test-{Environment.ProcessId}-";
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Made = new();

    static TempDir()
    {
        // Folders of test processes that are gone (killed, or a run before this rule) are removed;
        // this process's own are removed when it ends, even where a background writer outlived a test.
        foreach (var folder in Directory.EnumerateDirectories(System.IO.Path.GetTempPath(), "bibtool-test-*"))
        {
            var parts = System.IO.Path.GetFileName(folder).Split('-');
            var gone = parts.Length < 4 || !int.TryParse(parts[2], out var pid) || !Directory.Exists($"/proc/{pid}");
            if (gone) Remove(folder);
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { foreach (var folder in Made.Keys) Remove(folder); };
    }

    public TempDir() => Made[Path] = 0;

    private static void Remove(string folder)
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public string Path { get; } = Directory.CreateTempSubdirectory(Prefix).FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose()
    {
        Remove(Path);
        if (!Directory.Exists(Path)) Made.TryRemove(Path, out _);
    }
}
