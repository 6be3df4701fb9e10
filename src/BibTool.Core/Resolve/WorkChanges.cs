using System.Globalization;
using BibTool.Model;

namespace BibTool.Resolve;

/// <summary>One field a refresh changed: its name and the normalized values before and after (null: none).</summary>
public sealed record FieldChange(string Field, string? Old, string? New)
{
    public override string ToString() => Field is "resolved" ? (New is null ? "no longer resolves" : "now resolved") : $"{Field}: {Show(Old)} → {Show(New)}";

    private static string Show(string? value) => string.IsNullOrEmpty(value) ? "(none)" : value.Length > 80 ? value[..77] + "…" : value;
}

/// <summary>What a refresh changed in a work, field by field, in words a reader can check.</summary>
public static class WorkChanges
{
    public static List<FieldChange> Between(Work? before, Work? after)
    {
        var changes = new List<FieldChange>();
        if (before is null && after is null) return changes;
        if (before is null || after is null)
        {
            changes.Add(new FieldChange("resolved", before is null ? null : "yes", after is null ? null : "yes"));
            return changes;
        }
        foreach (var (field, value) in Fields)
        {
            var old = value(before);
            var now = value(after);
            if (string.IsNullOrEmpty(old) && string.IsNullOrEmpty(now)) continue;
            if (old != now) changes.Add(new FieldChange(field, string.IsNullOrEmpty(old) ? null : old, string.IsNullOrEmpty(now) ? null : now));
        }
        return changes;
    }

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
