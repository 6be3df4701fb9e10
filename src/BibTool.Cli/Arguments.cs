namespace BibTool.Cli;

/// <summary>
/// A parsed command line as the commands read it: every option the commands use, typed (flags as
/// booleans, ages as spans of time, comma lists split), each read here by the name
/// <see cref="CommandLine"/> declares, and the positional arguments. The sources' own settings are
/// read by name through <see cref="Value"/> (<see cref="Settings"/>), since the registry declares them.
/// </summary>
public sealed class Arguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    internal void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list)) _values[name] = list = [];
        list.Add(value);
    }

    internal void SetFlag(string name) => _flags.Add(name);

    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];
    public bool Flag(string name) => _flags.Contains(name);

    public string? Format => Value("--format");
    public string? Output => Value("--output");
    public string? KeyPattern => Value("--key-pattern");
    public bool Offline => Flag("--offline");
    public bool Quiet => Flag("--quiet");
    public bool All => Flag("--all");
    public bool Strict => Flag("--strict");
    public bool DryRun => Flag("--dry-run");
    public bool Refresh => Flag("--refresh");
    public bool PreferPublished => Flag("--prefer-published");
    public IReadOnlyList<string> Cited => Values("--cited");
    public IReadOnlyList<string> Macros => Values("--macros");

    /// <summary>--only: identifiers, each occurrence possibly a comma list (null when not given; given empty, none).</summary>
    public IReadOnlyList<string>? Only => Values("--only").Count == 0 ? null : CommaList("--only");

    /// <summary>--add-columns: column names, lower case, each once.</summary>
    public IReadOnlyList<string> AddColumns => CommaList("--add-columns").Select(c => c.ToLowerInvariant()).Distinct().ToList();

    public bool FixPublished => Flag("--published");
    public bool MarkRetracted => Flag("--mark-retracted");
    public bool CanonicalLinks => Flag("--canonical-links");

    /// <summary>--max-age: how old a stored answer may be before it is fetched again.</summary>
    public TimeSpan? MaxAge => Age("--max-age");

    /// <summary>--older-than: only works whose stored answer is older than this.</summary>
    public TimeSpan? OlderThan => Age("--older-than");

    /// <summary>The place and field filters (--category, --table, --name, --where), as given.</summary>
    public (IReadOnlyList<string> Categories, IReadOnlyList<string> Tables, IReadOnlyList<string> Names, IReadOnlyList<string> Conditions) Filters =>
        (Values("--category"), Values("--table"), Values("--name"), Values("--where"));

    private List<string> CommaList(string name) =>
        Values(name).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    private TimeSpan? Age(string name) => Value(name) is { } text ? ParseAge(text, name) : null;

    /// <summary>"30d", "12h", "90m", "45s" (a bare number is days); at most a century.</summary>
    public static TimeSpan ParseAge(string text, string option)
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

public sealed class UsageException(string message) : Exception(message);
