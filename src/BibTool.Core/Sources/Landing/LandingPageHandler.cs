using System.Collections.Concurrent;
using System.Net;
using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Store;

namespace BibTool.Sources.Landing;

/// <summary>
/// A landing page answers its own URL: the page is stored as received, a DOI it names becomes an
/// alias (the DOI's source gives the metadata, the page's URL is kept), and otherwise its
/// embedded citation tags are the metadata. A page with none passes the URL on to the search.
/// </summary>
public sealed class LandingPageHandler : ISourceHandler
{
    public string Name => "landing";
    public string Service => "the landing page";

    public static readonly SourceSetting Gateway = new("landing-gateway", "URL", "fetch landing pages https://HOST/PATH as URL/HOST/PATH (a caching proxy; default: directly)");

    public IReadOnlyList<SourceSetting> Settings => [Gateway];

    public IReadOnlyList<IdentifierType> Schemes { get; } = [IdentifierType.Url];

    public Work? Map(string workKey, StoredRecord record) =>
        LandingPageMapper.Map(workKey, record.Body, IdentifierParser.ParseKey(record.Key) is { } url && url.Type == IdentifierType.Url ? url.Value : null);

    /// <summary>Each site on its own: one request a second to a host, one at a time.</summary>
    public static readonly Politeness Terms = new(1, TimeSpan.FromSeconds(1), PerHost: true);

    public Politeness? Politeness(Resolve.BibToolSettings settings) => Terms;

    public ISourceFetcher CreateFetcher(SourceContext context) =>
        new LandingPageSource(HttpSetup.CreateClient(null, context.UserAgent, context.Settings.Timeout), context.Tool, Gateway.ValueIn(context.Settings), context.Settings.Timeout, owned: true)
        {
            MinInterval = context.Paced(Terms.Per),
            Retry = context.Retry(new RetryPolicy { MaxAttempts = 3 }),
        };
}

/// <summary>
/// Fetches pages at most one request a second per host (several hosts at once), following at most
/// a few redirects, refusing bodies over 5 MB and answers that are not HTML. With a gateway,
/// https://HOST/PATH?QUERY is asked as GATEWAY/HOST/PATH?QUERY.
/// </summary>
public sealed class LandingPageSource(HttpClient client, string tool, string? gateway, TimeSpan? attemptTimeout = null, bool owned = false) : ISourceFetcher
{
    private const int MaxRedirects = 5;
    private readonly ConcurrentDictionary<string, PoliteClient> _hosts = new(StringComparer.OrdinalIgnoreCase);
    public int RequestsMade => _hosts.Values.Sum(h => h.RequestsMade);
    public void Dispose() { if (owned) client.Dispose(); }

    /// <summary>The least time between two requests to one host (one second; tests shorten it).</summary>
    public TimeSpan MinInterval { get; init; } = LandingPageHandler.Terms.Per;

    /// <summary>How a failed page is asked again (three attempts).</summary>
    public RetryPolicy Retry { get; init; } = new() { MaxAttempts = 3 };

    public Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel) =>
        Task.WhenAll(requests.Select(async request => onResult(await FetchAsync(request.Identifier, cancel).ConfigureAwait(false))));

    private PoliteClient For(string host) =>
        _hosts.GetOrAdd(host, h => new PoliteClient(new HttpPolicy
        {
            Service = h, Admission = new RateGate(1, MinInterval, concurrency: 1), Retry = Retry,
            AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30),
        }, client));

    private Uri Through(Uri page) =>
        gateway is null ? page : new Uri($"{gateway.TrimEnd('/')}/{page.Host}{(page.IsDefaultPort ? "" : ":" + page.Port)}{page.PathAndQuery}");

    private async Task<FetchResult> FetchAsync(Identifier id, CancellationToken cancel)
    {
        var used = 0;
        if (!Uri.TryCreate(id.Value, UriKind.Absolute, out var page) || page.Scheme is not ("http" or "https"))
            return FetchResult.Fail(id, $"{id.Value} is not an http(s) URL", 0);
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            var http = For(page.Host);
            var target = Through(page);
            var (answer, error, sent) = await http.SendAsync(token =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, target);
                request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml;q=0.9,*/*;q=0.1");
                return http.Client.SendAsync(request, token);
            }, cancel).ConfigureAwait(false);
            used += sent;
            if (answer is null) return FetchResult.Fail(id, $"{page.Host}: {error}", used);
            answer = answer with { Url = page.ToString() };

            if ((int)answer.Status is >= 300 and < 400 && answer.Location is { } location)
            {
                var next = location.IsAbsoluteUri ? location : new Uri(page, location);
                if (next.Scheme is not ("http" or "https")) return FetchResult.Fail(id, $"{page} redirects to {next.Scheme}:", used);
                page = next;
                continue;
            }
            if (answer.Status != HttpStatusCode.OK || !answer.ContentType.Contains("html", StringComparison.OrdinalIgnoreCase))
            {
                // A refusal (403 from a bot wall), a missing page or a PDF: stored, so the search is asked instead next time too.
                var why = answer.Status != HttpStatusCode.OK ? $"HTTP {answer.Code}" : $"not an HTML page ({(answer.ContentType.Length == 0 ? "no content type" : answer.ContentType)})";
                var negative = Records.From("landing", id, answer with { Body = [] }, tool, new Dictionary<string, string> { ["absent"] = why });
                return new FetchResult(id, [(id, negative)], $"{id.Value}: {why}", used);
            }
            var extra = new Dictionary<string, string>();
            if (hop > 0) extra["final-url"] = page.ToString();
            var meta = LandingPageMapper.Read(answer.Body);
            if (LandingPageMapper.Doi(meta) is { } doi && IdentifierParser.ParseKey("doi:" + doi) is { IsResolvable: true } named)
            {
                extra["alias-of"] = named.WorkKey;
                extra["matched-by"] = "landing page's DOI";
            }
            var record = Records.From("landing", id, answer, tool, extra);
            return new FetchResult(id, [(id, record)], null, used);
        }
        return FetchResult.Fail(id, $"{id.Value}: more than {MaxRedirects} redirects", used);
    }
}
