using System.Net;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Store;
using BibTool.Text;

namespace BibTool.Sources.Ncbi;

/// <summary>PubMed answers PMIDs, through E-utilities' efetch (PubMed XML).</summary>
public sealed class PubMedHandler : ISourceHandler
{
    public string Name => "pubmed";
    public string Service => "PubMed";

    public IReadOnlyList<IdentifierType> Schemes { get; } = [PmidScheme.Instance];

    public Work? Map(string workKey, StoredRecord record) => PubMedMapper.Map(workKey, SafeXml.Parse(record.Body).Root!);

    public Politeness? Politeness(Resolve.BibToolSettings settings) => Ncbi.Terms(settings);

    public ISourceFetcher CreateFetcher(SourceContext context)
    {
        var client = context.Client(Ncbi.Url.ValueIn(context.Settings) ?? Ncbi.EutilsUrl);
        return new PubMedSource(client, context.Tool, Ncbi.Gate(context), context.Settings.Mailto, Ncbi.ApiKey.ValueIn(context.Settings), context.Settings.Timeout, context.Retry()) { OwnedClient = client };
    }
}

/// <summary>
/// Fetches PMIDs in batches of up to 200. PubMed answers unknown PMIDs with 200 and no article,
/// and some mistakes with 200 and an &lt;ERROR&gt; element: both are detected. Each PMID's record
/// holds its own &lt;PubmedArticle&gt;, cut from the answer by the XML parser.
/// </summary>
public sealed class PubMedSource(HttpClient client, string tool, IAdmission gate, string? email, string? apiKey, TimeSpan? attemptTimeout = null, RetryPolicy? retry = null) : PoliteFetcher(new HttpPolicy
{
    Service = "PubMed", Admission = gate, AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30), Retry = retry ?? new RetryPolicy(),
    MaxBytes = 64 * 1024 * 1024, Unreadable = body => Parse(body) is null, CutShort = BibTool.Text.Truncation.Xml,
}, client)
{
    private IEutilsApi Api => field ??= HttpSetup.For<IEutilsApi>(Http.Client);

    /// <summary>Ids per request: NCBI answers up to 200 in one GET.</summary>
    public int BatchSize { get; init; } = Ncbi.BatchSize;

    public override Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel) =>
        BatchesAsync(requests, BatchSize, async batch =>
        {
            var ids = string.Join(',', batch.Select(i => i.Value));
            var (answer, error, used) = await Http.SendAsync(token => Api.FetchPubMed(ids, Ncbi.Tool, email, apiKey, token), cancel).ConfigureAwait(false);
            if (answer is not null && answer.Status != HttpStatusCode.OK) error = $"HTTP {answer.Code} from PubMed: {Records.Snippet(answer.Body)}";
            var root = answer is null ? null : Parse(answer.Body);
            if (error is null && root?.Name.LocalName != "PubmedArticleSet")
                error = root?.Element("ERROR") is { } problem ? $"PubMed error: {problem.Value.Trim()}" : "PubMed answered something else than a PubmedArticleSet";
            if (error is not null)
            {
                foreach (var id in batch) onResult(FetchResult.Fail(id, error, used));
                return;
            }
            var articles = new Dictionary<string, XElement>(StringComparer.Ordinal);
            foreach (var article in root!.Elements("PubmedArticle"))
                if (article.Element("MedlineCitation")?.Element("PMID")?.Value.Trim() is { Length: > 0 } pmid) articles.TryAdd(pmid, article);
            foreach (var id in batch)
            {
                if (articles.TryGetValue(id.Value, out var article))
                {
                    var body = Encoding.UTF8.GetBytes(article.ToString(SaveOptions.DisableFormatting));
                    onResult(new FetchResult(id, [(id, Records.From("pubmed", id, answer! with { Body = body }, tool, new Dictionary<string, string> { ["excerpt"] = "PubmedArticle" }))], null, used));
                }
                else
                {
                    var absent = Records.From("pubmed", id, answer! with { Body = [] }, tool, new Dictionary<string, string> { ["excerpt"] = "none", ["absent"] = "the answer had no article for this PMID" });
                    onResult(new FetchResult(id, [(id, absent)], "not found at PubMed (no article in the answer)", used));
                }
            }
        });

    private static XElement? Parse(byte[] body)
    {
        try { return SafeXml.Parse(body).Root; }
        catch (XmlException) { return null; }
    }
}
