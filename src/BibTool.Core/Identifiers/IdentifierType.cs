using BibTool.Model;

namespace BibTool.Identifiers;

/// <summary>
/// One identifier scheme (DOI, arXiv, PMID …), in the shape of Manubot's citekey handlers: its
/// name (the prefix of work keys, "doi:…"), how it is recognised in text and in links, its
/// canonical link, where its records lie in the store, and what a record made from the survey
/// alone says of it. Sources declare the schemes they answer (<see cref="Sources.ISourceHandler.Schemes"/>)
/// and the registry collects them in order; a new scheme is one class in its source's folder.
/// The built-in ones are named here for the code that must speak of DOIs or arXiv ids as such.
/// </summary>
public abstract class IdentifierType
{
    // Properties, not fields: a scheme's own statics never wait on this class's.
    public static IdentifierType None => Schemes.NoScheme.Instance;
    public static IdentifierType Doi => Schemes.DoiScheme.Instance;
    public static IdentifierType Arxiv => Schemes.ArxivScheme.Instance;
    public static IdentifierType Pmid => Sources.Ncbi.PmidScheme.Instance;
    public static IdentifierType Pmcid => Sources.Ncbi.PmcidScheme.Instance;
    public static IdentifierType OpenReview => Sources.OpenReview.OpenReviewScheme.Instance;
    public static IdentifierType Url => Schemes.UrlScheme.Instance;

    /// <summary>The scheme's name as work keys, store folders, inventories and filters spell it ("doi", "pmcid").</summary>
    public abstract string Name { get; }

    /// <summary>
    /// True when a source's record of it gives no venue (a landing page, an OpenReview forum): the
    /// title searches are asked for it too, to find the work's published DOI.
    /// </summary>
    public virtual bool FoundBySearch => false;

    /// <summary>The identifier a bare text names in this scheme ("doi:10.1/x", "PMC123", "2401.02458"), or null.</summary>
    public virtual Identifier? FromText(string text) => null;

    /// <summary>Text that is no link at all, when no scheme's <see cref="FromText"/> took it: an identifier written somewhere in it, or null.</summary>
    public virtual Identifier? FromAnyText(string text) => null;

    /// <summary>The identifier a link names by a rule of its site (a doi.org path, a PubMed page), or null.</summary>
    public virtual Identifier? FromLink(WebLink link) => null;

    /// <summary>Last, when no site's rule took the link: an identifier written anywhere in it (a DOI in a publisher's path), or null.</summary>
    public virtual Identifier? FromAnyLink(WebLink link) => null;

    /// <summary>The identifier of a work key's value ("10.1/x" of "doi:10.1/x"), or null when it is not one.</summary>
    public abstract Identifier? FromKey(string value);

    /// <summary>The link a reader follows for the identifier (https://doi.org/…), or null when there is none but the identifier itself.</summary>
    public virtual string? LinkFor(Identifier id) => null;

    /// <summary>The store's shard folder and file name for the identifier's records: shards keep folders small.</summary>
    public virtual (string Shard, string Name) StoreParts(Identifier id) => (id.Value[..Math.Min(id.Value.Length, 4)], id.Value);

    /// <summary>What a record of last resort (the survey's row alone) says of a work known only by this identifier.</summary>
    public virtual void Describe(Work work, Identifier id) { }

    public override string ToString() => Name;
}

/// <summary>A web link taken apart once for every scheme's rules: host without "www.", path unescaped, its segments.</summary>
public sealed class WebLink(Uri uri)
{
    public Uri Uri { get; } = uri;
    public string Host { get; } = uri.Host.ToLowerInvariant() is var host && host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : uri.Host.ToLowerInvariant();
    public string Path { get; } = Uri.UnescapeDataString(uri.AbsolutePath);
    private string[]? _segments;
    public string[] Segments => _segments ??= Path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The page itself, as the landing-page identifier (the fragment only scrolls within it, so it is dropped).</summary>
    public Identifier Landing() => Schemes.UrlScheme.Landing(Uri);

    /// <summary>The query's parameters in order: the name (null without '='), the value unescaped (the whole parameter without '=').</summary>
    public IEnumerable<(string? Name, string Value)> QueryParameters()
    {
        foreach (var pair in Uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            yield return (eq < 0 ? null : pair[..eq], Uri.UnescapeDataString(pair[(eq + 1)..]));
        }
    }

    /// <summary>The value of a query parameter, or null.</summary>
    public string? Query(string name)
    {
        foreach (var (parameter, value) in QueryParameters())
            if (parameter == name) return value;
        return null;
    }
}
