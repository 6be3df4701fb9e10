namespace BibTool.Sources;

/// <summary>
/// A setting a source declares: its name gives the option (--NAME), the environment variable
/// (BIBTOOL_NAME) and the config key (camelCase), so the command line, --help, the config file and
/// the check for unknown names all come from the registry, not from a list kept elsewhere.
/// </summary>
public sealed record SourceSetting(string Name, string Placeholder, string Description, string? Default = null, bool IsUrl = true)
{
    public string Option => "--" + Name;
    public string Variable => "BIBTOOL_" + Name.ToUpperInvariant().Replace('-', '_');
    public string Key => string.Concat(Name.Split('-').Select((part, i) => i == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>The value in these settings: given, or the default.</summary>
    public string? ValueIn(Resolve.BibToolSettings settings) => settings.SourceValue(Name) ?? Default;
}
