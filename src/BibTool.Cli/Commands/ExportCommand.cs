namespace BibTool.Cli.Commands;

public static class ExportCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel) =>
        throw new UsageException("export is not available yet");
}
