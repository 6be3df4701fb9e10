namespace BibTool.Cli.Commands;

/// <summary>GitHub Actions workflow command syntax (docs: "Workflow commands for GitHub Actions").</summary>
public static class GitHub
{
    /// <summary>A message: '%', CR and LF escaped, so one finding stays one command.</summary>
    public static string Data(string text) => text.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    /// <summary>A property value: as a message, and ':' and ',' too, which separate properties.</summary>
    public static string Property(string text) => Data(text).Replace(":", "%3A").Replace(",", "%2C");

    /// <summary>The survey's path as annotations want it: relative to the working directory (the checkout) when it lies inside it, with '/'.</summary>
    public static string WorkspacePath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetFullPath(Environment.GetEnvironmentVariable("GITHUB_WORKSPACE") is { Length: > 0 } workspace ? workspace : Environment.CurrentDirectory);
        var relative = Path.GetRelativePath(root, full);
        return (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative).Replace(Path.DirectorySeparatorChar, '/');
    }
}
