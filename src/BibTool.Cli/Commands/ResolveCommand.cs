using BibTool.Identifiers;
using BibTool.Survey;

namespace BibTool.Cli.Commands;

public static class ResolveCommand
{
    public const string Help = """
        usage: bibtool resolve SURVEY.md [--cache DIR] [--offline] [--mailto EMAIL] [options]

          --cache DIR          the metadata store (default ./cache, or BIBTOOL_CACHE)
          --offline            never touch the network; report what the store lacks
          --mailto EMAIL       join Crossref's polite pool (or BIBTOOL_MAILTO, or the config file)
          --crossref-url URL   Crossref REST API base (default https://api.crossref.org)
          --arxiv-url URL      arXiv API base (default https://export.arxiv.org)
          --timeout SECONDS    per-request deadline before a retry (default 30)
          --config FILE        JSON config (default ./bibtool.json if present)
          --quiet              no progress output
          filters              --category, --table, --name, --where select the rows to resolve
        Exit codes: 0 all resolved, 1 some works not resolved (the rest is stored), 2 bad input, 3 store error.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        if (args.Contains("--help") || args.Contains("-h")) { stdout.WriteLine(Help); return ExitCode.Ok; }
        var arguments = Arguments.Parse(args, Options.WithFilters(Options.StoreValueOptions), Options.StoreFlags);
        var survey = Cli.LoadSurvey(arguments, stderr);
        var settings = Settings.From(arguments, stderr);
        var filter = Options.ParseFilter(arguments, survey);
        if (filter.NeedsWorks) throw new UsageException("resolve selects rows by survey fields only; filter on resolved fields with list or export");
        var entries = survey.Entries.Where(e => filter.Matches(e, null)).ToList();
        var (_, report) = await ResolveRunner.RunAsync(settings, entries.Select(e => e.Identifier).ToList(),
            arguments.Flag("--offline"), arguments.Flag("--quiet"), stderr, cancel);
        var skipped = entries.Where(e => !e.Identifier.IsResolvable).Select(e => e.Identifier).Distinct().Count(i => i.Type != IdentifierType.None);
        ResolveRunner.PrintSummary(report, stderr);
        if (skipped > 0) stderr.WriteLine($"{skipped} works have only a landing page, PMID, PMCID or OpenReview id (no metadata source yet)");
        return report.Complete ? ExitCode.Ok : ExitCode.Unresolved;
    }
}
