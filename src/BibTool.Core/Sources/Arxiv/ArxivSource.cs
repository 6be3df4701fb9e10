using System.Net;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Store;

namespace BibTool.Sources.Arxiv;

/// <summary>
/// Fetches arXiv ids in batches (many ids per request, max_results always sent), one request at a
/// time, each starting at least <see cref="MinInterval"/> after the previous one ended (arXiv's terms: one request every three
/// seconds, a single connection). Each id's record holds its own &lt;entry&gt; exactly as received.
/// </summary>
public sealed class ArxivSource : ISourceFetcher
{
    /// <summary>The client this source disposes of with itself (when it created it).</summary>
    public HttpClient? OwnedClient { get; init; }

    public void Dispose() => OwnedClient?.Dispose();

    Task ISourceFetcher.FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel) =>
        FetchAsync(requests.Select(r => r.Identifier).ToList(), onResult, cancel);

    public const int DefaultBatchSize = 100;
    private readonly IArxivApi _api;
    private readonly PoliteClient _http;
    private readonly PacingGate _pacing = ArxivHandler.Terms.Pacing();

    /// <summary>arXiv's one-request-every-three-seconds budget, shared with its title search.</summary>
    public PacingGate Pacing => _pacing;
    private readonly string _tool;

    /// <summary>Requests sent so far, retries included.</summary>
    public int RequestsMade => _http.RequestsMade;

    /// <summary>The terms this fetcher keeps.</summary>
    internal HttpPolicy Policy => _http.Policy;

    /// <summary>The least time between the end of one request and the start of the next (retries included).</summary>
    public TimeSpan MinInterval { get => _pacing.Interval; init => _pacing.Interval = value; }
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>arXiv's retries start at its own pacing interval, three seconds (its search's too).</summary>
    public static RetryPolicy DefaultRetry() => new() { BaseDelay = TimeSpan.FromSeconds(3) };

    public ArxivSource(HttpClient client, string tool, RetryPolicy? retry = null, TimeSpan? attemptTimeout = null, PacingGate? pacing = null)
    {
        _tool = tool;
        if (pacing is not null) _pacing = pacing;
        _http = new PoliteClient(new HttpPolicy
        {
            Service = "arXiv", Admission = _pacing, Retry = retry ?? DefaultRetry(),
            AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(60), Unreadable = body => !TryParseFeed(body, out _, out _), CutShort = BibTool.Text.Truncation.Xml,
        }, client);
        _api = HttpSetup.For<IArxivApi>(_http.Client);
    }

    public async Task<IReadOnlyList<FetchResult>> FetchAsync(IReadOnlyList<Identifier> ids, Action<FetchResult>? onResult, CancellationToken cancel)
    {
        var results = new List<FetchResult>();
        foreach (var batch in ids.Chunk(Math.Max(1, BatchSize)))
        {
            var pending = batch.ToList();
            var emptyRetries = 0;
            while (pending.Count > 0)
            {
                var outcome = await FetchBatchAsync(pending, cancel).ConfigureAwait(false);
                var done = new List<FetchResult>();
                if (outcome.Error is not null)
                {
                    done.AddRange(pending.Select(id => FetchResult.Fail(id, outcome.Error, outcome.Requests)));
                }
                else if (outcome.BadId is { } bad)
                {
                    // arXiv rejects the whole request for one malformed id: report it, ask again for the rest.
                    done.Add(FetchResult.Fail(bad.Id, $"arXiv rejected the id: {bad.Message}", outcome.Requests));
                }
                else if (outcome.Entries.Count == 0 && emptyRetries++ == 0 && pending.Count > 0)
                {
                    // arXiv sometimes answers a spurious empty page; one more try before calling the ids absent.
                    continue;
                }
                else
                {
                    foreach (var id in pending)
                    {
                        if (outcome.Entries.TryGetValue(id.Value, out var entry))
                            done.Add(new FetchResult(id, [(id, Record(id, outcome.Url, outcome.ContentType, entry, excerpt: "entry"))], null, outcome.Requests));
                        else
                            done.Add(new FetchResult(id, [(id, Record(id, outcome.Url, outcome.ContentType, [], excerpt: "none", absent: true))],
                                "not found at arXiv (no entry in the answer)", outcome.Requests));
                    }
                }
                foreach (var result in done)
                {
                    results.Add(result);
                    onResult?.Invoke(result);
                }
                var finished = done.Select(d => d.Identifier).ToHashSet();
                pending.RemoveAll(finished.Contains);
            }
        }
        return results;
    }

    private sealed record BatchOutcome(Dictionary<string, byte[]> Entries, string Url, string ContentType, string? Error, (Identifier Id, string Message)? BadId, int Requests);

    private async Task<BatchOutcome> FetchBatchAsync(List<Identifier> ids, CancellationToken cancel)
    {
        var idList = string.Join(',', ids.Select(i => i.Value + i.Version));
        var (answer, error, attempts) = await _http.SendAsync(token => _api.Query(idList, ids.Count, token), cancel).ConfigureAwait(false);
        if (answer is null) return new(new(), "", "", error, null, attempts);
        var url = answer.Url;
        if (!TryParseFeed(answer.Body, out var feed, out var entries))
            return new(new(), url, answer.ContentType, answer.Status == HttpStatusCode.OK ? $"incomplete feed from arXiv ({answer.Body.Length} bytes)" : $"HTTP {answer.Code} from arXiv", null, attempts);
        if (feed!.Elements(ArxivMapper.Atom + "entry").FirstOrDefault(ArxivMapper.IsError) is { } problem)
        {
            // arXiv rejects a whole request for one malformed id (HTTP 400 with an error feed).
            var message = ((string?)problem.Element(ArxivMapper.Atom + "summary"))?.Trim() ?? "error";
            var errorId = (string?)problem.Element(ArxivMapper.Atom + "id") ?? "";
            var bad = ids.FirstOrDefault(i => errorId.EndsWith("_for_" + i.Value, StringComparison.Ordinal) || message.EndsWith(" " + i.Value, StringComparison.Ordinal));
            return bad is not null
                ? new(new(), url, answer.ContentType, null, (bad, message), attempts)
                : new(new(), url, answer.ContentType, $"arXiv error: {message}", null, attempts);
        }
        if (answer.Status != HttpStatusCode.OK) return new(new(), url, answer.ContentType, $"HTTP {answer.Code} from arXiv", null, attempts);
        var byId = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (element, raw) in entries!)
            if (ArxivMapper.IdOf(element) is { } parsed) byId.TryAdd(parsed.Id, raw);
        return new(byId, url, answer.ContentType, null, null, attempts);
    }

    /// <summary>
    /// Parses the feed and cuts each &lt;entry&gt; out of the body byte for byte, where the XML
    /// parser says the element starts and ends (never by searching the text, where an &lt;entry&gt;
    /// inside a comment or CDATA would be taken for one).
    /// </summary>
    internal static bool TryParseFeed(byte[] body, out XElement? feed, out List<(XElement Entry, byte[] Raw)>? entries)
    {
        feed = null;
        entries = null;
        string text;
        var spans = new List<(int Start, int End)>();
        try
        {
            text = new UTF8Encoding(false, true).GetString(body);
            feed = XDocument.Parse(text).Root;
            var lineStarts = new List<int> { 0 };
            for (var i = 0; i < text.Length; i++)
                if (text[i] == '\n') lineStarts.Add(i + 1);
            int Offset(IXmlLineInfo info) => lineStarts[info.LineNumber - 1] + info.LinePosition - 1;
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var info = (IXmlLineInfo)reader;
            var start = -1;
            while (reader.Read())
            {
                if (reader.Depth != 1 || reader.LocalName != "entry" || reader.NamespaceURI != ArxivMapper.Atom.NamespaceName) continue;
                if (reader.NodeType == XmlNodeType.Element)
                {
                    // The position is the name's, just after '<'.
                    start = Offset(info) - 1;
                    if (reader.IsEmptyElement) spans.Add((start, text.IndexOf('>', start) + 1));
                }
                else if (reader.NodeType == XmlNodeType.EndElement && start >= 0)
                {
                    spans.Add((start, text.IndexOf('>', Offset(info)) + 1));
                    start = -1;
                }
            }
        }
        catch (Exception e) when (e is XmlException or DecoderFallbackException) { return false; }
        if (feed is null || feed.Name != ArxivMapper.Atom + "feed") return false;
        var elements = feed.Elements(ArxivMapper.Atom + "entry").ToList();
        if (elements.Count != spans.Count) return false;
        entries = elements.Zip(spans, (element, span) => (element, Encoding.UTF8.GetBytes(text[span.Start..span.End]))).ToList();
        return true;
    }

    /// <summary>Wraps a stored entry in a feed that declares the namespaces its original feed declared.</summary>
    public static XElement ParseStoredEntry(byte[] excerpt)
    {
        var xml = $"<feed xmlns=\"{ArxivMapper.Atom}\" xmlns:arxiv=\"{ArxivMapper.ArxivNs}\" xmlns:opensearch=\"{ArxivMapper.OpenSearch}\">{Encoding.UTF8.GetString(excerpt)}</feed>";
        return XDocument.Parse(xml).Root!.Element(ArxivMapper.Atom + "entry") ?? throw new XmlException("no entry in the stored excerpt");
    }

    private StoredRecord Record(Identifier id, string url, string contentType, byte[] body, string excerpt, bool absent = false)
    {
        var extra = new Dictionary<string, string> { ["excerpt"] = excerpt, ["source"] = "arxiv" };
        if (absent) extra["absent"] = "the answer had no entry for this id";
        return new StoredRecord
        {
            Key = id.WorkKey, Url = url, Status = 200, ContentType = contentType,
            Fetched = DateTimeOffset.UtcNow, Tool = _tool, Body = body, Extra = extra,
        };
    }
}
