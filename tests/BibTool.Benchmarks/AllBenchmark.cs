using System.Diagnostics;
using System.Globalization;
using BibTool.Export;
using BibTool.Survey;

namespace BibTool.Benchmarks;

/// <summary>
/// Every benchmark in one run, summed up in one table: the example survey parsed; a
/// 1,000,000-row survey listed and exported offline (issue 11's bound: seconds, under 500 MB); the example survey resolved cold against rate-limited loopback servers; the
/// warm rebuild of its bibliography per format beside pandoc doing the same conversion; and
/// 100,000 works exported per format beside pandoc and citation-js. Each command runs in its own
/// process, so times include start-up and peak memory is the process's own.
/// </summary>
public static class AllBenchmark
{
    private sealed record Line(string Measurement, string Bibtool, string Pandoc = "", string CitationJs = "", string Note = "");

    public static async Task<int> RunAsync(string[] args)
    {
        var works = int.Parse(ResolveBenchmark.Option(args, "--works") ?? "100000", CultureInfo.InvariantCulture);
        var rows = int.Parse(ResolveBenchmark.Option(args, "--rows") ?? "1000000", CultureInfo.InvariantCulture);
        var lines = new List<Line>();
        var failed = false;
        var root = Directory.CreateTempSubdirectory("bibtool-all-bench-");
        try
        {
            // 1. Parsing the example survey, in process (median of 20).
            var survey = ResolveBenchmark.FindSeed();
            var parse = Median(20, () => SurveyReader.ReadFile(survey));
            lines.Add(new("survey parse (example, 151 rows)", $"{parse * 1000:0.0} ms"));

            // 2. Listing and exporting (offline, empty store) a huge survey, each in its own process.
            var big = Path.Combine(root.FullName, "big.md");
            SurveyBenchmark.Generate(big, rows);
            var bibtool = Path.Combine(AppContext.BaseDirectory, "bibtool.dll");
            (string Name, string[] Args)[] surveyCommands =
            [
                ("list --format csv", ["list", big, "--format", "csv", "-o", Path.Combine(root.FullName, "list.csv")]),
                ("export --offline --format bibtex", ["export", big, "--format", "bibtex", "--offline", "--quiet", "--cache", Path.Combine(root.FullName, "big-store"), "-o", Path.Combine(root.FullName, "big.bib")]),
            ];
            foreach (var (name, commandArgs) in surveyCommands)
            {
                var (seconds, peak, exit) = await ExportBenchmark.Measure("dotnet", [bibtool, .. commandArgs]);
                failed |= exit != 0;
                lines.Add(new($"{name}, {rows:N0}-row survey", $"{seconds:0.00} s, {peak / 1e6:0} MB", Note: $"{seconds * 1e6 / rows:0.0} µs/row"));
            }
            File.Delete(big);

            // 2b. Reading and checking a user's large .bib (offline, empty store: parse and look-ups only).
            var bib = Path.Combine(root.FullName, "big.bib");
            using (var writer = new StreamWriter(bib))
                for (var i = 0; i < works / 2; i++)
                    writer.Write($"@article{{k{i},\n  title = {{Synthetic title number {i}}},\n  author = {{Doe, Jane and Roe, Richard}},\n  journal = {{Journal}},\n  year = 2020,\n  doi = {{10.5555/bench.{i}}},\n}}\n\n");
            // Exit 1 is its answer: with an empty store offline, no entry's work is resolved.
            var (bibSeconds, bibPeak, bibExit) = await ExportBenchmark.Measure("dotnet", [bibtool, "refresh", bib, "--dry-run", "--offline", "--quiet", "--cache", Path.Combine(root.FullName, "empty-store")], expectedExit: 1);
            failed |= bibExit != 1;
            lines.Add(new($"refresh --dry-run --offline, {works / 2:N0}-entry .bib", $"{bibSeconds:0.00} s, {bibPeak / 1e6:0} MB"));

            // 3. Cold resolve of the example survey.
            var store = Path.Combine(root.FullName, "store");
            failed |= await ResolveBenchmark.RunAsync(["--keep-store", store]) != 0;
            var r = ResolveBenchmark.Last!;
            lines.Add(new($"cold resolve (example, {r.Works} works)", $"{r.Wall:0.00} s (floor {r.Floor:0.00} s)", Note: $"{r.Requests / (double)r.Works:0.00} requests/work, {r.Violations} limit violations, {r.Duplicates} duplicates, {(r.Complete ? "all resolved" : "INCOMPLETE")}"));

            // 4. Warm rebuild per format (store complete, offline), beside pandoc converting the same records.
            var csl = Path.Combine(root.FullName, "warm.json");
            await ExportBenchmark.Measure("dotnet", [bibtool, "export", survey, "--format", "csljson", "--offline", "--quiet", "--cache", store, "-o", csl]);
            var pandocWarm = await MedianProcess(5, "pandoc", ["-f", "csljson", "-t", "biblatex", csl, "-o", Path.Combine(root.FullName, "pandoc-warm.bib")]);
            foreach (var format in Writers.Formats)
            {
                var seconds = await MedianProcess(5, "dotnet", [bibtool, "export", survey, "--format", format, "--offline", "--quiet", "--cache", store, "-o", Path.Combine(root.FullName, "warm." + format)]);
                lines.Add(new($"warm rebuild, {format}", $"{seconds:0.00} s", $"{pandocWarm:0.00} s", Note: $"bibtool/pandoc {seconds / pandocWarm:0.0}×"));
            }

            // 4b. The same with the tool as a user installs it (the README's install lines: on linux-x64
            // the native executable), or the one --installed names; pandoc timed in the same pairs.
            var installed = await RebuildBenchmark.InstalledTool(args, root.FullName);
            if (installed is null) { failed = true; lines.Add(new("warm rebuild, installed tool", "pack or install failed (needs clang)")); }
            else
                foreach (var row in await RebuildBenchmark.Measure(installed, survey, store, root.FullName, runs: 9))
                    lines.Add(new(row.Measurement, row.Bibtool, row.Pandoc, Note: row.Note));

            // 5. 100,000 works per format, beside pandoc and citation-js.
            string[] nativeArgs = installed is null ? [] : ["--native", installed];
            failed |= await ExportBenchmark.RunAsync(["--works", works.ToString(CultureInfo.InvariantCulture), "--compare-citation-js", .. nativeArgs]) != 0;
            var last = ExportBenchmark.Last;
            string Show(string key) => last.TryGetValue(key, out var run) ? $"{run.Seconds:0.00} s, {run.PeakBytes / 1e6:0} MB{(run.Ok ? "" : " (failed)")}" : "-";
            lines.Add(new($"{works:N0} works, first export (bibtex; builds the index)", Show("first")));
            foreach (var format in Writers.Formats)
            {
                var note = last.TryGetValue(format, out var mine) && last.TryGetValue("pandoc", out var pandoc)
                    ? $"pandoc/bibtool {pandoc.Seconds / mine.Seconds:0}× time{(last.TryGetValue("citation-js", out var cite) ? $", citation-js/bibtool {cite.Seconds / mine.Seconds:0.0}×" : "")}"
                    : "";
                lines.Add(new($"{works:N0} works, {format}", Show(format), format == "biblatex" ? Show("pandoc") : "", format == "bibtex" ? Show("citation-js") : "", note));
            }
            if (last.ContainsKey("native first")) lines.Add(new($"{works:N0} works, native, first export (bibtex; rewrites the index for its build)", Show("native first")));
            foreach (var format in Writers.Formats)
            {
                if (!last.TryGetValue("native " + format, out var mine)) continue;
                var note = last.TryGetValue("pandoc", out var pandoc) ? $"pandoc/bibtool {pandoc.Seconds / mine.Seconds:0}× time{(last.TryGetValue("citation-js", out var cite) ? $", citation-js/bibtool {cite.Seconds / mine.Seconds:0.0}×" : "")}" : "";
                lines.Add(new($"{works:N0} works, {format}, native export --all", Show("native " + format), "", "", note));
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine("| measurement | bibtool | pandoc | citation-js | note |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var line in lines) Console.WriteLine($"| {line.Measurement} | {line.Bibtool} | {line.Pandoc} | {line.CitationJs} | {line.Note} |");
        return failed ? 1 : 0;
    }

    private static double Median(int runs, Action action)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return times.Order().ElementAt(runs / 2);
    }

    private static async Task<double> MedianProcess(int runs, string exe, string[] args) => (await ExportBenchmark.Median(runs, exe, args)).Item1;
}
