using BibTool.Survey;
using Spectre.Console;

namespace BibTool.Cli.Commands;

public static class ListCommand
{
    public const string Help = """
        usage: bibtool list SURVEY.md [--format table|csv|json] [-o FILE] [filters]

          --format table|csv|json   table (default) for reading, csv (CsvHelper) for spreadsheets, json for scripts
          -o, --output FILE         write to FILE (atomically) instead of stdout
          filters                   --category, --table, --name, --where (see 'bibtool export --help')
        A summary line (rows, distinct works, identifier types) goes to stderr.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Contains("--help") || args.Contains("-h")) { stdout.WriteLine(Help); return ExitCode.Ok; }
        var arguments = Arguments.Parse(args, Options.WithFilters(new Dictionary<string, string>
        {
            ["--format"] = "--format", ["-o"] = "--output", ["--output"] = "--output",
        }.Concat(Options.StoreValueOptions)), Options.StoreFlags);
        var format = arguments.Value("--format") ?? "table";
        if (format is not ("table" or "csv" or "json")) throw new UsageException($"unknown format '{format}' for list (table, csv or json)");

        var survey = Cli.LoadSurvey(arguments, stderr);
        // What the store says of each work (source, how it was matched), read without the network.
        var library = new BibTool.Resolve.WorkLibrary(new BibTool.Store.MetadataStore(Settings.From(arguments, stderr).CacheDirectory));
        var entries = Options.ApplyFilters(arguments, survey, e => library.Find(e.Identifier));
        var output = arguments.Value("--output");
        switch (format)
        {
            case "csv":
                Cli.WriteOutput(output, stdout, w => Inventory.WriteCsv(entries, w, library.Find));
                break;
            case "json":
                Cli.WriteOutput(output, stdout, w =>
                {
                    using var buffer = new MemoryStream();
                    Inventory.WriteJson(entries, buffer, library.Find);
                    w.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
                    w.WriteLine();
                });
                break;
            default:
                Cli.WriteOutput(output, stdout, w => WriteTable(entries, w));
                break;
        }
        stderr.WriteLine($"{survey.File}: {Inventory.Summary(entries)}");
        return ExitCode.Ok;
    }

    private static void WriteTable(IReadOnlyList<SurveyEntry> entries, TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = writer == Console.Out && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = writer == Console.Out && !Console.IsOutputRedirected ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (writer != Console.Out || Console.IsOutputRedirected) console.Profile.Width = 200;
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "line", "table", "name", "id type", "id" }) table.AddColumn(column);
        foreach (var e in entries)
            table.AddRow(Markup.Escape(e.Line.ToString()), Markup.Escape(e.Table), Markup.Escape(e.Name),
                Markup.Escape(e.Identifier.TypeName), Markup.Escape(e.Identifier.Value));
        console.Write(table);
    }
}
