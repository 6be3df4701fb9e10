using Refit;

namespace BibTool.Sources.DataCite;

/// <summary>DataCite's REST API: one DOI's JSON:API document (the raw response is kept).</summary>
public interface IDataCiteApi
{
    [Get("/dois/{doi}")]
    Task<HttpResponseMessage> GetDoi(string doi, CancellationToken cancel);
}
