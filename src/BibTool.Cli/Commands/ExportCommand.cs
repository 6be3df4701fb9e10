using BibTool.Export;
using BibTool.Identifiers;
using BibTool.Keys;
using BibTool.Resolve;
using BibTool.Store;

namespace BibTool.Cli.Commands;

public static class ExportCommand
{
    public const string Help = """
        usage: bibtool export SURVEY.md --format bibtex|biblatex|ris|csljson|csv [-o FILE] [filters] [options]

          --format FORMAT      bibtex, biblatex, ris, csljson or csv (required)
          -o, --output FILE    write to FILE (atomically) instead of stdout
          --offline            use the store alone; otherwise what it lacks is resolved first
          --strict             works that could not be resolved are an error (exit 1, nothing written)
          --key-pattern P      citation key pattern (default {author}{year}{title}; tokens {author},
                               {authors2}, {year}, {title}, {title2}, {name}); pinned keys never change
          filters:
          --category TEXT      rows whose ## heading contains TEXT (repeatable: any of them)
          --table TEXT         rows whose ### heading contains TEXT (repeatable: any of them)
          --name TEXT          rows whose name contains TEXT (repeatable: any of them)
          --where EXPR         FIELD=VALUE, FIELD!=VALUE, FIELD~TEXT (contains), FIELD!~TEXT, FIELD>=N, <=, >, <;
                               on survey columns (subfield, base, …), inventory fields (id_type, …) or resolved
                               fields (year, type, venue, title, author, publisher, doi, …); case-insensitive;
                               repeatable, all must hold
          store and network: --cache, --mailto, --crossref-url, --arxiv-url, --datacite-url, --ncbi-url, --ncbi-api-key,
                             --openreview-url, --landing-gateway, --timeout, --config, --quiet (see resolve)
        """;

    private static string? Reason(Identifier id, ResolveReport report, WorkLibrary library) =>
        report.Resolutions.FirstOrDefault(r => r.Identifier == id)?.Message ?? library.Lookup(id).Problem;

    private static BibTool.Model.Work? WorkFor(WorkLibrary library, BibTool.Survey.SurveyEntry entry) =>
        entry.Identifier.Type == IdentifierType.None ? null
        : library.Find(entry.Identifier) ?? BibTool.Sources.Survey.SurveySource.Build(entry.Identifier, [entry]);

    /// <summary>Pins new keys in the store; a read-only store keeps working, it only cannot remember them.</summary>
    private static void SavePins(KeyPins pins, string store, TextWriter stderr)
    {
        try
        {
            using (new MetadataStore(store).Lock(TimeSpan.FromSeconds(10))) pins.Save();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            stderr.WriteLine($"warning: citation keys not pinned in {store} ({e.Message})");
        }
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        if (args.Contains("--help") || args.Contains("-h")) { stdout.WriteLine(Help); return ExitCode.Ok; }
        var valueOptions = Options.WithFilters(Options.StoreValueOptions.Concat(new Dictionary<string, string>
        {
            ["--format"] = "--format", ["-o"] = "--output", ["--output"] = "--output", ["--key-pattern"] = "--key-pattern",
        }));
        var arguments = Arguments.Parse(args, valueOptions, new HashSet<string>(Options.StoreFlags) { "--strict" });
        var format = arguments.Value("--format") ?? throw new UsageException($"export needs --format ({string.Join(", ", Writers.Formats)})");
        IBibliographyWriter writer;
        try { writer = Writers.For(format); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }

        var survey = Cli.LoadSurvey(arguments, stderr);
        var settings = Settings.From(arguments, stderr);
        var filter = Options.ParseFilter(arguments, survey);
        var offline = arguments.Flag("--offline");
        var quiet = arguments.Flag("--quiet");

        // Place filters first, so only the works that can be in the result are resolved.
        var placed = survey.Entries.Where(filter.MatchesSurveyFields).ToList();
        var (library, report) = await ResolveRunner.RunAsync(settings, BibTool.Sources.Survey.SurveySource.Requests(placed), offline, quiet, stderr, cancel, plainLines: false);
        // Conditions on resolved fields see the record that will be written, resolved or built from the survey.
        var entries = placed.Where(e => filter.Matches(e, filter.NeedsWorks ? WorkFor(library, e) : null)).ToList();

        KeyPins pins;
        try { pins = new KeyPins(settings.CacheDirectory); }
        catch (FormatException e) { throw new BibToolException(e.Message, ExitCode.StoreError); }
        foreach (var problem in pins.Problems) stderr.WriteLine($"warning: {problem}");
        var works = entries.Where(e => e.Identifier.Type != IdentifierType.None).Select(e => e.Identifier).Distinct().ToList();
        var unresolved = works.Where(id => library.Find(id) is null).ToList();
        var unresolvedCount = unresolved.Count;
        if (arguments.Flag("--strict") && unresolvedCount > 0)
        {
            foreach (var id in unresolved)
                stderr.WriteLine($"error: {entries.First(e => e.Identifier == id).Location}: {id} not resolved ({Reason(id, report, library)})");
            stderr.WriteLine($"bibtool: {unresolvedCount} works not resolved; nothing written (--strict)");
            return ExitCode.Unresolved;
        }

        IEnumerable<ExportItem> items;
        try { items = new Exporter(library.Find, pins, arguments.Value("--key-pattern") ?? settings.KeyPattern).Items(entries); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        var written = 0;
        // Records are written as they are produced; unresolved ones are announced on the way.
        var announced = items.Select(item =>
        {
            written++;
            if (!item.Work.IsResolved)
                stderr.WriteLine($"warning: {item.Rows[0].Location}: {item.Rows[0].Identifier} not resolved ({Reason(item.Rows[0].Identifier, report, library)}); written from the survey as {item.Key}");
            return item;
        });
        try { Cli.WriteOutput(arguments.Value("--output"), stdout, output => Writers.WriteAll(writer, announced, output)); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        SavePins(pins, settings.CacheDirectory, stderr);
        var withoutPaper = entries.Count(e => e.Identifier.Type == IdentifierType.None);
        stderr.WriteLine($"{writer.Name}: {written} records ({written - unresolvedCount} resolved, {unresolvedCount} from the survey only) from {entries.Count} rows" +
            (withoutPaper > 0 ? $"; {withoutPaper} rows name no paper and have no record" : ""));
        return ExitCode.Ok;
    }
}
