namespace BibTool.Identifiers;

/// <summary>
/// Derives one identifier from a paper link or a bare identifier, by asking the registered schemes
/// (<see cref="Sources.SourceRegistry.Schemes"/>, in the order their sources are asked: DOI, arXiv,
/// PMCID, PMID, OpenReview, landing page) in three rounds: bare text ("doi:…", "PMC123"), the
/// rules of each site, then an identifier written anywhere in the link. Everything here is
/// offline: publisher URL shapes are mapped to DOIs only where the mapping is a fixed rule.
/// </summary>
public static class IdentifierParser
{
    private static IReadOnlyList<IdentifierType> Registered => Sources.SourceRegistry.Default.Schemes;

    /// <summary>Parses a link (URL or bare identifier text such as <c>doi:10.1/x</c> or <c>arXiv:2401.02458</c>).</summary>
    public static Identifier Parse(string? link) => Parse(link, Registered);

    /// <summary>Parses a link with the given schemes, in their order (a registry's <see cref="Sources.SourceRegistry.Schemes"/>).</summary>
    public static Identifier Parse(string? link, IReadOnlyList<IdentifierType> schemes)
    {
        if (string.IsNullOrWhiteSpace(link)) return Identifier.None;
        var text = link.Trim();
        foreach (var scheme in schemes)
            if (scheme.FromText(text) is { } bare) return bare;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            foreach (var scheme in schemes)
                if (scheme.FromAnyText(text) is { } written) return written;
            return Identifier.None;
        }
        var web = new WebLink(uri);
        foreach (var scheme in schemes)
            if (scheme.FromLink(web) is { } bySite) return bySite;
        foreach (var scheme in schemes)
            if (scheme.FromAnyLink(web) is { } anywhere) return anywhere;
        return Identifier.None;
    }

    /// <summary>
    /// Parses a work key as the store writes it (doi:…, arxiv:…, pmid:…, pmcid:…, openreview:…,
    /// url:…), or <see cref="Identifier.None"/>.
    /// </summary>
    public static Identifier ParseKey(string key) => ParseKey(key, Registered);

    /// <summary>Parses a work key with the given schemes.</summary>
    public static Identifier ParseKey(string key, IReadOnlyList<IdentifierType> schemes)
    {
        var colon = key.IndexOf(':');
        if (colon <= 0) return Identifier.None;
        var name = key[..colon];
        foreach (var scheme in schemes)
            if (scheme.Name == name) return scheme.FromKey(key[(colon + 1)..]) ?? Identifier.None;
        return Identifier.None;
    }

    /// <summary>The registered scheme of that name, or null.</summary>
    public static IdentifierType? Scheme(string name) => Registered.FirstOrDefault(s => s.Name == name);

    /// <summary>Normalises a DOI for comparison: lower case, no resolver prefix, no trailing punctuation.</summary>
    public static string NormalizeDoi(string doi) => Schemes.DoiScheme.Normalize(doi);

    /// <summary>Splits an arXiv id into its version-less form and version, or null when it is not one.</summary>
    public static (string Id, string? Version)? SplitArxivId(string text) => Schemes.ArxivScheme.Split(text);

    /// <summary>A DOI a store path or URL can hold (see <see cref="Schemes.DoiScheme.IsValid"/>).</summary>
    public static bool IsValidDoi(string doi) => Schemes.DoiScheme.IsValid(doi);
}
