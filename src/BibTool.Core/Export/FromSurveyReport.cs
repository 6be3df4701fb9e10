using BibTool.Survey;

namespace BibTool.Export;

/// <summary>
/// What an export says of the works it wrote from the survey alone (no source resolved them): a
/// line each, except where many failed for one reason (a service unreachable, no network), which
/// read better as one line per reason listing their lines. Which reasons are shared is known once
/// every work has been read, so a small survey's lines are held and said after the file is
/// written; a large survey's are said as they come, the first <see cref="NamedOneByOne"/> of them.
/// </summary>
public sealed class FromSurveyReport(ExportPlan plan, Survey.Survey survey, Action<string> say)
{
    /// <summary>Works written from the survey alone are named one by one up to this many.</summary>
    public const int NamedOneByOne = 200;

    /// <summary>More works than this failing for one reason are said in one line.</summary>
    public const int SharedReasonAbove = 3;

    /// <summary>Line numbers listed in a reason's one line before the rest are counted.</summary>
    public const int SharedLinesShown = 20;

    private readonly List<(string Reason, string Line)> _held = [];
    private int _named;

    /// <summary>How many works were written from the survey.</summary>
    public int Count { get; private set; }

    /// <summary>An item as it is written: noted when it comes from the survey alone.</summary>
    public void Written(ExportItem item)
    {
        if (item.Work.Provenance.IsResolved) return;
        Count++;
        var row = item.Rows[0];
        var reason = plan.Reason(row.Identifier);
        var line = $"warning: {row.Location}: {row.Identifier} not resolved ({reason}); written from the survey as {item.Key}";
        if (!survey.IsLarge) _held.Add((reason, line));
        else if (++_named <= NamedOneByOne) say(line);
    }

    /// <summary>Once the file is written: the held lines whose reason is not shared, then a line per shared reason.</summary>
    public void Finish()
    {
        var shared = survey.IsLarge ? [] : plan.Unresolved().GroupBy(u => u.Reason)
            .Where(g => g.Count() > SharedReasonAbove).ToDictionary(g => g.Key, g => g.Select(u => u.Row.Line).ToList());
        foreach (var (reason, line) in _held)
            if (!shared.ContainsKey(reason) && ++_named <= NamedOneByOne) say(line);
        foreach (var (reason, lines) in shared)
            say($"warning: {lines.Count} works not resolved ({reason}); written from the survey: {survey.File} lines " +
                string.Join(", ", lines.Take(SharedLinesShown)) + (lines.Count > SharedLinesShown ? $" and {lines.Count - SharedLinesShown} more ('bibtool export --strict' lists every one)" : ""));
    }

    /// <summary>Last: how many more were written from the survey than were named one by one.</summary>
    public void SayHowManyMore()
    {
        if (_named > NamedOneByOne)
            say($"warning: {_named - NamedOneByOne} more works not resolved, written from the survey ('bibtool export --strict' lists every one)");
    }
}
