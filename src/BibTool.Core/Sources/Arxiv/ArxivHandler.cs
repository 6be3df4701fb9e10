using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Store;

namespace BibTool.Sources.Arxiv;

/// <summary>arXiv answers arXiv ids (and arXiv's own 10.48550 DOIs, which parse as arXiv ids).</summary>
public sealed class ArxivHandler : ISourceHandler
{
    public string Name => "arxiv";
    public string Service => "arXiv";

    public static readonly SourceSetting Url = new("arxiv-url", "URL", "arXiv API base", "https://export.arxiv.org");

    public IReadOnlyList<SourceSetting> Settings => [Url];

    public IReadOnlyList<IdentifierType> Schemes { get; } = [IdentifierType.Arxiv];

    public Work? Map(string workKey, StoredRecord record) => ArxivMapper.Map(workKey, ArxivSource.ParseStoredEntry(record.Body));

    /// <summary>arXiv's API terms: one request at a time, three seconds after each; ids asked in batches.</summary>
    public static readonly Politeness Terms = Sources.Politeness.Paced(TimeSpan.FromSeconds(3), batch: ArxivSource.DefaultBatchSize);

    public Politeness? Politeness(Resolve.BibToolSettings settings) => Terms;

    public ISourceFetcher CreateFetcher(SourceContext context)
    {
        var client = context.Client(Url.ValueIn(context.Settings)!);
        var pacing = context.SharedGate("arxiv", () => Terms.Pacing(context.Pace));
        return new ArxivSource(client, context.Tool, attemptTimeout: context.Settings.Timeout * 2, pacing: pacing, retry: context.Retry(ArxivSource.DefaultRetry())) { OwnedClient = client };
    }
}
