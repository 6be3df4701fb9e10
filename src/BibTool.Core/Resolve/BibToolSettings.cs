using System.Collections.Immutable;
using System.Text.Json;

namespace BibTool.Resolve;

/// <summary>
/// Where bibtool keeps and fetches metadata. Each value comes from, in order: the command-line
/// option, the environment (BIBTOOL_CACHE, BIBTOOL_MAILTO, BIBTOOL_CROSSREF_URL, …), the config
/// file (--config, BIBTOOL_CONFIG, or ./bibtool.json), and the default. The general settings are
/// properties; each source's own (its URL, an API key) are declared by the source
/// (<see cref="Sources.SourceSetting"/>) and kept here by name.
/// </summary>
public sealed record BibToolSettings
{
    public string CacheDirectory { get; init; } = "cache";

    /// <summary>The sources' settings that were given, by name ("crossref-url"); a missing one takes its declared default.</summary>
    public System.Collections.Immutable.ImmutableDictionary<string, string> SourceValues { get; init; } =
        System.Collections.Immutable.ImmutableDictionary<string, string>.Empty;

    public string? SourceValue(string name) => SourceValues.GetValueOrDefault(name);

    /// <summary>These settings with one source setting given (null: back to its default).</summary>
    public BibToolSettings With(string name, string? value) =>
        this with { SourceValues = value is null ? SourceValues.Remove(name) : SourceValues.SetItem(name, value) };

    public string? Mailto { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    public string? KeyPattern { get; init; }

    /// <summary>How long to wait for another bibtool process to release the store (null: the command's own default).</summary>
    public TimeSpan? LockWait { get; init; }

    /// <summary>The settings every source declares, in registration order, each once.</summary>
    public static IReadOnlyList<Sources.SourceSetting> SourceSettings { get; } =
        Sources.SourceRegistry.Default.Handlers.SelectMany(h => h.Settings).DistinctBy(s => s.Name).ToList();

    /// <summary>Every setting: its option, environment variable and config key (the general ones, then the sources').</summary>
    public static readonly (string Option, string Variable, string Key)[] Known =
    [
        ("cache", "BIBTOOL_CACHE", "cache"), ("mailto", "BIBTOOL_MAILTO", "mailto"), ("timeout", "BIBTOOL_TIMEOUT", "timeout"),
        ("key-pattern", "BIBTOOL_KEY_PATTERN", "keyPattern"), ("wait", "BIBTOOL_WAIT", "wait"),
        .. SourceSettings.Select(s => (s.Name, s.Variable, s.Key)),
    ];

    /// <summary>BIBTOOL_ variables that are not settings: the config file's path, stack traces, and the test suite's own.</summary>
    private static readonly string[] OtherVariables = ["BIBTOOL_CONFIG", "BIBTOOL_DEBUG", "BIBTOOL_FIXTURES", "BIBTOOL_SCHEMAS", "BIBTOOL_NATIVE", "BIBTOOL_KEEP_TEST_FILES"];

    /// <param name="variables">The names of the environment's variables, checked for BIBTOOL_ names that mean nothing (a typo fails loudly, not later).</param>
    public static BibToolSettings Load(Func<string, string?> option, Func<string, string?> environment, IEnumerable<string>? variables = null)
    {
        foreach (var variable in variables ?? [])
            if (variable.StartsWith("BIBTOOL_", StringComparison.Ordinal) && !OtherVariables.Contains(variable) && !Known.Any(k => k.Variable == variable))
                throw new SettingsException($"unknown environment variable {variable}{Nearest(variable, Known.Select(k => k.Variable).Concat(OtherVariables))}");
        var configPath = option("config") ?? environment("BIBTOOL_CONFIG");
        var config = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (configPath is not null || File.Exists("bibtool.json"))
        {
            config = ReadConfig(configPath ?? "bibtool.json");
            foreach (var key in config.Keys)
                if (!Known.Any(k => string.Equals(k.Key, key, StringComparison.OrdinalIgnoreCase)))
                    throw new SettingsException($"{configPath ?? "bibtool.json"}: unknown setting \"{key}\"{Nearest(key, Known.Select(k => k.Key))}");
        }

        string? Pick(string name, string env, string key) =>
            NonEmpty(option(name)) ?? NonEmpty(environment(env)) ?? (config.TryGetValue(key, out var v) ? NonEmpty(v) : null);

        var timeoutText = Pick("timeout", "BIBTOOL_TIMEOUT", "timeout");
        var timeout = TimeSpan.FromSeconds(30);
        if (timeoutText is not null)
        {
            if (!double.TryParse(timeoutText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
                throw new SettingsException($"timeout '{timeoutText}' is not a positive number of seconds");
            timeout = TimeSpan.FromSeconds(seconds);
        }
        TimeSpan? lockWait = null;
        if (Pick("wait", "BIBTOOL_WAIT", "wait") is { } waitText)
        {
            if (!double.TryParse(waitText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds < 0 || seconds > 86400)
                throw new SettingsException($"wait '{waitText}' is not a number of seconds from 0 to 86400");
            lockWait = TimeSpan.FromSeconds(seconds);
        }
        var settings = new BibToolSettings
        {
            LockWait = lockWait,
            CacheDirectory = Pick("cache", "BIBTOOL_CACHE", "cache") ?? "cache",
            Mailto = Pick("mailto", "BIBTOOL_MAILTO", "mailto"),
            SourceValues = SourceSettings.Select(s => (s.Name, Value: Pick(s.Name, s.Variable, s.Key)))
                .Where(v => v.Value is not null).ToImmutableDictionary(v => v.Name, v => v.Value!),
            KeyPattern = Pick("key-pattern", "BIBTOOL_KEY_PATTERN", "keyPattern"),
            Timeout = timeout,
        };
        foreach (var (name, url) in SourceSettings.Where(s => s.IsUrl).Select(s => (s.Name, settings.SourceValue(s.Name))))
            if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
                throw new SettingsException($"{name} '{url}' is not an http(s) URL");
        if (settings.Mailto is { } mail && (!mail.Contains('@') || mail.Any(char.IsWhiteSpace)))
            throw new SettingsException($"mailto '{mail}' is not an e-mail address");
        return settings;
    }

    /// <summary>", did you mean X?" for the closest known name (at most a third of its letters apart), else "".</summary>
    private static string Nearest(string name, IEnumerable<string> known)
    {
        var best = known.Select(k => (Name: k, Distance: BibTool.Text.EditDistance.Between(name.ToLowerInvariant(), k.ToLowerInvariant()))).MinBy(x => x.Distance);
        return best.Name is not null && best.Distance <= Math.Max(2, best.Name.Length / 3) ? $" (did you mean {best.Name}?)" : "";
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Dictionary<string, string> ReadConfig(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new SettingsException($"{path}: the config must be a JSON object");
            foreach (var property in document.RootElement.EnumerateObject())
                result[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            return result;
        }
        catch (FileNotFoundException) { throw new SettingsException($"{path}: no such config file"); }
        catch (JsonException e) { throw new SettingsException($"{path}:{(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message.Split('.')[0]})"); }
    }
}

public sealed class SettingsException(string message) : Exception(message);
