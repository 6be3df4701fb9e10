using BibTool.Identifiers;
using BibTool.Resolve;

namespace BibTool.Cli.Commands;

public static class RefreshCommand
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        if (arguments.Positional.Count == 1 && BibTool.BibFiles.OwnFile.IsBibliography(arguments.Positional[0]))
            return await RefreshFileCommand.RunAsync(arguments, stdout, stderr, cancel);
        if (arguments.DryRun) throw new UsageException("--dry-run is for a .bib file; a survey's refresh only updates the store");
        if (arguments.Macros.Count > 0) throw new UsageException("--macros is for a .bib file: it reads @string definitions the file uses");
        if (arguments.Offline) throw new UsageException("a survey refresh fetches every work again, so it cannot go with --offline (--offline is for a bibliography file: bibtool refresh REFS.bib --offline)");
        var format = arguments.Format ?? "text";
        if (format is not ("text" or "json")) throw new UsageException($"unknown format '{format}' for refresh (text or json)");
        var olderThan = arguments.OlderThan;

        var survey = Cli.LoadSurvey(arguments, stderr);
        var settings = Settings.From(arguments, stderr);
        var filter = Options.ParseFilter(arguments, survey);
        if (filter.NeedsWorks) throw new UsageException("refresh selects rows by survey fields only");
        var entries = survey.Entries.Where(e => filter.Matches(e, null)).ToList();

        HashSet<Identifier>? only = null;
        if (arguments.Only is { } given)
        {
            only = [];
            foreach (var text in given)
            {
                var id = IdentifierParser.ParseKey(text) is { IsResolvable: true } key ? key : IdentifierParser.Parse(text);
                if (!id.IsResolvable) throw new UsageException($"--only '{text}' is not an identifier (doi:…, arxiv:…, pmid:…, a DOI, an arXiv id or a link)");
                if (!entries.Any(e => e.Identifier.Equals(id))) throw new UsageException($"--only {id}: no row of {survey.File} names it");
                only.Add(id);
            }
        }

        var requests = BibTool.Sources.SourceRegistry.RequestsFor(entries);
        var result = await ResolveRunner.RefreshAsync(settings, requests, arguments.Quiet, stderr, cancel, new RefreshScope(olderThan, only));
        if (format == "json") RefreshOutput.SurveyJson(result, stdout);
        else
        {
            foreach (var (id, changes) in result.Changed)
            {
                stdout.WriteLine(id.ToString());
                foreach (var change in changes) stdout.WriteLine($"  {change}");
            }
        }
        stderr.WriteLine($"refresh: {result.Changed.Count} of {result.Works} works changed");
        ResolveSummary.Print(result.Report, stderr);
        return result.Report.Complete ? ExitCode.Ok : ExitCode.Unresolved;
    }
}
