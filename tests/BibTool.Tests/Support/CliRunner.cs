namespace BibTool.Tests.Support;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

public static class CliRunner
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await BibTool.Cli.Cli.RunAsync(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public static CliResult Run(params string[] args) => RunAsync(args).GetAwaiter().GetResult();
}
