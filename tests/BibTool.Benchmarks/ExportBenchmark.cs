namespace BibTool.Benchmarks;

public static class ExportBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("export benchmark: not written yet");
        return Task.FromResult(2);
    }
}
