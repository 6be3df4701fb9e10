using System.Text.RegularExpressions;

namespace BibTool.Identifiers;

/// <summary>
/// Derives one identifier from a paper link, preferring DOI, then arXiv, PMID, PMCID,
/// OpenReview, and finally the landing page itself. Everything here is offline: publisher
/// URL shapes are mapped to DOIs only where the mapping is a fixed rule.
/// </summary>
public static partial class IdentifierParser
{
    // A DOI is "10.<registrant>/<suffix>"; the suffix may contain almost anything, so where it
    // ends is decided by context (whitespace, quotes, URL query/fragment) and then trimmed.
    [GeneratedRegex(@"10\.\d{4,9}(?:\.\d+)*/[^\s""']+", RegexOptions.CultureInvariant)]
    private static partial Regex DoiInText();

    [GeneratedRegex(@"^(?:arxiv:)?(?<id>\d{4}\.\d{4,5})(?:v(?<v>\d+))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NewArxivId();

    [GeneratedRegex(@"^(?:arxiv:)?(?<id>[a-z][a-z\-]*(?:\.[A-Za-z]{2})?/\d{7})(?:v(?<v>\d+))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OldArxivId();

    [GeneratedRegex(@"^10\.48550/arxiv\.(?<id>.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ArxivDoi();

    [GeneratedRegex(@"^PMC\d+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PmcId();

    /// <summary>Parses a link (URL or bare identifier text such as <c>doi:10.1/x</c> or <c>arXiv:2401.02458</c>).</summary>
    public static Identifier Parse(string? link)
    {
        if (string.IsNullOrWhiteSpace(link)) return Identifier.None;
        var text = link.Trim();

        if (TryBareIdentifier(text, out var bare)) return bare;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            var embedded = DoiInText().Match(text);
            return embedded.Success ? DoiOrArxiv(embedded.Value) : Identifier.None;
        }

        var host = uri.Host.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal)) host = host[4..];
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);

        return host switch
        {
            "doi.org" or "dx.doi.org" when path.Length > 1 => DoiOrArxiv(path[1..]),
            "arxiv.org" or "export.arxiv.org" => FromArxivPath(segments) ?? Landing(uri),
            "nature.com" when segments.Length >= 2 && segments[0] == "articles" =>
                Doi("10.1038/" + StripFileSuffix(segments[1])),
            "pubs.rsc.org" when RscArticle(segments) is { } rsc => Doi("10.1039/" + rsc),
            "biorxiv.org" or "medrxiv.org" when EmbeddedDoi(path) is { } preprint => Doi(StripPreprintSuffix(preprint)),
            "pubmed.ncbi.nlm.nih.gov" when segments.Length >= 1 && segments[0].All(char.IsAsciiDigit) =>
                new Identifier(IdentifierType.Pmid, segments[0], segments[0]),
            "ncbi.nlm.nih.gov" when segments.Length >= 2 && segments[0] == "pubmed" && segments[1].All(char.IsAsciiDigit) =>
                new Identifier(IdentifierType.Pmid, segments[1], segments[1]),
            "ncbi.nlm.nih.gov" or "pmc.ncbi.nlm.nih.gov" or "europepmc.org" when segments.FirstOrDefault(s => PmcId().IsMatch(s)) is { } pmc =>
                new Identifier(IdentifierType.Pmcid, pmc.ToUpperInvariant(), pmc),
            "openreview.net" when QueryValue(uri, "id") is { Length: > 0 } forum =>
                new Identifier(IdentifierType.OpenReview, forum, forum),
            _ => EmbeddedDoi(path) is { } doi ? DoiOrArxiv(StripPublisherSuffix(doi))
                // Some publishers name the article by DOI in the query (?id=10.1371/..., ?doi=...).
                : QueryDoi(uri) is { } queryDoi ? DoiOrArxiv(queryDoi) : Landing(uri),
        };
    }

    /// <summary>Normalises a DOI for comparison: lower case, no resolver prefix, no trailing punctuation.</summary>
    public static string NormalizeDoi(string doi) => TrimDoi(doi).ToLowerInvariant();

    /// <summary>Splits an arXiv id into its version-less form and version, or null when it is not one.</summary>
    public static (string Id, string? Version)? SplitArxivId(string text)
    {
        var m = NewArxivId().Match(text.Trim());
        if (!m.Success) m = OldArxivId().Match(text.Trim());
        if (!m.Success) return null;
        var id = m.Groups["id"].Value;
        // Old-style archive names are lower case; the subject class suffix is upper case (math.GT/0309136).
        if (id.Contains('/'))
        {
            var slash = id.IndexOf('/');
            var archive = id[..slash];
            var dot = archive.IndexOf('.');
            archive = dot < 0 ? archive.ToLowerInvariant() : archive[..dot].ToLowerInvariant() + "." + archive[(dot + 1)..].ToUpperInvariant();
            id = archive + id[slash..];
        }
        return (id, m.Groups["v"].Success ? "v" + m.Groups["v"].Value : null);
    }

    private static bool TryBareIdentifier(string text, out Identifier identifier)
    {
        identifier = Identifier.None;
        if (text.StartsWith("doi:", StringComparison.OrdinalIgnoreCase))
        {
            identifier = DoiOrArxiv(text[4..].Trim());
            return true;
        }
        if (text.StartsWith("10.", StringComparison.Ordinal) && text.Contains('/') && !text.Contains(' '))
        {
            identifier = DoiOrArxiv(text);
            return true;
        }
        if (text.StartsWith("arxiv:", StringComparison.OrdinalIgnoreCase) || NewArxivId().IsMatch(text))
        {
            var parts = SplitArxivId(text);
            if (parts is null) return false;
            identifier = Arxiv(parts.Value.Id, parts.Value.Version, text);
            return true;
        }
        if (text.StartsWith("pmid:", StringComparison.OrdinalIgnoreCase) && text[5..].Trim().All(char.IsAsciiDigit))
        {
            var n = text[5..].Trim();
            identifier = new Identifier(IdentifierType.Pmid, n, n);
            return true;
        }
        if (PmcId().IsMatch(text))
        {
            identifier = new Identifier(IdentifierType.Pmcid, text.ToUpperInvariant(), text);
            return true;
        }
        return false;
    }

    private static Identifier DoiOrArxiv(string doi)
    {
        doi = TrimDoi(doi);
        // arXiv's own DOIs are DataCite's, not Crossref's: resolve them as the arXiv id they name.
        var arxiv = ArxivDoi().Match(doi);
        if (arxiv.Success && SplitArxivId(arxiv.Groups["id"].Value) is { } parts)
            return Arxiv(parts.Id, parts.Version, doi);
        return Doi(doi);
    }

    private static Identifier Doi(string doi)
    {
        doi = TrimDoi(doi);
        return IsValidDoi(doi) ? new Identifier(IdentifierType.Doi, doi.ToLowerInvariant(), doi) : Identifier.None;
    }

    [GeneratedRegex(@"^10\.\d{4,9}(?:\.\d+)*/\S+$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeDoi();

    /// <summary>
    /// "10.&lt;registrant&gt;/&lt;suffix&gt;" with a non-empty suffix that has no "." or ".." segment
    /// (those would walk up a URL or a store path) and no control characters.
    /// </summary>
    public static bool IsValidDoi(string doi)
    {
        if (!WholeDoi().IsMatch(doi) || doi.Any(char.IsControl)) return false;
        var suffix = doi[(doi.IndexOf('/') + 1)..];
        return suffix.Split('/').All(segment => segment is not ("" or "." or ".."));
    }

    /// <summary>
    /// Parses a work key as the store writes it (doi:…, arxiv:…, pmid:…, pmcid:…, openreview:…,
    /// url:…), or <see cref="Identifier.None"/>.
    /// </summary>
    public static Identifier ParseKey(string key)
    {
        var colon = key.IndexOf(':');
        if (colon <= 0) return Identifier.None;
        var value = key[(colon + 1)..];
        switch (key[..colon])
        {
            case "doi": return DoiOrArxiv(value);
            case "arxiv": return SplitArxivId(value) is { } parts ? Arxiv(parts.Id, parts.Version, value) : Identifier.None;
            case "pmid": return value.Length > 0 && value.All(char.IsAsciiDigit) ? new Identifier(IdentifierType.Pmid, value, value) : Identifier.None;
            case "pmcid": return PmcId().IsMatch(value) ? new Identifier(IdentifierType.Pmcid, value.ToUpperInvariant(), value) : Identifier.None;
            case "openreview": return value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? new Identifier(IdentifierType.OpenReview, value, value) : Identifier.None;
            case "url": return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? Landing(uri) : Identifier.None;
            default: return Identifier.None;
        }
    }

    private static Identifier Arxiv(string id, string? version, string display) =>
        new(IdentifierType.Arxiv, id, display, version);

    private static Identifier Landing(Uri uri)
    {
        // The fragment only scrolls within the page; it never names a different work.
        var url = uri.GetLeftPart(UriPartial.Query);
        return new Identifier(IdentifierType.Url, url, url);
    }

    private static Identifier? FromArxivPath(string[] segments)
    {
        if (segments.Length < 2 || segments[0] is not ("abs" or "pdf" or "html" or "format")) return null;
        var rest = string.Join('/', segments[1..]);
        if (rest.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)) rest = rest[..^4];
        var parts = SplitArxivId(rest);
        return parts is null ? null : Arxiv(parts.Value.Id, parts.Value.Version, rest);
    }

    private static string? RscArticle(string[] segments)
    {
        // pubs.rsc.org/en/content/articlehtml|articlelanding|articlepdf/<year>/<journal>/<id>
        var i = Array.FindIndex(segments, s => s is "articlehtml" or "articlelanding" or "articlepdf");
        return i >= 0 && segments.Length >= i + 4 ? segments[i + 3].ToLowerInvariant() : null;
    }

    private static string? EmbeddedDoi(string path)
    {
        var m = DoiInText().Match(path);
        return m.Success ? m.Value : null;
    }

    private static string StripFileSuffix(string id) =>
        id.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) ? id[..^4] : id;

    [GeneratedRegex(@"(?:v\d+)?(?:\.(?:abstract|full|full-text|supplementary-material|article-info|article-metrics)(?:\.pdf)?|\.pdf)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PreprintSuffix();

    private static string StripPreprintSuffix(string doi)
    {
        var trimmed = TrimDoi(doi);
        var slash = trimmed.IndexOf('/');
        var suffix = PreprintSuffix().Replace(trimmed[(slash + 1)..], "", 1);
        return trimmed[..(slash + 1)] + suffix;
    }

    private static readonly string[] PublisherViewSuffixes =
        ["/full", "/abstract", "/pdf", "/epdf", "/fulltext", "/html", "/summary", "/references", "/meta"];

    private static string StripPublisherSuffix(string doi)
    {
        doi = TrimDoi(doi);
        foreach (var suffix in PublisherViewSuffixes)
            if (doi.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return doi[..^suffix.Length];
        return doi;
    }

    /// <summary>Removes trailing punctuation that prose or Markdown put after a DOI, keeping balanced brackets.</summary>
    private static string TrimDoi(string doi)
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

    private static string? QueryDoi(Uri uri)
    {
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var value = Uri.UnescapeDataString(pair[(pair.IndexOf('=') + 1)..]);
            if (value.StartsWith("10.", StringComparison.Ordinal) && EmbeddedDoi(value) is { } doi && doi.Length == value.Length) return doi;
        }
        return null;
    }

    private static string? QueryValue(Uri uri, string name)
    {
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq > 0 && pair[..eq] == name) return Uri.UnescapeDataString(pair[(eq + 1)..]);
        }
        return null;
    }
}
