namespace BibTool.Cli;

/// <summary>
/// A parsed command line as the commands read it: option values by the option's name (as
/// declared in <see cref="CommandLine"/>), flags, and the positional arguments.
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
}

public sealed class UsageException(string message) : Exception(message);
