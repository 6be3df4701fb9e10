using System.Diagnostics;
using System.Text;
using BibTool.Export;
using BibTool.Identifiers;
using BibTool.Keys;
using BibTool.Resolve;
using BibTool.Store;
using BibTool.Tests.Support;

namespace BibTool.Benchmarks;

/// <summary>
/// Exports a store of N SYNTHETIC works (generated here, Crossref-shaped) in every format, each
/// format in a fresh process so its peak memory is its own, and times pandoc converting the same
/// CSL-JSON to BibLaTeX for comparison.
/// </summary>
public static class ExportBenchmark
{
    /// <summary>One tool's run: wall time and peak resident memory.</summary>
    public sealed record Run(double Seconds, long PeakBytes, bool Ok);

    /// <summary>The last run's figures per format, pandoc's and (with --compare-citation-js) citation-js's.</summary>
    public static Dictionary<string, Run> Last { get; } = [];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.FirstOrDefault() == "one") return ExportOne(args[1], args[2], args[3]);
        if (args.FirstOrDefault() == "phases") return Phases(args[1]);
        if (args.FirstOrDefault() == "generate") { Generate(args[2], int.Parse(args[1])); return 0; }
        var works = int.Parse(ResolveBenchmark.Option(args, "--works") ?? "100000");
        var root = Directory.CreateTempSubdirectory("bibtool-export-bench-");
        try
        {
            var store = Path.Combine(root.FullName, "store");
            var clock = Stopwatch.StartNew();
            Generate(store, works);
            Console.WriteLine($"store             {works} synthetic works generated in {clock.Elapsed.TotalSeconds:0.0} s ({DirectorySize(store) / 1e6:0} MB)");
            Console.WriteLine($"{"format",-10} {"seconds",8} {"peak MB",8} {"output MB",10}   (median of {Repeats} runs)");
            var failed = false;
            // The first export reads every record and writes the derived index; the ones after read the index.
            var (buildSeconds, buildPeak, buildExit) = await RunChild(["one", "bibtex", store, Path.Combine(root.FullName, "first.bib")]);
            failed |= buildExit != 0;
            Last["first"] = new Run(buildSeconds, buildPeak, buildExit == 0);
            Console.WriteLine($"{"first",-10} {buildSeconds,8:0.00} {buildPeak / 1e6,8:0}   (bibtex, every record read, the index written)");
            string? json = null;
            foreach (var format in Writers.Formats)
            {
                var output = Path.Combine(root.FullName, "out." + Writers.For(format).Extension + (format == "biblatex" ? "latex" : ""));
                var (seconds, peak, exit) = await RunChild(["one", format, store, output], Repeats);
                failed |= exit != 0;
                Last[format] = new Run(seconds, peak, exit == 0);
                Console.WriteLine($"{format,-10} {seconds,8:0.00} {peak / 1e6,8:0} {new FileInfo(output).Length / 1e6,10:0.0}");
                if (format == "csljson") json = output;
            }
            // The natively published command on the same store (export --all: keys pinned, as a user runs it).
            if (ResolveBenchmark.Option(args, "--native") is { } native)
            {
                // The index belongs to the build that wrote it: the native binary's first export reads every record again and rewrites it.
                var (firstSeconds, firstPeak, firstExit) = await Measure(native, ["export", "--all", "--format", "bibtex", "--cache", store, "-o", Path.Combine(root.FullName, "native-first.bib")]);
                failed |= firstExit != 0;
                Last["native first"] = new Run(firstSeconds, firstPeak, firstExit == 0);
                Console.WriteLine($"{"native first",-10} {firstSeconds,8:0.00} {firstPeak / 1e6,8:0}   (bibtex; the index rewritten for the native build)");
                foreach (var format in Writers.Formats)
                {
                    var output = Path.Combine(root.FullName, "native." + format);
                    var (seconds, peak, exit) = await Median(Repeats, native, ["export", "--all", "--format", format, "--cache", store, "-o", output]);
                    failed |= exit != 0;
                    Last["native " + format] = new Run(seconds, peak, exit == 0);
                    Console.WriteLine($"{"native " + format,-10} {seconds,8:0.00} {peak / 1e6,8:0} {new FileInfo(output).Length / 1e6,10:0.0}   (bibtool export --all, Native AOT)");
                }
            }
            var pandocOut = Path.Combine(root.FullName, "pandoc.bib");
            var (pandocSeconds, pandocPeak, pandocExit) = await Measure("pandoc", ["-f", "csljson", "-t", "biblatex", json!, "-o", pandocOut]);
            Console.WriteLine($"{"pandoc",-10} {pandocSeconds,8:0.00} {pandocPeak / 1e6,8:0} {(File.Exists(pandocOut) ? new FileInfo(pandocOut).Length / 1e6 : 0),10:0.0}   (pandoc -f csljson -t biblatex, exit {pandocExit})");
            Last["pandoc"] = new Run(pandocSeconds, pandocPeak, pandocExit == 0);
            if (args.Contains("--compare-citation-js"))
            {
                // citation-js from npm, installed in this benchmark's own folder: CSL-JSON → BibTeX, as bibtool's bibtex.
                var (ok, message) = await CitationJs.InstallAsync(root.FullName);
                if (ok)
                {
                    var citeOut = Path.Combine(root.FullName, "citation-js.bib");
                    var (citeSeconds, citePeak, citeExit) = await Measure("node", [CitationJs.Script(root.FullName), json!, citeOut]);
                    Console.WriteLine($"{"citation-js",-10} {citeSeconds,8:0.00} {citePeak / 1e6,8:0} {(File.Exists(citeOut) ? new FileInfo(citeOut).Length / 1e6 : 0),10:0.0}   (node, @citation-js/core + plugin-bibtex, CSL-JSON → BibTeX, exit {citeExit})");
                    Last["citation-js"] = new Run(citeSeconds, citePeak, citeExit == 0);
                }
                else Console.WriteLine($"citation-js not installed: {message}");
            }
            return failed ? 1 : 0;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static void Generate(string directory, int count)
    {
        var store = new MetadataStore(directory);
        var fetched = DateTimeOffset.UtcNow;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var doi = $"10.5555/bench.{i}";
            var id = IdentifierParser.Parse("doi:" + doi);
            store.Write(id, new StoredRecord
            {
                Key = id.WorkKey, Url = "synthetic", Status = 200, ContentType = "application/json", Fetched = fetched, Tool = "bibtool/bench",
                Body = Synthetic.CrossrefWork(doi),
            });
        });
    }

    /// <summary>The measured part: every work read (from the derived index where it vouches, else from its record), keyed and written, one at a time.</summary>
    private static int ExportOne(string format, string store, string output)
    {
        var writer = Writers.For(format);
        using var file = new StreamWriter(output, false, new UTF8Encoding(false), 1 << 16);
        Writers.WriteAll(writer, StoreExport.Items(new MetadataStore(store), maintainIndex: true), file);
        return 0;
    }

    /// <summary>Where the time goes: each stage added in turn over the same store.</summary>
    private static int Phases(string store)
    {
        var files = Directory.EnumerateFiles(Path.Combine(store, "crossref"), "*.rec", SearchOption.AllDirectories).ToList();
        void Time(string what, Action<string> step)
        {
            var clock = Stopwatch.StartNew();
            foreach (var file in files) step(file);
            Console.WriteLine($"{what,-40} {clock.Elapsed.TotalSeconds:0.00} s");
        }
        Time("read bytes", f => File.ReadAllBytes(f));
        var parallel = Stopwatch.StartNew();
        files.AsParallel().ForAll(f => File.ReadAllBytes(f));
        Console.WriteLine($"{"read bytes (parallel)",-40} {parallel.Elapsed.TotalSeconds:0.00} s");
        var listing = Stopwatch.StartNew();
        var count = new MetadataStore(store).RecordFiles().Count();
        Console.WriteLine($"{"list files (ordered)",-40} {listing.Elapsed.TotalSeconds:0.00} s");
        Time("read + parse record", f => StoredRecord.Parse(File.ReadAllBytes(f), out _));
        var bodies = files.Select(f => StoredRecord.Parse(File.ReadAllBytes(f), out _)).ToList();
        var json = Stopwatch.StartNew();
        foreach (var b in bodies) System.Text.Json.JsonDocument.Parse(b.Body).Dispose();
        Console.WriteLine($"{"  json parse only",-40} {json.Elapsed.TotalSeconds:0.00} s");
        var map = Stopwatch.StartNew();
        foreach (var b in bodies) BibTool.Sources.Crossref.CrossrefMapper.Map("doi:x", b.Body);
        Console.WriteLine($"{"  map only (json included)",-40} {map.Elapsed.TotalSeconds:0.00} s");
        var works = bodies.Select(b => BibTool.Sources.Crossref.CrossrefMapper.Map("doi:x", b.Body)).ToList();
        var keyClock = Stopwatch.StartNew();
        var k2 = new CitationKeys();
        foreach (var w in works) k2.Assign(w);
        Console.WriteLine($"{"  keys only",-40} {keyClock.Elapsed.TotalSeconds:0.00} s");
        foreach (var format in Writers.Formats)
        {
            var wc = Stopwatch.StartNew();
            Writers.WriteAll(Writers.For(format), works.Select(w => new ExportItem(w, "k", [])), TextWriter.Null);
            Console.WriteLine($"{"  write only " + format,-40} {wc.Elapsed.TotalSeconds:0.00} s");
        }
        Time("read + parse + normalize", f => { var r = StoredRecord.Parse(File.ReadAllBytes(f), out _); WorkLibrary.Normalize("doi:x", r.Source is null ? r.WithSource("crossref") : r); });
        var keys = new CitationKeys();
        var writer = new BibTexWriter();
        var all = Stopwatch.StartNew();
        Writers.WriteAll(writer, StoreExport.Items(new MetadataStore(store)), TextWriter.Null);
        Console.WriteLine($"{"StoreExport (parallel) + bibtex",-40} {all.Elapsed.TotalSeconds:0.00} s");
        Time("read + parse + normalize + key + bibtex", f =>
        {
            var r = StoredRecord.Parse(File.ReadAllBytes(f), out _);
            var w = WorkLibrary.Normalize("doi:x", r.Source is null ? r.WithSource("crossref") : r)!;
            writer.Write(new ExportItem(w, keys.Assign(w), []), TextWriter.Null);
        });
        return 0;
    }

    /// <summary>Runs per format (the median is shown): one run's time varies by a tenth on a shared machine.</summary>
    private const int Repeats = 3;

    private static Task<(double Seconds, long PeakBytes, int Exit)> RunChild(string[] args, int runs = 1) =>
        Median(runs, "dotnet", [typeof(ExportBenchmark).Assembly.Location, "export", .. args]);

    /// <summary>
    /// Wall time and peak resident memory (VmHWM, sampled every 20 ms) of a child process, started
    /// after a sync. The clock stops when the process exits, not at the next sample, so a 30 ms run
    /// reads as 30 ms.
    /// </summary>
    internal static async Task<(double, long, int)> Measure(string exe, string[] args, int expectedExit = 0)
    {
        // What earlier steps wrote (a generated store, earlier outputs) goes to disk first, untimed:
        // otherwise the kernel's write-back, or a journal commit that must flush it, lands in this run.
        using (var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false })) sync?.WaitForExit();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo(exe, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        // Drained, so a child that prints a lot never blocks on a full pipe.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        long peak = 0;
        var sampler = Task.Run(async () =>
        {
            while (!exited.IsCompleted)
            {
                try
                {
                    foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
                        if (line.StartsWith("VmHWM:")) peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024);
                }
                catch (IOException) { }
                await Task.WhenAny(exited, Task.Delay(20));
            }
        });
        await exited;
        var seconds = clock.Elapsed.TotalSeconds;
        await sampler;
        await stdout;
        var error = await stderr;
        if (process.ExitCode != expectedExit) Console.Error.WriteLine($"{exe} failed (exit {process.ExitCode}): {error}");
        return (seconds, peak, process.ExitCode);
    }

    /// <summary>The median of several runs of one command (its time, the highest peak seen, the first failure).</summary>
    internal static async Task<(double, long, int)> Median(int runs, string exe, string[] args)
    {
        var results = new List<(double Seconds, long Peak, int Exit)>();
        for (var i = 0; i < runs; i++) results.Add(await Measure(exe, args));
        return (results.Select(r => r.Seconds).Order().ElementAt(runs / 2), results.Max(r => r.Peak), results.Select(r => r.Exit).FirstOrDefault(e => e != 0));
    }

    private static long DirectorySize(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
}
