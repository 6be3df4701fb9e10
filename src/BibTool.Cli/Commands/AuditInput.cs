using BibTool.Resolve;

namespace BibTool.Cli.Commands;

/// <summary>The survey rows check, fix and report look at (those the filters keep), with their works as Core resolves them for an audit.</summary>
internal sealed record AuditInput(BibTool.Survey.Survey Survey, List<BibTool.Survey.SurveyEntry> Entries, WorkLibrary Library, BibToolSettings Settings)
{
    public static async Task<AuditInput> ReadAsync(Arguments arguments, string command, TextWriter stderr, CancellationToken cancel)
    {
        var survey = Cli.LoadSurvey(arguments, stderr);
        var settings = BibTool.Cli.Settings.From(arguments, stderr);
        var filter = Options.ParseFilter(arguments, survey);
        if (filter.NeedsWorks) throw new UsageException($"{command} selects rows by survey fields only");
        var entries = survey.Entries.Where(filter.MatchesSurveyFields).ToList();
        var service = new ResolveService(settings, Cli.Version);
        WorkLibrary library = null!;
        await ResolveRunner.Show(arguments.Quiet, plainLines: false, stderr, async observer =>
            library = await service.ResolveForAuditAsync(BibTool.Sources.SourceRegistry.RequestsFor(entries), arguments.Offline, observer, cancel));
        return new AuditInput(survey, entries, library, settings);
    }
}
