using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Store;

namespace BibTool.Sources.Crossref;

/// <summary>Crossref answers DOIs, except those of registrants known to register with DataCite.</summary>
public sealed class CrossrefHandler : ISourceHandler
{
    public string Name => "crossref";
    public string Service => "Crossref";

    public static readonly SourceSetting Url = new("crossref-url", "URL", "Crossref REST API base", "https://api.crossref.org");

    public IReadOnlyList<SourceSetting> Settings => [Url];

    /// <summary>Crossref's public pool: 5 requests a second, 1 in flight; its polite pool (a mailto): 10 (conservative until its headers say more).</summary>
    public static Politeness Terms(string? mailto) => Sources.Politeness.Rate(mailto is null ? 5 : 10, TimeSpan.FromSeconds(1));

    public Politeness? Politeness(Resolve.BibToolSettings settings) => Terms(settings.Mailto);

    public IReadOnlyList<IdentifierType> Schemes { get; } = [IdentifierType.Doi];

    /// <summary>DOIs but those of the prefixes only DataCite registers (DataCite answers them).</summary>
    public bool Answers(Identifier identifier) => identifier.Type == IdentifierType.Doi && !DataCite.DataCiteHandler.IsDataCitePrefix(identifier.Value);

    public Work? Map(string workKey, StoredRecord record) => CrossrefMapper.Map(workKey, record.Body);

    public ISourceFetcher CreateFetcher(SourceContext context)
    {
        var client = context.Client(Url.ValueIn(context.Settings)!);
        var source = new CrossrefSource(client, context.Settings.Mailto, context.Tool, context.Retry(), context.Settings.Timeout, Terms(context.Settings.Mailto).Limits(context.Pace)) { OwnedClient = client };
        // The title search asks Crossref too: one budget for both.
        context.SharedGate<IAdmission>("crossref", () => source.Gate);
        return source;
    }
}
