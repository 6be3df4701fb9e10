using System.Text.RegularExpressions;
using BibTool.Model;

namespace BibTool.Identifiers.Schemes;

/// <summary>
/// arXiv ids, new style (2401.02458) and old (math.GT/0309136), with or without a version: as
/// "arXiv:…" text or a bare new-style id, and from arxiv.org abs, pdf, html and format links (any
/// other arxiv.org page is itself the landing page). The value has no version; the version is kept apart.
/// </summary>
public sealed partial class ArxivScheme : IdentifierType
{
    public static ArxivScheme Instance { get; } = new();

    public override string Name => "arxiv";

    [GeneratedRegex(@"^(?:arxiv:)?(?<id>\d{4}\.\d{4,5})(?:v(?<v>\d+))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NewId();

    [GeneratedRegex(@"^(?:arxiv:)?(?<id>[a-z][a-z\-]*(?:\.[A-Za-z]{2})?/\d{7})(?:v(?<v>\d+))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OldId();

    public override Identifier? FromText(string text)
    {
        if (!text.StartsWith("arxiv:", StringComparison.OrdinalIgnoreCase) && !NewId().IsMatch(text)) return null;
        return Split(text) is { } parts ? Of(parts.Id, parts.Version, text) : null;
    }

    public override Identifier? FromLink(WebLink link) =>
        link.Host is "arxiv.org" or "export.arxiv.org" ? FromPath(link.Segments) ?? link.Landing() : null;

    public override Identifier? FromKey(string value) => Split(value) is { } parts ? Of(parts.Id, parts.Version, value) : Identifier.None;

    public override string? LinkFor(Identifier id) => "https://arxiv.org/abs/" + id.Value + id.Version;

    public override (string Shard, string Name) StoreParts(Identifier id)
    {
        var slash = id.Value.IndexOf('/');
        // New-style ids shard by YYMM; old-style ids by archive.
        return (slash > 0 ? id.Value[..slash] : id.Value[..Math.Min(4, id.Value.Length)], id.Value);
    }

    public override void Describe(Work work, Identifier id)
    {
        work.Eprint = new Eprint("arxiv", id.Value, Version: id.Version);
        work.IsPreprint = true;
        work.Publisher = "arXiv";
        work.Url = "https://arxiv.org/abs/" + id.Value;
    }

    public static Identifier Of(string id, string? version, string display) => new(Instance, id, display, version);

    /// <summary>Splits an arXiv id into its version-less form and version, or null when it is not one.</summary>
    public static (string Id, string? Version)? Split(string text)
    {
        var m = NewId().Match(text.Trim());
        if (!m.Success) m = OldId().Match(text.Trim());
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

    private static Identifier? FromPath(string[] segments)
    {
        if (segments.Length < 2 || segments[0] is not ("abs" or "pdf" or "html" or "format")) return null;
        var rest = string.Join('/', segments[1..]);
        if (rest.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)) rest = rest[..^4];
        return Split(rest) is { } parts ? Of(parts.Id, parts.Version, rest) : null;
    }
}
