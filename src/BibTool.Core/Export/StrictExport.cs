using BibTool.Manuscripts;

namespace BibTool.Export;

/// <summary>Works that had to resolve and did not (export --strict): nothing is written, and the command fails.</summary>
public sealed class UnresolvedWorksException(string message) : Exception(message);

/// <summary>
/// What an export keeps and what it refuses: only the works the manuscripts cite (--cited), and
/// under --strict nothing at all while a work that must be written did not resolve. Each problem
/// is said as a line of its own (<c>say</c>) before the one-line refusal.
/// </summary>
public static class StrictExport
{
    /// <summary>Every row's work must resolve (--strict without --cited): an error line per work that did not.</summary>
    public static void RequireResolved(ExportPlan plan, Action<string> say)
    {
        var missing = 0;
        foreach (var unresolved in plan.Unresolved())
        {
            missing++;
            say($"error: {unresolved.Row.Location}: {unresolved.Identifier} not resolved ({unresolved.Reason})");
        }
        if (missing > 0) throw new UnresolvedWorksException($"{missing} works not resolved; nothing written (--strict)");
    }

    /// <summary>
    /// Only what the manuscripts cite (every work once keys are handed out, so a key is matched as
    /// the export writes it, aliases included). Unknown keys: a line each, and under --strict an error
    /// before anything is written, as for cited works not resolved (<paramref name="unresolved"/> says where each is named).
    /// </summary>
    public static IEnumerable<ExportItem> OnlyCited(CitedKeys? cited, IEnumerable<ExportItem> items, bool strict, Action<string> say,
        Func<ExportItem, string>? unresolved = null)
    {
        if (cited is null) return items;
        var selection = cited.Select(items);
        foreach (var note in selection.Notes) say($"note: {note}");
        foreach (var (citation, closest) in selection.Unknown)
            say($"{(strict ? "error" : "warning")}: {citation.Location}: no work has the key '{citation.Key}'" +
                (closest.Count > 0 ? $" (closest: {string.Join(", ", closest)})" : ""));
        if (!strict) return selection.Items;
        var notResolved = unresolved is null ? [] : selection.Items.Where(i => !i.Work.Provenance.IsResolved).Select(unresolved).ToList();
        foreach (var line in notResolved) say($"error: {line}");
        if (selection.Unknown.Count > 0 || notResolved.Count > 0)
            throw new UnresolvedWorksException(string.Join("; ", new[]
            {
                selection.Unknown.Count > 0 ? $"{selection.Unknown.Count} cited keys match no work" : null,
                notResolved.Count > 0 ? $"{notResolved.Count} cited works not resolved" : null,
            }.OfType<string>()) + "; nothing written (--strict)");
        return selection.Items;
    }
}
