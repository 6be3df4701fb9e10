namespace BibTool.Export;

/// <summary>One BibTeX/BibLaTeX entry being assembled: fields in order, then written in one shape.</summary>
internal sealed partial class BibEntry
{
    private readonly List<(string Name, string Value, bool Raw)> _fields = new(24);
    private string _key = "";

    public string Type { get; private set; } = "";

    // One entry per thread, reused: a large export assembles a hundred thousand of them.
    [ThreadStatic] private static BibEntry? _reused;

    /// <summary>An empty entry of <paramref name="type"/> (this thread's, cleared: not to be kept past the next call).</summary>
    public static BibEntry Start(string type, string key)
    {
        var entry = _reused ??= new BibEntry();
        entry._fields.Clear();
        (entry.Type, entry._key) = (type, key);
        return entry;
    }

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
        output.Write(_key);
        output.Write(",\n");
        foreach (var (name, value, raw) in _fields)
        {
            output.Write("  ");
            output.Write(name);
            output.Write(" = ");
            // Month macros (jan … dec) are bare words that the styles define.
            if (name == "month" && raw && Array.IndexOf(Latex.MonthMacros, value) >= 0) output.Write(value);
            else
            {
                output.Write('{');
                output.Write(raw ? Verbatim(name, value) : value);
                output.Write('}');
            }
            output.Write(",\n");
        }
        output.Write("}\n\n");
    }

    /// <summary>
    /// Identifier-like values (doi, url, eprint, issn, …) reach a document as verbatim text, some
    /// styles even without the url package, so nothing from data may act as LaTeX: links are
    /// percent-encoded outside a safe set, and any other value that is not a plain identifier is
    /// escaped as text.
    /// </summary>
    internal static string Verbatim(string name, string value)
    {
        if (name is "url") return BibTool.Text.Links.Inert(value);
        // A DOI is the registrant's string, not a link: old Wiley DOIs hold < and >, which TeX prints as they are.
        if (name is "doi") return BibTool.Text.Links.Inert(value, keep: "<>");
        if (name is "month" or "date") return value;
        return PlainIdentifier().IsMatch(value) ? value : Latex.Escape(value, ascii: true);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9.:/\-, ()]+$")]
    private static partial System.Text.RegularExpressions.Regex PlainIdentifier();
}
