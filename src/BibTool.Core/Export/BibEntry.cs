namespace BibTool.Export;

/// <summary>One BibTeX/BibLaTeX entry being assembled: fields in order, then written in one shape.</summary>
internal sealed class BibEntry(string type, string key)
{
    private readonly List<(string Name, string Value, bool Raw)> _fields = [];

    public string Type { get; } = type;

    /// <summary>Adds a field unless empty. Raw values (url, doi, eprint) are written verbatim; the caller escapes the rest.</summary>
    public void Add(string name, string? value, bool raw = false)
    {
        if (!string.IsNullOrWhiteSpace(value)) _fields.Add((name, value.Trim(), raw));
    }

    public void RemoveWhere(Func<string, bool> unwanted) => _fields.RemoveAll(f => unwanted(f.Name));

    public void WriteTo(TextWriter output)
    {
        output.Write('@');
        output.Write(Type);
        output.Write('{');
        output.Write(key);
        output.Write(",\n");
        foreach (var (name, value, raw) in _fields)
        {
            output.Write("  ");
            output.Write(name);
            output.Write(" = ");
            // Month macros (jan … dec) are bare words that the styles define.
            if (name == "month" && raw) output.Write(value);
            else
            {
                output.Write('{');
                output.Write(raw ? Verbatim(value) : value);
                output.Write('}');
            }
            output.Write(",\n");
        }
        output.Write("}\n\n");
    }

    /// <summary>A verbatim value may hold anything but an unbalanced brace; those are percent-encoded.</summary>
    internal static string Verbatim(string value)
    {
        var depth = 0;
        foreach (var c in value)
        {
            if (c == '{') depth++;
            else if (c == '}' && --depth < 0) break;
        }
        return depth == 0 ? value.Replace("\n", " ") : value.Replace("{", "%7B").Replace("}", "%7D");
    }
}
