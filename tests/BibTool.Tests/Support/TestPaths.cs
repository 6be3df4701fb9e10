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
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "bibtool.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("bibtool.sln not found above the test binaries");
    }

    /// <summary>The recorded API responses, read in place: BIBTOOL_FIXTURES, else ../shared/fixtures beside the repository.</summary>
    public static string Fixtures { get; } =
        Environment.GetEnvironmentVariable("BIBTOOL_FIXTURES") is { Length: > 0 } dir ? dir : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "fixtures"));

    public static string Schemas { get; } =
        Environment.GetEnvironmentVariable("BIBTOOL_SCHEMAS") is { Length: > 0 } dir ? dir : Path.GetFullPath(Path.Combine(Fixtures, "..", "schemas"));

    public static string SeedSurvey { get; } = Path.Combine(RepoRoot, "tests", "data", "healthcare-fm-survey.md");

    public static string Fixture(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    /// <summary>A fresh temporary directory, removed when disposed.</summary>
    public static TempDir TempDir() => new();
}

public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("bibtool-test-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
