using System.Text.Json;

namespace BibTool.Resolve;

/// <summary>
/// Where bibtool keeps and fetches metadata. Each value comes from, in order: the command-line
/// option, the environment (BIBTOOL_CACHE, BIBTOOL_MAILTO, BIBTOOL_CROSSREF_URL, BIBTOOL_ARXIV_URL),
/// the config file (--config, BIBTOOL_CONFIG, or ./bibtool.json), and the default.
/// </summary>
public sealed record BibToolSettings
{
    public const string DefaultCrossrefUrl = "https://api.crossref.org";
    public const string DefaultArxivUrl = "https://export.arxiv.org";

    public string CacheDirectory { get; init; } = "cache";
    public string? Mailto { get; init; }
    public string CrossrefUrl { get; init; } = DefaultCrossrefUrl;
    public string ArxivUrl { get; init; } = DefaultArxivUrl;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    public string? KeyPattern { get; init; }

    public static BibToolSettings Load(Func<string, string?> option, Func<string, string?> environment)
    {
        var configPath = option("config") ?? environment("BIBTOOL_CONFIG");
        var config = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (configPath is not null || File.Exists("bibtool.json"))
            config = ReadConfig(configPath ?? "bibtool.json");

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
        var settings = new BibToolSettings
        {
            CacheDirectory = Pick("cache", "BIBTOOL_CACHE", "cache") ?? "cache",
            Mailto = Pick("mailto", "BIBTOOL_MAILTO", "mailto"),
            CrossrefUrl = Pick("crossref-url", "BIBTOOL_CROSSREF_URL", "crossrefUrl") ?? DefaultCrossrefUrl,
            ArxivUrl = Pick("arxiv-url", "BIBTOOL_ARXIV_URL", "arxivUrl") ?? DefaultArxivUrl,
            KeyPattern = Pick("key-pattern", "BIBTOOL_KEY_PATTERN", "keyPattern"),
            Timeout = timeout,
        };
        foreach (var (name, url) in new[] { ("crossref-url", settings.CrossrefUrl), ("arxiv-url", settings.ArxivUrl) })
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new SettingsException($"{name} '{url}' is not an http(s) URL");
        if (settings.Mailto is { } mail && (!mail.Contains('@') || mail.Any(char.IsWhiteSpace)))
            throw new SettingsException($"mailto '{mail}' is not an e-mail address");
        return settings;
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
