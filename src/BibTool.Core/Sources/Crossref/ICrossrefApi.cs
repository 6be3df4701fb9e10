using Refit;

namespace BibTool.Sources.Crossref;

/// <summary>
/// The part of Crossref's REST API bibtool uses. The raw response is returned so that the
/// store keeps exactly what was received, whatever its status.
/// </summary>
public interface ICrossrefApi
{
    /// <summary>GET /works/{doi}; the DOI is escaped whole (slashes, parentheses, semicolons), as Crossref asks.</summary>
    [Get("/works/{doi}")]
    Task<HttpResponseMessage> GetWork(string doi, [Query] string? mailto, CancellationToken cancel);

    /// <summary>GET /works?query.bibliographic=…&amp;rows=N: Crossref's reference matching ("useful for citation look up").</summary>
    [Get("/works")]
    Task<HttpResponseMessage> Search([AliasAs("query.bibliographic")] string query, int rows, [Query] string? mailto, CancellationToken cancel);

    /// <summary>GET /works?query.bibliographic=…&amp;query.author=…&amp;filter=type:…: a preprint's published version by its title and first author.</summary>
    [Get("/works")]
    Task<HttpResponseMessage> SearchPublished([AliasAs("query.bibliographic")] string query, [AliasAs("query.author")] string author, string filter, int rows, [Query] string? mailto, CancellationToken cancel);
}
