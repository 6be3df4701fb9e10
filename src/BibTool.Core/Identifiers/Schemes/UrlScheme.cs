namespace BibTool.Identifiers.Schemes;

/// <summary>
/// A landing page: any http(s) link no other scheme took names the work by the page itself. It is
/// the last of the schemes; its value is the link without its fragment.
/// </summary>
public sealed class UrlScheme : IdentifierType
{
    public static UrlScheme Instance { get; } = new();

    public override string Name => "url";

    /// <summary>A page's metadata is its title and authors alone: searches by title find the work's DOI.</summary>
    public override bool FoundBySearch => true;

    public override Identifier? FromAnyLink(WebLink link) => link.Landing();

    public override Identifier? FromKey(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? Landing(uri) : Identifier.None;

    public override (string Shard, string Name) StoreParts(Identifier id)
    {
        // Pages shard by host; the name is the rest of the URL (long ones end in a hash, see the store's FileSafe).
        if (!Uri.TryCreate(id.Value, UriKind.Absolute, out var uri)) return ("unknown", id.Value);
        var rest = uri.PathAndQuery.TrimStart('/');
        return (uri.Host, rest.Length == 0 ? "index" : rest);
    }

    public override void Describe(Model.Work work, Identifier id) => work.Type = "webpage";

    public static Identifier Landing(Uri uri)
    {
        // The fragment only scrolls within the page; it never names a different work.
        var url = uri.GetLeftPart(UriPartial.Query);
        return new Identifier(Instance, url, url);
    }
}
