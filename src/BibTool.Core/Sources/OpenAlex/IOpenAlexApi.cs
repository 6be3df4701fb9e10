using Refit;

namespace BibTool.Sources.OpenAlex;

/// <summary>OpenAlex's API: one work by its DOI (the raw response is kept).</summary>
public interface IOpenAlexApi
{
    // The DOI goes in as OpenAlex documents it, a doi.org URL after /works/.
    [Get("/works/https://doi.org/{**doi}")]
    Task<HttpResponseMessage> GetWork(string doi, [AliasAs("mailto")] string? mailto, [AliasAs("api_key")] string? apiKey, CancellationToken cancel);

    /// <summary>A title search: <c>filter=title.search:TITLE</c>, the first few results.</summary>
    [Get("/works")]
    Task<HttpResponseMessage> Search([AliasAs("filter")] string filter, [AliasAs("per-page")] int perPage, [AliasAs("mailto")] string? mailto, [AliasAs("api_key")] string? apiKey, CancellationToken cancel);
}
