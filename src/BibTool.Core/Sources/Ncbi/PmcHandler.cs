using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Store;
using BibTool.Text;

namespace BibTool.Sources.Ncbi;

/// <summary>
/// PMCIDs go through the PMC ID converter to the DOI (or, without one, the PMID) of the same
/// article: the record is an alias, and the work comes from the DOI's or PMID's own source, with
/// the PMCID and PMID kept on it.
/// </summary>
public sealed class PmcHandler : ISourceHandler
{
    public string Name => "pmc";
    public string Service => "the PMC ID converter";

    /// <summary>PubMed shares these (one NCBI budget): they are declared here once.</summary>
    public IReadOnlyList<SourceSetting> Settings => [Ncbi.Url, Ncbi.ApiKey];

    public IReadOnlyList<IdentifierType> Schemes { get; } = [PmcidScheme.Instance];

    /// <summary>A conversion names identifiers, not a work: there is nothing to map.</summary>
    public Work? Map(string workKey, StoredRecord record) => null;

    public Politeness? Politeness(Resolve.BibToolSettings settings) => Ncbi.Terms(settings);

    public ISourceFetcher CreateFetcher(SourceContext context)
    {
        var client = context.Client(Ncbi.Url.ValueIn(context.Settings) ?? Ncbi.PmcUrl);
        return new PmcSource(client, context.Tool, Ncbi.Gate(context), context.Settings.Mailto, context.Settings.Timeout, context.Retry()) { OwnedClient = client };
    }
}

/// <summary>
/// Converts PMCIDs in batches of up to 200. An unknown id is no HTTP error: its record says
/// "status": "error"; it is stored as absent. Each PMCID's record holds its own JSON record.
/// </summary>
public sealed class PmcSource(HttpClient client, string tool, IAdmission gate, string? email, TimeSpan? attemptTimeout = null, RetryPolicy? retry = null) : PoliteFetcher(new HttpPolicy
{
    Service = "the PMC ID converter", Admission = gate, AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30), Retry = retry ?? new RetryPolicy(),
    Unreadable = body => Parse(body) is null, CutShort = BibTool.Text.Truncation.Json,
}, client)
{
    private IPmcIdConverterApi Api => field ??= HttpSetup.For<IPmcIdConverterApi>(Http.Client);

    /// <summary>Ids per request: NCBI answers up to 200 in one GET.</summary>
    public int BatchSize { get; init; } = Ncbi.BatchSize;

    public override Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel) =>
        BatchesAsync(requests, BatchSize, async batch =>
        {
            var ids = string.Join(',', batch.Select(i => i.Value));
            var (answer, error, used) = await Http.SendAsync(token => Api.Convert(ids, Ncbi.Tool, email, token), cancel).ConfigureAwait(false);
            if (answer is not null && answer.Status != HttpStatusCode.OK) error = $"HTTP {answer.Code} from the PMC ID converter: {Records.Snippet(answer.Body)}";
            var records = answer is null || error is not null ? null : Parse(answer.Body)?["records"] as JsonArray;
            if (records is null)
            {
                foreach (var id in batch) onResult(FetchResult.Fail(id, error ?? "the PMC ID converter answered without records", used));
                return;
            }
            var byPmcid = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
            foreach (var record in records.OfType<JsonObject>())
                if (String(record, "pmcid") is { } pmcid) byPmcid.TryAdd(pmcid, record);
            foreach (var id in batch)
            {
                var found = byPmcid.GetValueOrDefault(id.Value);
                var extra = new Dictionary<string, string> { ["excerpt"] = "record" };
                var doi = found is null ? null : String(found, "doi");
                var pmid = found is null ? null : String(found, "pmid");
                if (doi is not null && IdentifierParser.ParseKey("doi:" + doi) is { IsResolvable: true } target) extra["alias-of"] = target.WorkKey;
                else if (pmid is not null && IdentifierParser.ParseKey("pmid:" + pmid) is { IsResolvable: true } pubmed) extra["alias-of"] = pubmed.WorkKey;
                if (pmid is not null) extra["pmid"] = pmid;
                extra["pmcid"] = id.Value;
                if (found is null || String(found, "status") == "error" || !extra.ContainsKey("alias-of"))
                    extra["absent"] = found is null ? "the answer had no record for this PMCID" : String(found, "errmsg") ?? "no DOI or PMID for this PMCID";
                var body = found is null ? [] : System.Text.Encoding.UTF8.GetBytes(found.ToJsonString());
                var stored = Records.From("pmc", id, answer! with { Body = body }, tool, extra);
                onResult(new FetchResult(id, [(id, stored)], extra.ContainsKey("absent") ? $"not found at the PMC ID converter ({extra["absent"]})" : null, used));
            }
        });

    private static JsonNode? Parse(byte[] body)
    {
        try { return JsonNode.Parse(body) as JsonObject; }
        catch (JsonException) { return null; }
    }

    private static string? String(JsonObject record, string name) =>
        record[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
