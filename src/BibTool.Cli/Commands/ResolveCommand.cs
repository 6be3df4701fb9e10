using BibTool.Resolve;
using BibTool.Survey;

namespace BibTool.Cli.Commands;

public static class ResolveCommand
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var survey = Cli.LoadSurvey(arguments, stderr);
        var settings = Settings.From(arguments, stderr);
        var filter = Options.ParseFilter(arguments, survey);
        if (filter.NeedsWorks) throw new UsageException("resolve selects rows by survey fields only; filter on resolved fields with list or export");
        var entries = survey.Entries.Where(e => filter.Matches(e, null)).ToList();
        var requests = BibTool.Sources.SourceRegistry.RequestsFor(entries);
        var refresh = arguments.Flag("--refresh");
        if (refresh && arguments.Flag("--offline")) throw new UsageException("--refresh needs the network; it cannot go with --offline");
        if (refresh && arguments.Value("--max-age") is not null) throw new UsageException("--refresh fetches every work again and --max-age only the older ones: give one of them");
        ResolveReport report;
        if (refresh)
        {
            var result = await ResolveRunner.RefreshAsync(settings, requests, arguments.Flag("--quiet"), stderr, cancel);
            foreach (var (id, changes) in result.Changed) stdout.WriteLine($"{id}: {string.Join("; ", changes.Select(c => c.ToString()))}");
            stderr.WriteLine($"refresh: {result.Changed.Count} of {result.Works} works changed");
            report = result.Report;
        }
        else
        {
            (_, report) = await ResolveRunner.RunAsync(settings, requests, arguments.Flag("--offline"), arguments.Flag("--quiet"), stderr, cancel,
                maxAge: arguments.Value("--max-age") is { } age ? ParseAge(age) : null);
        }
        ResolveSummary.Print(report, stderr);
        return report.Complete ? ExitCode.Ok : ExitCode.Unresolved;
    }

    /// <summary>"30d", "12h", "90m", "45s" (a bare number is days); at most a century.</summary>
    public static TimeSpan ParseAge(string text, string option = "--max-age")
    {
        text = text.Trim();
        var unit = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 'd';
        var number = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? text[..^1] : text;
        double? seconds = unit switch { 'd' => 86400, 'h' => 3600, 'm' => 60, 's' => 1, _ => null };
        if (seconds is null || !double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
            throw new UsageException($"{option} '{text}' is not an age such as 30d, 12h, 90m or 45s");
        return TimeSpan.FromSeconds(Math.Min(value * seconds.Value, 36500 * 86400.0));
    }
}
