using BibTool.Filtering;
using BibTool.Model;
using BibTool.Survey;

namespace BibTool.Cli;

/// <summary>What commands make of the shared options: the filters, and the store for --all.</summary>
public static class Options
{
    public static EntryFilter ParseFilter(Arguments arguments, Survey.Survey survey)
    {
        try
        {
            var filter = Parse(arguments);
            // Naming the survey's columns may take a pass over its rows: only when a condition needs them.
            if (filter.HasConditions) filter.Validate(survey.Columns);
            return filter;
        }
        catch (FilterException e) { throw new UsageException(e.Message); }
    }

    /// <summary>
    /// For --all (list, export): the store to read and the conditions on resolved fields; a survey
    /// argument, a survey filter or a missing store is a usage error.
    /// </summary>
    public static (BibTool.Resolve.BibToolSettings Settings, EntryFilter Filter) ForWholeStore(Arguments arguments, TextWriter stderr, string verb)
    {
        if (arguments.Positional.Count > 0) throw new UsageException($"--all {verb} the whole store: no survey ('{arguments.Positional[0]}')");
        var settings = Settings.From(arguments, stderr);
        if (!Directory.Exists(settings.CacheDirectory)) throw new UsageException($"{settings.CacheDirectory}: no such store");
        try
        {
            var filter = Parse(arguments);
            filter.ValidateWorksOnly();
            return (settings, filter);
        }
        catch (FilterException e) { throw new UsageException(e.Message); }
    }

    private static EntryFilter Parse(Arguments arguments)
    {
        var (categories, tables, names, conditions) = arguments.Filters;
        return EntryFilter.Parse(categories, tables, names, conditions);
    }

    /// <summary>Filters survey rows as they are read (a large survey is never held); conditions on resolved fields read works from <paramref name="works"/>.</summary>
    public static IEnumerable<SurveyEntry> ApplyFilters(Arguments arguments, Survey.Survey survey, Func<SurveyEntry, Work?> works)
    {
        var filter = ParseFilter(arguments, survey);
        if (filter.IsEmpty) return survey.Entries;
        return survey.Entries.Where(e => filter.Matches(e, filter.NeedsWorks ? works(e) : null));
    }
}
