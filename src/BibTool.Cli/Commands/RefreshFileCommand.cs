namespace BibTool.Cli.Commands;

/// <summary>refresh REFS.bib (or .ris, .json): a user's own file checked against the store and the sources (Core's <see cref="BibTool.BibFiles.OwnFile"/>), changed fields listed, the original kept as .bak.</summary>
public static class RefreshFileCommand
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var format = arguments.Format ?? "text";
        if (format is not ("text" or "json")) throw new UsageException($"unknown format '{format}' for refresh (text or json)");
        if (arguments.Only is not null) throw new UsageException("--only is for a survey; a .bib file is refreshed entry by entry");
        foreach (var filter in new[] { "--category", "--table", "--name", "--where" })
            if (arguments.Values(filter).Count > 0) throw new UsageException($"{filter} selects survey rows; a bibliography file is refreshed entry by entry");
        var olderThan = arguments.OlderThan;
        var path = arguments.Positional[0];
        BibTool.BibFiles.OwnFile file;
        try { file = BibTool.BibFiles.OwnFile.Read(path, arguments.Macros); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        catch (BibTool.BibFiles.BibParseException e) { throw new BibToolException(e.Message, ExitCode.BadInput); }
        foreach (var warning in file.Warnings) stderr.WriteLine($"warning: {warning}");
        var settings = Settings.From(arguments, stderr);
        var requests = file.Identifiers.Where(i => i.IsResolvable).Distinct().Select(i => new BibTool.Sources.SourceRequest(i)).ToList();
        var offline = arguments.Offline;
        var (library, report) = await ResolveRunner.RunAsync(settings, requests, offline, arguments.Quiet, stderr, cancel,
            refresh: !offline && olderThan is null, maxAge: olderThan);
        var result = file.Refresh(library.Find);
        var dryRun = arguments.DryRun;

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
