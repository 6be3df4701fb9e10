using BibTool.Survey;

namespace BibTool.Cli.Commands;

public static class ListCommand
{
    public static int Run(Arguments arguments, TextWriter stdout, TextWriter stderr)
    {
        // list reads the survey and the store, never the network: it declares no network option (CommandLine).
        var format = arguments.Value("--format") ?? "table";
        if (format is not ("table" or "csv" or "json")) throw new UsageException($"unknown format '{format}' for list (table, csv or json)");
        if (arguments.Flag("--all")) return ListStore(arguments, format, stdout, stderr);

        using var survey = Cli.LoadSurvey(arguments, stderr);
        // What the store says of each work (source, how it was matched), read without the network;
        // a large survey's works are read as its rows go by, not remembered.
        var library = new BibTool.Resolve.WorkLibrary(new BibTool.Store.MetadataStore(Settings.From(arguments, stderr).CacheDirectory),
            remember: !survey.IsLarge);
        var filtered = Options.ApplyFilters(arguments, survey, e => library.Find(e.Identifier));
        var summary = new InventorySummary();
        var entries = summary.Counting(filtered);
        var output = arguments.Value("--output");
        switch (format)
        {
            case "csv":
                // Every column the listed rows have: one pass over them first.
                var columns = ReferenceEquals(filtered, survey.Entries) ? survey.Columns : Inventory.SurveyColumns(filtered);
                Cli.WriteOutput(output, stdout, w => Inventory.WriteCsv(entries, columns, w, library.Find));
                break;
            case "json":
                Cli.WriteOutput(output, stdout, w =>
                {
                    // Streamed: a large survey's JSON is never held whole in memory.
                    using (var stream = new BibTool.Text.TextWriterStream(w)) Inventory.WriteJson(entries, stream, library.Find);
                    w.WriteLine();
                });
                break;
            default:
                Cli.WriteOutput(output, stdout, w => WriteTable(entries, w));
                break;
        }
        stderr.WriteLine($"{survey.File}: {summary}");
        return ExitCode.Ok;
    }

    private static readonly string[] StoreColumns = ["key", "id", "type", "year", "title", "first_author", "venue", "source"];

    /// <summary>list --all: every work of the store, read offline, in the store's order (keys as an export would give them; none is pinned).</summary>
    private static int ListStore(Arguments arguments, string format, TextWriter stdout, TextWriter stderr)
    {
        var (settings, filter) = Options.ForWholeStore(arguments, stderr, "lists");
        var store = new BibTool.Store.MetadataStore(settings.CacheDirectory);
        var pins = new BibTool.Keys.KeyPins(settings.CacheDirectory);
        var count = 0;
        string[] Row(BibTool.Export.ExportItem item)
        {
            count++;
            var w = item.Work;
            return [item.Key, w.Id, BibTool.Export.FormatTable.Kind(w), w.Year?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", w.Title?.Plain ?? "",
                w.Authors.FirstOrDefault() is { } a ? BibTool.Export.Fields.PersonName(a) : "", BibTool.Export.Fields.Venue(w) ?? "", w.Source];
        }
        var rows = BibTool.Export.StoreExport.Items(store, pins, null, filter.MatchesWork).Select(Row);
        Cli.WriteOutput(arguments.Value("--output"), stdout, w =>
        {
            switch (format)
            {
                case "csv":
                    using (var csv = CsvHelper.CsvWriter.Create(w, Inventory.CsvOptions, true))
                    {
                        foreach (var column in StoreColumns) csv.WriteField(column);
                        csv.EndRecord();
                        foreach (var row in rows)
                        {
                            foreach (var value in row) csv.WriteField(BibTool.Text.Scrub.OneLine(value));
                            csv.EndRecord();
                        }
                    }
                    break;
                case "json":
                    Cli.WriteJson(w, json =>
                    {
                        json.WriteStartArray();
                        foreach (var row in rows)
                        {
                            json.WriteStartObject();
                            for (var i = 0; i < StoreColumns.Length; i++) json.WriteString(StoreColumns[i], row[i]);
                            json.WriteEndObject();
                            // The writer holds what it has not flushed: hand it on in pieces.
                            if (json.BytesPending > 1 << 16) json.Flush();
                        }
                        json.WriteEndArray();
                    });
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
