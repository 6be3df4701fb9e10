using BibTool.Identifiers;
using BibTool.Sources.Arxiv;
using BibTool.Sources.Crossref;
using BibTool.Sources.DataCite;
using BibTool.Sources.Landing;
using BibTool.Sources.Ncbi;
using BibTool.Sources.OpenReview;

namespace BibTool.Sources;

/// <summary>
/// The metadata sources in the order they are asked: an identifier's chain is every handler that
/// answers it, in registration order (a DOI: Crossref, then DataCite; a URL: its landing page,
/// then a title search). Adding a source is one folder under Sources/ and one line here.
/// </summary>
public sealed class SourceRegistry
{
    public static SourceRegistry Default { get; } = new(
    [
        new CrossrefHandler(),
        new DataCiteHandler(),
        new OpenAlex.OpenAlexHandler(),
        new ArxivHandler(),
        new PmcHandler(),
        new PubMedHandler(),
        new OpenReviewHandler(),
        new LandingPageHandler(),
        new SearchHandler(),
        new ArxivSearchHandler(),
        new OpenAlex.OpenAlexSearchHandler(),
        new PublishedSearchHandler(),
    ]);

    /// <summary>One request per distinct identifier of a survey's rows, in survey order, with the title and year a search goes by.</summary>
    public static List<SourceRequest> RequestsFor(IEnumerable<BibTool.Survey.SurveyEntry> rows) => Survey.SurveySource.Requests(rows);

    /// <summary>The record of last resort: what the survey alone says of a work no source gave (marked unresolved).</summary>
    public static BibTool.Model.Work FromSurvey(Identifier id, IReadOnlyList<BibTool.Survey.SurveyEntry> rows) => Survey.SurveySource.Build(id, rows);

    /// <summary>The handler that looks for a preprint's journal version (check, refresh and export ask it by this name).</summary>
    public const string PublishedVersionSearch = "published";

    private readonly Dictionary<string, ISourceHandler> _byName;

    public SourceRegistry(IReadOnlyList<ISourceHandler> handlers)
    {
        Handlers = handlers;
        _byName = handlers.ToDictionary(h => h.Name, StringComparer.Ordinal);
        Schemes = handlers.SelectMany(h => h.Schemes).Distinct().ToList();
    }

    /// <summary>Every identifier scheme the sources declare, each once, in the order its first source is asked: what links are parsed into.</summary>
    public IReadOnlyList<IdentifierType> Schemes { get; }

    public IReadOnlyList<ISourceHandler> Handlers { get; }

    public IEnumerable<ISourceHandler> ChainFor(Identifier identifier) => Handlers.Where(h => h.Answers(identifier));

    public ISourceHandler? Named(string name) => _byName.GetValueOrDefault(name);
}
