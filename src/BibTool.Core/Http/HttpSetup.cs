using System.Net;
using Refit;

namespace BibTool.Http;

/// <summary>Builds the HTTP clients: no automatic redirects (aliases are followed by hand), bounded connects.</summary>
public static class HttpSetup
{
    public static HttpClient CreateClient(string? baseUrl, string userAgent, TimeSpan connectTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            ConnectTimeout = connectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseProxy = true,
        };
        var client = new HttpClient(handler)
        {
            BaseAddress = baseUrl is null ? null : new Uri(baseUrl.TrimEnd('/')),
            // Each attempt has its own deadline (see the sources); the client never waits forever.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return client;
    }

    // The source-generated client only: no reflection, so the tool can be published ahead of time (Native AOT).
    public static T For<T>(HttpClient client) => RestService.ForGenerated<T>(client);

    /// <summary>"bibtool/0.1.0 (mailto:you@example.org)": names the tool, its version and a contact, as Crossref asks.</summary>
    public static string UserAgent(string version, string? mailto) =>
        mailto is null ? $"bibtool/{version}" : $"bibtool/{version} (mailto:{mailto})";
}
