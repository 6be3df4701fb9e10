using System.Text.RegularExpressions;
using BibTool.Model;

namespace BibTool.Identifiers.Schemes;

/// <summary>
/// DOIs: "doi:10.…", bare "10.…/…", doi.org links, and the publisher links whose shape names the
/// DOI by a fixed rule (nature.com articles, RSC articles, bioRxiv and medRxiv pages); last of all, a
/// DOI written anywhere in a link's path or query. arXiv's own DOIs (10.48550/arXiv.…) are the
/// arXiv ids they name. Values compare lower-cased; the display keeps the survey's spelling.
/// </summary>
public sealed partial class DoiScheme : IdentifierType
{
    public static DoiScheme Instance { get; } = new();

    public override string Name => "doi";

    // A DOI is "10.<registrant>/<suffix>"; the suffix may contain almost anything, so where it
    // ends is decided by context (whitespace, quotes, URL query/fragment) and then trimmed.
    [GeneratedRegex(@"10\.\d{4,9}(?:\.\d+)*/[^\s""']+", RegexOptions.CultureInvariant)]
    private static partial Regex InText();

    [GeneratedRegex(@"^10\.48550/arxiv\.(?<id>.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ArxivDoi();

    [GeneratedRegex(@"^10\.\d{4,9}(?:\.\d+)*/\S+$", RegexOptions.CultureInvariant)]
    private static partial Regex Whole();

    public override Identifier? FromText(string text)
    {
        if (text.StartsWith("doi:", StringComparison.OrdinalIgnoreCase)) return DoiOrArxiv(text[4..].Trim());
        if (text.StartsWith("10.", StringComparison.Ordinal) && text.Contains('/') && !text.Contains(' ')) return DoiOrArxiv(text);
        return null;
    }

    /// <summary>Text that is no link but has a DOI in it.</summary>
    public override Identifier? FromAnyText(string text) => InText().Match(text) is { Success: true } m ? DoiOrArxiv(m.Value) : null;

    public override Identifier? FromLink(WebLink link)
    {
        var segments = link.Segments;
        return link.Host switch
        {
            "doi.org" or "dx.doi.org" when link.Path.Length > 1 => DoiOrArxiv(link.Path[1..]),
            "nature.com" when segments.Length >= 2 && segments[0] == "articles" => Of("10.1038/" + StripFileSuffix(segments[1])),
            "pubs.rsc.org" when RscArticle(segments) is { } rsc => Of("10.1039/" + rsc),
            "biorxiv.org" or "medrxiv.org" when Embedded(link.Path) is { } preprint => Of(StripPreprintSuffix(preprint)),
            _ => null,
        };
    }

    public override Identifier? FromAnyLink(WebLink link) =>
        Embedded(link.Path) is { } doi ? DoiOrArxiv(StripPublisherSuffix(doi))
        // Some publishers name the article by DOI in the query (?id=10.1371/..., ?doi=...).
        : QueryDoi(link) is { } queryDoi ? DoiOrArxiv(queryDoi) : null;

    public override Identifier? FromKey(string value) => DoiOrArxiv(value);

    public override string? LinkFor(Identifier id) => "https://doi.org/" + id.Value;

    public override (string Shard, string Name) StoreParts(Identifier id)
    {
        var slash = id.Value.IndexOf('/');
        return slash > 0 ? (id.Value[..slash], id.Value[(slash + 1)..]) : ("unknown", id.Value);
    }

    public override void Describe(Work work, Identifier id)
    {
        work.Doi = id.Display;
        work.Url = "https://doi.org/" + id.Display;
    }

    /// <summary>Normalises a DOI for comparison: lower case, no resolver prefix, no trailing punctuation.</summary>
    public static string Normalize(string doi) => Trim(doi).ToLowerInvariant();

    /// <summary>
    /// "10.&lt;registrant&gt;/&lt;suffix&gt;" with a non-empty suffix that has no "." or ".." segment
    /// (those would walk up a URL or a store path) and no control characters.
    /// </summary>
    public static bool IsValid(string doi)
    {
        if (!Whole().IsMatch(doi) || doi.Any(char.IsControl)) return false;
        var suffix = doi[(doi.IndexOf('/') + 1)..];
        return suffix.Split('/').All(segment => segment is not ("" or "." or ".."));
    }

    private static Identifier DoiOrArxiv(string doi)
    {
        doi = Trim(doi);
        // arXiv's own DOIs are DataCite's, not Crossref's: resolve them as the arXiv id they name.
        var arxiv = ArxivDoi().Match(doi);
        if (arxiv.Success && ArxivScheme.Split(arxiv.Groups["id"].Value) is { } parts)
            return ArxivScheme.Of(parts.Id, parts.Version, doi);
        return Of(doi);
    }

    private static Identifier Of(string doi)
    {
        doi = Trim(doi);
        return IsValid(doi) ? new Identifier(Instance, doi.ToLowerInvariant(), doi) : Identifier.None;
    }

    private static string? Embedded(string path) => InText().Match(path) is { Success: true } m ? m.Value : null;

    private static string? RscArticle(string[] segments)
    {
        // pubs.rsc.org/en/content/articlehtml|articlelanding|articlepdf/<year>/<journal>/<id>
        var i = Array.FindIndex(segments, s => s is "articlehtml" or "articlelanding" or "articlepdf");
        return i >= 0 && segments.Length >= i + 4 ? segments[i + 3].ToLowerInvariant() : null;
    }

    private static string StripFileSuffix(string id) =>
        id.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) ? id[..^4] : id;

    [GeneratedRegex(@"(?:v\d+)?(?:\.(?:abstract|full|full-text|supplementary-material|article-info|article-metrics)(?:\.pdf)?|\.pdf)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PreprintSuffix();

    private static string StripPreprintSuffix(string doi)
    {
        var trimmed = Trim(doi);
        var slash = trimmed.IndexOf('/');
        var suffix = PreprintSuffix().Replace(trimmed[(slash + 1)..], "", 1);
        return trimmed[..(slash + 1)] + suffix;
    }

    private static readonly string[] PublisherViewSuffixes =
        ["/full", "/abstract", "/pdf", "/epdf", "/fulltext", "/html", "/summary", "/references", "/meta"];

    private static string StripPublisherSuffix(string doi)
    {
        doi = Trim(doi);
        foreach (var suffix in PublisherViewSuffixes)
            if (doi.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return doi[..^suffix.Length];
        return doi;
    }

    /// <summary>Removes trailing punctuation that prose or Markdown put after a DOI, keeping balanced brackets.</summary>
    private static string Trim(string doi)
    {
        doi = doi.Trim();
        while (doi.Length > 0)
        {
            var last = doi[^1];
            if (last is '.' or ',' or ';' or ':' or '"' or '\'' or '!' or '?')
                doi = doi[..^1];
            else if (last is ')' or ']' or '>' or '}' && Unbalanced(doi, last))
                doi = doi[..^1];
            else break;
        }
        return doi;
    }

    private static bool Unbalanced(string text, char close)
    {
        var open = close switch { ')' => '(', ']' => '[', '>' => '<', _ => '{' };
        return text.Count(c => c == close) > text.Count(c => c == open);
    }

    private static string? QueryDoi(WebLink link)
    {
        foreach (var (_, value) in link.QueryParameters())
            if (value.StartsWith("10.", StringComparison.Ordinal) && Embedded(value) is { } doi && doi.Length == value.Length) return doi;
        return null;
    }
}
