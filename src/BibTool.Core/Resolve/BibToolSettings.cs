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
    public const string DefaultDataCiteUrl = "https://api.datacite.org";
    public const string DefaultOpenReviewUrl = "https://api2.openreview.net";

    public string CacheDirectory { get; init; } = "cache";
    public string? Mailto { get; init; }
    public string CrossrefUrl { get; init; } = DefaultCrossrefUrl;
    public string ArxivUrl { get; init; } = DefaultArxivUrl;
    public string DataCiteUrl { get; init; } = DefaultDataCiteUrl;

    /// <summary>Replaces scheme and host of both NCBI services (E-utilities, PMC ID converter), keeping their paths; null: their own hosts.</summary>
    public string? NcbiUrl { get; init; }
    public string? NcbiApiKey { get; init; }
    public string OpenReviewUrl { get; init; } = DefaultOpenReviewUrl;

    /// <summary>When set, a landing page https://HOST/PATH is fetched as GATEWAY/HOST/PATH (a caching proxy, or a test server).</summary>
    public string? LandingGateway { get; init; }
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
            DataCiteUrl = Pick("datacite-url", "BIBTOOL_DATACITE_URL", "dataciteUrl") ?? DefaultDataCiteUrl,
            NcbiUrl = Pick("ncbi-url", "BIBTOOL_NCBI_URL", "ncbiUrl"),
            NcbiApiKey = Pick("ncbi-api-key", "BIBTOOL_NCBI_API_KEY", "ncbiApiKey"),
            OpenReviewUrl = Pick("openreview-url", "BIBTOOL_OPENREVIEW_URL", "openreviewUrl") ?? DefaultOpenReviewUrl,
            LandingGateway = Pick("landing-gateway", "BIBTOOL_LANDING_GATEWAY", "landingGateway"),
            KeyPattern = Pick("key-pattern", "BIBTOOL_KEY_PATTERN", "keyPattern"),
            Timeout = timeout,
        };
        foreach (var (name, url) in new[]
                 {
                     ("crossref-url", settings.CrossrefUrl), ("arxiv-url", settings.ArxivUrl), ("datacite-url", settings.DataCiteUrl),
                     ("ncbi-url", settings.NcbiUrl), ("openreview-url", settings.OpenReviewUrl), ("landing-gateway", settings.LandingGateway),
                 })
            if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
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
