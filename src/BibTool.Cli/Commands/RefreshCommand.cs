using BibTool.Identifiers;
using BibTool.Resolve;

namespace BibTool.Cli.Commands;

public static class RefreshCommand
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        if (arguments.Positional.Count == 1 && BibTool.BibFiles.OwnFile.IsBibliography(arguments.Positional[0]))
            return await RefreshBibAsync(arguments, stdout, stderr, cancel);
        if (arguments.Flag("--dry-run")) throw new UsageException("--dry-run is for a .bib file; a survey's refresh only updates the store");
        if (arguments.Values("--macros").Count > 0) throw new UsageException("--macros is for a .bib file: it reads @string definitions the file uses");
        if (arguments.Flag("--offline")) throw new UsageException("a survey refresh fetches every work again, so it cannot go with --offline (--offline is for a bibliography file: bibtool refresh REFS.bib --offline)");
        var format = arguments.Value("--format") ?? "text";
        if (format is not ("text" or "json")) throw new UsageException($"unknown format '{format}' for refresh (text or json)");
        var olderThan = arguments.Value("--older-than") is { } age ? ResolveCommand.ParseAge(age, "--older-than") : (TimeSpan?)null;

        var survey = Cli.LoadSurvey(arguments, stderr);
        var settings = Settings.From(arguments, stderr);
        var filter = Options.ParseFilter(arguments, survey);
        if (filter.NeedsWorks) throw new UsageException("refresh selects rows by survey fields only");
        var entries = survey.Entries.Where(e => filter.Matches(e, null)).ToList();

        HashSet<Identifier>? only = null;
        if (arguments.Values("--only").Count > 0)
        {
            only = [];
            foreach (var text in arguments.Values("--only").SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                var id = IdentifierParser.ParseKey(text) is { IsResolvable: true } key ? key : IdentifierParser.Parse(text);
                if (!id.IsResolvable) throw new UsageException($"--only '{text}' is not an identifier (doi:…, arxiv:…, pmid:…, a DOI, an arXiv id or a link)");
                if (!entries.Any(e => e.Identifier.Equals(id))) throw new UsageException($"--only {id}: no row of {survey.File} names it");
                only.Add(id);
            }
        }

        var requests = BibTool.Sources.SourceRegistry.RequestsFor(entries);
        var result = await ResolveRunner.RefreshAsync(settings, requests, arguments.Flag("--quiet"), stderr, cancel, new RefreshScope(olderThan, only));
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
        ResolveRunner.PrintSummary(result.Report, stderr);
        return result.Report.Complete ? ExitCode.Ok : ExitCode.Unresolved;
    }

    private static async Task<int> RefreshBibAsync(Arguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var format = arguments.Value("--format") ?? "text";
        if (format is not ("text" or "json")) throw new UsageException($"unknown format '{format}' for refresh (text or json)");
        if (arguments.Values("--only").Count > 0) throw new UsageException("--only is for a survey; a .bib file is refreshed entry by entry");
        foreach (var filter in new[] { "--category", "--table", "--name", "--where" })
            if (arguments.Values(filter).Count > 0) throw new UsageException($"{filter} selects survey rows; a bibliography file is refreshed entry by entry");
        var olderThan = arguments.Value("--older-than") is { } age ? ResolveCommand.ParseAge(age, "--older-than") : (TimeSpan?)null;
        var path = arguments.Positional[0];
        BibTool.BibFiles.OwnFile file;
        try { file = BibTool.BibFiles.OwnFile.Read(path, arguments.Values("--macros")); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        catch (BibTool.BibFiles.BibParseException e) { throw new BibToolException(e.Message, ExitCode.BadInput); }
        foreach (var warning in file.Warnings) stderr.WriteLine($"warning: {warning}");
        var settings = Settings.From(arguments, stderr);
        var requests = file.Identifiers.Where(i => i.IsResolvable).Distinct().Select(i => new BibTool.Sources.SourceRequest(i)).ToList();
        var offline = arguments.Flag("--offline");
        var (library, report) = await ResolveRunner.RunAsync(settings, requests, offline, arguments.Flag("--quiet"), stderr, cancel,
            refresh: !offline && olderThan is null, maxAge: olderThan);
        var result = file.Refresh(library.Find);
        var dryRun = arguments.Flag("--dry-run");

        if (format == "json") RefreshOutput.FileJson(stdout, path, !dryRun && result.Changes.Count > 0, file.Entries, result);
        else
        {
            foreach (var change in result.Changes) stdout.WriteLine($"{change.Key}: {change.Field}: {change.Old ?? "(none)"} → {change.New}");
            foreach (var (record, reason) in result.Skipped) stdout.WriteLine($"{path}:{record.Line}: {record.Key}: left as it is ({reason})");
        }
        foreach (var (record, work) in result.Checked)
            if (work.Retraction is { } retraction) stderr.WriteLine($"warning: {path}:{record.Line}: {record.Key}: {retraction.Describe()}");
        foreach (var refusal in result.Refused) stderr.WriteLine($"warning: {refusal}");

        if (!dryRun && result.Changes.Count > 0) file.Write(result);
        var changedEntries = result.Changes.Select(c => c.Key).Distinct().Count();
        stderr.WriteLine($"{path}: {file.Entries} entries, {result.Checked.Count} checked, {changedEntries} changed ({result.Changes.Count} fields), {result.Skipped.Count} left as they are" +
            (dryRun ? " (dry run: nothing written)" : result.Changes.Count > 0 ? $"; the original is {path}.bak" : ""));
        return report.Complete ? ExitCode.Ok : ExitCode.Unresolved;
    }
}
