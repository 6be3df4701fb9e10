using BibTool.Benchmarks;

var which = args.FirstOrDefault() ?? "help";
switch (which)
{
    case "resolve":
        return await ResolveBenchmark.RunAsync(args[1..]);
    case "export":
        return await ExportBenchmark.RunAsync(args[1..]);
    case "survey":
        return await SurveyBenchmark.RunAsync(args[1..]);
    case "rebuild":
        return await RebuildBenchmark.RunAsync(args[1..]);
    case "all":
        return await AllBenchmark.RunAsync(args[1..]);
    default:
        Console.Error.WriteLine("usage: dotnet run -c Release --project tests/BibTool.Benchmarks -- all [--works N] [--rows N] [--installed PATH]   (every benchmark, one table; the installed tool is packed and installed as the README says unless PATH names one)");
        Console.Error.WriteLine("       dotnet run -c Release --project tests/BibTool.Benchmarks -- rebuild [--runs N] [--installed PATH]   (warm rebuild of the example survey beside pandoc, list, --version)");
        Console.Error.WriteLine("       dotnet run -c Release --project tests/BibTool.Benchmarks -- resolve [--latency MS] [--survey FILE] [--keep-store DIR]");
        Console.Error.WriteLine("       dotnet run -c Release --project tests/BibTool.Benchmarks -- export [--works N] [--compare-citation-js]");
        Console.Error.WriteLine("       dotnet run -c Release --project tests/BibTool.Benchmarks -- survey [--rows N,N,...]");
        return 2;
}
