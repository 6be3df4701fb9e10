using Refit;

namespace BibTool.Sources.Arxiv;

/// <summary>The arXiv API query endpoint, used with many ids per request.</summary>
public interface IArxivApi
{
    /// <summary>GET /api/query?id_list=a,b,c&amp;max_results=N: max_results is always sent, since arXiv defaults to 10.</summary>
    [Get("/api/query")]
    Task<HttpResponseMessage> Query([AliasAs("id_list")] string idList, [AliasAs("max_results")] int maxResults, CancellationToken cancel);

    /// <summary>GET /api/query?search_query=ti:"…"&amp;max_results=N: arXiv's own search, by title.</summary>
    [Get("/api/query")]
    Task<HttpResponseMessage> Search([AliasAs("search_query")] string query, [AliasAs("max_results")] int maxResults, CancellationToken cancel);
}
