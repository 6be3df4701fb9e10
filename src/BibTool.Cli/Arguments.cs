namespace BibTool.Cli;

/// <summary>
/// A deliberately small command-line parser: options are declared per command so that a typo
/// is an error naming the option, not a silently ignored word.
/// </summary>
public sealed class Arguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public static Arguments Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> valueOptions, IReadOnlySet<string> flagOptions)
    {
        var result = new Arguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                result.Positional.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.StartsWith('-') && arg.Length > 1)
            {
                var name = arg;
                string? inline = null;
                var eq = arg.IndexOf('=');
                if (arg.StartsWith("--") && eq > 0) { name = arg[..eq]; inline = arg[(eq + 1)..]; }
                if (valueOptions.TryGetValue(name, out var canonical))
                {
                    var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"option {name} needs a value"));
                    if (!result._values.TryGetValue(canonical, out var list)) result._values[canonical] = list = [];
                    list.Add(value);
                }
                else if (flagOptions.Contains(name) && inline is null) result._flags.Add(name);
                else throw new UsageException($"unknown option {name}");
            }
            else result.Positional.Add(arg);
        }
        return result;
    }

    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];
    public bool Flag(string name) => _flags.Contains(name);
}

public sealed class UsageException(string message) : Exception(message);
