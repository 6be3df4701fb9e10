using System.Globalization;
using BibTool.Export;

namespace BibTool.Benchmarks;

/// <summary>
/// The installed tool beside pandoc on a warm rebuild of the example survey (store complete,
/// offline): each format timed turn about with pandoc converting the same records (CSL-JSON to
/// BibLaTeX), the median of the per-pair ratios; then <c>list</c> and <c>--version</c> (start-up
/// alone). Issue 17's bounds: the rebuild at most 0.3 times pandoc's time, list at most 25 ms.
/// </summary>
public static class RebuildBenchmark
{
    public sealed record Row(string Measurement, string Bibtool, string Pandoc, string Note);

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(ResolveBenchmark.Option(args, "--runs") ?? "21", CultureInfo.InvariantCulture);
        var root = Directory.CreateTempSubdirectory("bibtool-rebuild-bench-");
        try
        {
            var store = Path.Combine(root.FullName, "store");
            if (await ResolveBenchmark.RunAsync(["--keep-store", store]) != 0) return 1;
            var installed = await InstalledTool(args, root.FullName);
            if (installed is null)
            {
                Console.Error.WriteLine("rebuild: pack or install failed (the native package needs clang)");
                return 1;
            }
            var rows = await Measure(installed, ResolveBenchmark.FindSeed(), store, root.FullName, runs);
            Console.WriteLine();
            Console.WriteLine("| measurement | bibtool | pandoc | note |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var row in rows) Console.WriteLine($"| {row.Measurement} | {row.Bibtool} | {row.Pandoc} | {row.Note} |");
            return 0;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>The measurements, with <paramref name="tool"/> reading <paramref name="store"/>.</summary>
    public static async Task<List<Row>> Measure(string tool, string survey, string store, string root, int runs)
    {
        var rows = new List<Row>();
        var csl = Path.Combine(root, "warm.json");
        await ExportBenchmark.Measure(tool, ["export", survey, "--format", "csljson", "--offline", "--quiet", "--cache", store, "-o", csl]);
        string[] pandoc = ["-f", "csljson", "-t", "biblatex", csl, "-o", Path.Combine(root, "pandoc-warm.bib")];
        foreach (var format in Writers.Formats)
        {
            var (mine, theirs, ratio) = await Paired(runs, tool, ["export", survey, "--format", format, "--offline", "--quiet", "--cache", store, "-o", Path.Combine(root, "installed." + format)], "pandoc", pandoc);
            rows.Add(new($"warm rebuild, {format}, installed tool", $"{mine * 1000:0.0} ms", $"{theirs * 1000:0.0} ms", $"bibtool/pandoc {ratio:0.00}× (median of {runs} paired runs)"));
        }
        var list = (await ExportBenchmark.Median(runs, tool, ["list", survey, "-o", Path.Combine(root, "list.txt")])).Item1;
        rows.Add(new("list (example survey), installed tool", $"{list * 1000:0.0} ms", "", $"median of {runs}"));
        var version = (await ExportBenchmark.Median(runs, tool, ["--version"])).Item1;
        rows.Add(new("--version, installed tool", $"{version * 1000:0.0} ms", "", $"median of {runs}: start-up alone"));
        return rows;
    }

    /// <summary>
    /// The tool installed as the README says (dotnet pack; dotnet pack -r linux-x64; dotnet tool
    /// install from that folder) into a folder of the benchmark's own, or the one --installed names.
    /// </summary>
    public static async Task<string?> InstalledTool(string[] args, string root)
    {
        if (ResolveBenchmark.Option(args, "--installed") is { } given) return given;
        var project = Path.Combine(ResolveBenchmark.RepoRoot(), "src", "BibTool.Cli");
        var packages = Path.Combine(root, "nupkg");
        var tools = Path.Combine(root, "tools");
        foreach (var step in new[]
        {
            new[] { "pack", project, "-c", "Release", "-o", packages },
            ["pack", project, "-c", "Release", "-r", "linux-x64", "-o", packages],
            ["tool", "install", "--tool-path", tools, "--source", packages, "bibtool"],
        })
            if ((await ExportBenchmark.Measure("dotnet", step)).Item3 != 0) return null;
        return Path.Combine(tools, "bibtool");
    }

    /// <summary>Two commands timed turn about, <paramref name="runs"/> times: both medians and the median of the per-pair ratios.</summary>
    private static async Task<(double Mine, double Theirs, double Ratio)> Paired(int runs, string exe, string[] args, string otherExe, string[] otherArgs)
    {
        var mine = new List<double>();
        var theirs = new List<double>();
        var ratios = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var (a, _, _) = await ExportBenchmark.Measure(exe, args);
            var (b, _, _) = await ExportBenchmark.Measure(otherExe, otherArgs);
            mine.Add(a);
            theirs.Add(b);
            ratios.Add(a / b);
        }
        static double Middle(List<double> values) => values.Order().ElementAt(values.Count / 2);
        return (Middle(mine), Middle(theirs), Middle(ratios));
    }
}
