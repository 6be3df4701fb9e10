using Refit;

namespace BibTool.Sources.Ncbi;

/// <summary>NCBI E-utilities: PubMed records by PMID (up to 200 per request), as PubMed XML.</summary>
public interface IEutilsApi
{
    [Get("/entrez/eutils/efetch.fcgi?db=pubmed&retmode=xml")]
    Task<HttpResponseMessage> FetchPubMed(string id, string tool, string? email, [AliasAs("api_key")] string? apiKey, CancellationToken cancel);
}

/// <summary>The PMC ID Converter: PMCIDs to PMIDs and DOIs (up to 200 per request), as JSON.</summary>
public interface IPmcIdConverterApi
{
    [Get("/tools/idconv/api/v1/articles/?format=json")]
    Task<HttpResponseMessage> Convert(string ids, string tool, string? email, CancellationToken cancel);
}

/// <summary>Where NCBI's two services live, and the one budget they share (3 requests a second, 10 with an API key).</summary>
public static class Ncbi
{
    public const string EutilsUrl = "https://eutils.ncbi.nlm.nih.gov";

    public static readonly SourceSetting Url = new("ncbi-url", "URL", "scheme and host for NCBI E-utilities and the PMC ID converter (default: their own hosts)");
    public static readonly SourceSetting ApiKey = new("ncbi-api-key", "KEY", "NCBI API key: 10 requests a second instead of 3", IsUrl: false);
    public const string PmcUrl = "https://pmc.ncbi.nlm.nih.gov";
    public const int BatchSize = 200;

    /// <summary>NCBI asks for a tool name without spaces.</summary>
    public const string Tool = "bibtool";

    /// <summary>NCBI's terms: 3 requests a second, 10 with an API key, one at a time, for PubMed and the ID converter together; ids in batches.</summary>
    public static Politeness Terms(Resolve.BibToolSettings settings) =>
        Politeness.Rate(ApiKey.ValueIn(settings) is null ? 3 : 10, TimeSpan.FromSeconds(1), batch: BatchSize);

    public static Http.IAdmission Gate(SourceContext context) =>
        context.SharedGate("ncbi", () => Terms(context.Settings).Gate(context.Pace));
}
