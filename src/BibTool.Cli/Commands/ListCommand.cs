using BibTool.Survey;

namespace BibTool.Cli.Commands;

public static class ListCommand
{
    public static int Run(Arguments arguments, TextWriter stdout, TextWriter stderr)
    {
        // list reads the survey and the store, never the network: it declares no network option (CommandLine).
        var format = arguments.Format ?? "table";
        if (format is not ("table" or "csv" or "json")) throw new UsageException($"unknown format '{format}' for list (table, csv or json)");
        if (arguments.All) return ListStore(arguments, format, stdout, stderr);

        using var survey = Cli.LoadSurvey(arguments, stderr);
        // What the store says of each work (source, how it was matched), read without the network;
        // a large survey's works are read as its rows go by, not remembered.
        var library = new BibTool.Resolve.WorkLibrary(new BibTool.Store.MetadataStore(Settings.From(arguments, stderr).CacheDirectory),
            remember: !survey.IsLarge);
        var filtered = Options.ApplyFilters(arguments, survey, e => library.Find(e.Identifier));
        var summary = new InventorySummary();
        var entries = summary.Counting(filtered);
        var output = arguments.Output;
        switch (format)
        {
            case "csv":
                // Every column the listed rows have: one pass over them first.
                var columns = ReferenceEquals(filtered, survey.Entries) ? survey.Columns : Inventory.SurveyColumns(filtered);
                Output.Write(output, stdout, w => Inventory.WriteCsv(entries, columns, w, library.Find));
                break;
            case "json":
                Output.Write(output, stdout, w =>
                {
                    // Streamed: a large survey's JSON is never held whole in memory.
                    using (var stream = new BibTool.Text.TextWriterStream(w)) Inventory.WriteJson(entries, stream, library.Find);
                    w.WriteLine();
                });
                break;
            default:
                Output.Write(output, stdout, w => WriteTable(entries, w));
                break;
        }
        stderr.WriteLine($"{survey.File}: {summary}");
        return ExitCode.Ok;
    }

    /// <summary>list --all: every work of the store, read offline, in the store's order (keys as an export would give them; none is pinned).</summary>
    private static int ListStore(Arguments arguments, string format, TextWriter stdout, TextWriter stderr)
    {
        var (settings, filter) = Options.ForWholeStore(arguments, stderr, "lists");
        var count = 0;
        var rows = StoreInventory.Rows(new BibTool.Store.MetadataStore(settings.CacheDirectory), new BibTool.Keys.KeyPins(settings.CacheDirectory), filter.MatchesWork)
            .Select(row => { count++; return row; });
        Output.Write(arguments.Output, stdout, w =>
        {
            switch (format)
            {
                case "csv":
                    StoreInventory.WriteCsv(rows, w);
                    break;
                case "json":
                    using (var stream = new BibTool.Text.TextWriterStream(w)) StoreInventory.WriteJson(rows, stream);
                    w.WriteLine();
                    break;
                default:
                    var table = new PlainTable("key", "type", "year", "title", "source");
                    foreach (var row in rows) table.Add(row[0], row[2], row[3], row[4], row[7]);
                    table.Write(w);
                    break;
            }
        });
        stderr.WriteLine($"{settings.CacheDirectory}: {count} works");
        return ExitCode.Ok;
    }

    private static void WriteTable(IEnumerable<SurveyEntry> entries, TextWriter writer)
    {
        var table = new PlainTable("line", "table", "name", "id type", "id");
        foreach (var e in entries)
            table.Add(e.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Table, e.Name, e.Identifier.TypeName, e.Identifier.Value);
        table.Write(writer);
    }
}
