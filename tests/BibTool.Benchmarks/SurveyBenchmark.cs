using System.Text;

namespace BibTool.Benchmarks;

/// <summary>
/// How list and export grow with a survey's size: SYNTHETIC surveys of N rows (one DOI each,
/// generated here) read by the real `bibtool` command in its own process, offline with an empty
/// store (every work written from the survey), timing each and sampling its peak memory. Time
/// per row stays flat when the work is linear.
/// </summary>
public static class SurveyBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = (ResolveBenchmark.Option(args, "--rows") ?? "10000,100000,1000000").Split(',').Select(int.Parse).ToList();
        var bibtool = Path.Combine(AppContext.BaseDirectory, "bibtool.dll");
        var root = Directory.CreateTempSubdirectory("bibtool-survey-bench-");
        var failed = false;
        try
        {
            Console.WriteLine($"{"rows",9} {"command",-26} {"seconds",8} {"µs/row",8} {"peak MB",8}");
            foreach (var rows in sizes)
            {
                var survey = Path.Combine(root.FullName, $"survey-{rows}.md");
                Generate(survey, rows);
                var store = Path.Combine(root.FullName, $"store-{rows}");
                (string Name, string[] Args)[] commands =
                [
                    ("list --format csv", ["list", survey, "--format", "csv", "-o", Path.Combine(root.FullName, "list.csv")]),
                    ("list --format json", ["list", survey, "--format", "json", "-o", Path.Combine(root.FullName, "list.json")]),
                    ("export --offline csv", ["export", survey, "--format", "csv", "--offline", "--quiet", "--cache", store, "-o", Path.Combine(root.FullName, "out.csv")]),
                    ("export --offline bibtex", ["export", survey, "--format", "bibtex", "--offline", "--quiet", "--cache", store, "-o", Path.Combine(root.FullName, "out.bib")]),
                ];
                foreach (var (name, commandArgs) in commands)
                {
                    var (seconds, peak, exit) = await ExportBenchmark.Measure("dotnet", [bibtool, .. commandArgs]);
                    failed |= exit != 0;
                    Console.WriteLine($"{rows,9} {name,-26} {seconds,8:0.00} {seconds * 1e6 / rows,8:0.0} {peak / 1e6,8:0}");
                }
                Directory.Delete(store, recursive: true);
                File.Delete(survey);
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
        return failed ? 1 : 0;
    }

    internal static void Generate(string path, int rows)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("# Synthetic survey\n\n## Models\n\n### Language Models\n\n| Model | Subfield | Paper | Code |\n|---|---|---|---|\n");
        for (var i = 0; i < rows; i++)
            writer.Write($"| Model{i} | Medicine | [Synthetic paper {i} on foundation models]({(i % 5 == 0 ? $"https://arxiv.org/abs/{2300 + i % 99:D4}.{i % 100000:D5}" : $"https://doi.org/10.5555/bench.{i}")}) | [Github](https://github.com/x/m{i}) |\n");
    }
}
