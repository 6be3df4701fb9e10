using System.Globalization;
using BibTool.Model;

namespace BibTool.Resolve;

/// <summary>What a refresh changed in a work, field by field, in words a reader can check.</summary>
public static class WorkChanges
{
    public static List<string> Between(Work? before, Work? after)
    {
        var changes = new List<string>();
        if (before is null && after is null) return changes;
        if (before is null) { changes.Add("now resolved"); return changes; }
        if (after is null) { changes.Add("no longer resolves"); return changes; }
        foreach (var (field, value) in Fields)
        {
            var old = value(before);
            var now = value(after);
            if (old != now) changes.Add($"{field}: {Show(old)} → {Show(now)}");
        }
        return changes;
    }

    private static string Show(string? value) => string.IsNullOrEmpty(value) ? "(none)" : value.Length > 80 ? value[..77] + "…" : value;

    private static readonly (string Field, Func<Work, string?> Value)[] Fields =
    [
        ("type", w => w.Type),
        ("title", w => w.Title?.Plain),
        ("authors", w => string.Join("; ", w.Authors.Select(a => a.Display))),
        ("issued", w => w.Issued is { } d ? string.Join("-", new int?[] { d.Year, d.Month, d.Day }.Where(p => p is not null).Select(p => p!.Value.ToString("D2", CultureInfo.InvariantCulture))) : null),
        ("container-title", w => w.ContainerTitle),
        ("volume", w => w.Volume),
        ("issue", w => w.Issue),
        ("page", w => w.Page ?? w.ArticleNumber),
        ("publisher", w => w.Publisher),
        ("DOI", w => w.Doi),
        ("preprint version", w => w.Eprint?.Version),
        ("published as", w => w.PublishedDoi ?? w.JournalReference),
        ("note", w => w.Note),
    ];
}
