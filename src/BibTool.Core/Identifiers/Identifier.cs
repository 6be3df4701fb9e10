namespace BibTool.Identifiers;

/// <summary>
/// One paper identifier derived from a link. <see cref="Value"/> is the comparison form
/// (DOIs lower-cased, arXiv ids without version); <see cref="Display"/> keeps the spelling
/// the survey used, because DOIs are case-insensitive but people read them as written.
/// </summary>
public sealed record Identifier(IdentifierType Type, string Value, string Display, string? Version = null)
{
    public static readonly Identifier None = new(IdentifierType.None, "", "");

    /// <summary>The scheme's name: doi, arxiv, pmid, pmcid, openreview, url (none for no identifier).</summary>
    public string TypeName => Type.Name;

    /// <summary>Stable key of the work this identifier names: rows sharing it are one work.</summary>
    public string WorkKey => Type == IdentifierType.None ? "" : $"{TypeName}:{Value}";

    /// <summary>Every identifier has a chain of metadata sources (see SourceRegistry).</summary>
    public bool IsResolvable => Type != IdentifierType.None;

    public override string ToString() => Type == IdentifierType.None ? "none" : $"{TypeName}:{Display}";

    public bool Equals(Identifier? other) => other is not null && Type == other.Type && Value == other.Value;
    public override int GetHashCode() => HashCode.Combine(Type.Name, Value);
}
