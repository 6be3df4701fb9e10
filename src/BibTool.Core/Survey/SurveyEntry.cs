using BibTool.Identifiers;

namespace BibTool.Survey;

/// <summary>A cell as the survey shows it: its plain text and the links inside it.</summary>
public sealed record Cell(string Text, IReadOnlyList<Link> Links)
{
    public static readonly Cell Empty = new("", []);

    /// <summary>Awesome lists write "-" (or a dash variant) for "none".</summary>
    public bool IsNone => Text.Length == 0 || Text is "-" or "–" or "—" or "N/A" or "n/a";
}

public sealed record Link(string Text, string Url, int Line);

/// <summary>
/// One row of a survey table (or one item of a link list): its place, every cell by header,
/// and the roles found in it.
/// </summary>
public sealed record SurveyEntry
{
    public required string File { get; init; }
    public required int Line { get; init; }
    public required string Category { get; init; }
    public required string Table { get; init; }
    public required string Name { get; init; }
    public required string PaperTitle { get; init; }
    public required string PaperUrl { get; init; }
    public required string CodeUrl { get; init; }
    public required Identifier Identifier { get; init; }

    /// <summary>Every column by its header, in the table's order.</summary>
    public required IReadOnlyList<KeyValuePair<string, Cell>> Cells { get; init; }

    public string? Column(string header) =>
        Cells.FirstOrDefault(c => string.Equals(c.Key, header, StringComparison.OrdinalIgnoreCase)).Value?.Text;

    public string Location => $"{File}:{Line}";
}

public sealed record SurveyDiagnostic(string File, int Line, string Message, bool IsError)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}

/// <summary>A survey read: its entries (in memory, or for a large survey in a temporary file that disposing removes) and what the reader noticed.</summary>
public sealed record Survey(string File, IReadOnlyCollection<SurveyEntry> Entries, IReadOnlyList<SurveyDiagnostic> Diagnostics) : IDisposable
{
    private IReadOnlyList<string>? _columns;

    /// <summary>True when the entries are kept on disk (a large survey): read them as they go by, and do not remember what each row's work is.</summary>
    public bool IsLarge => Entries is SpilledEntries;

    /// <summary>Every column header of the survey's tables, in first-seen order (a spilled survey counted them as it was read).</summary>
    public IReadOnlyList<string> Columns => _columns ??= Entries is SpilledEntries spilled ? spilled.Columns : Inventory.SurveyColumns(Entries);

    public void Dispose() => (Entries as IDisposable)?.Dispose();
}
