using System.Text.RegularExpressions;
using BibTool.Identifiers;

namespace BibTool.Sources.Ncbi;

/// <summary>PubMed Central ids: "PMC123" (any case), and NCBI, PMC and Europe PMC links with such a path segment; upper case as the value.</summary>
public sealed partial class PmcidScheme : IdentifierType
{
    public static PmcidScheme Instance { get; } = new();

    public override string Name => "pmcid";

    [GeneratedRegex(@"^PMC\d+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Id();

    public override Identifier? FromText(string text) => Id().IsMatch(text) ? Of(text) : null;

    public override Identifier? FromLink(WebLink link) =>
        link.Host is "ncbi.nlm.nih.gov" or "pmc.ncbi.nlm.nih.gov" or "europepmc.org" && link.Segments.FirstOrDefault(s => Id().IsMatch(s)) is { } pmc ? Of(pmc) : null;

    public override Identifier? FromKey(string value) => Id().IsMatch(value) ? Of(value) : Identifier.None;

    public override string? LinkFor(Identifier id) => $"https://pmc.ncbi.nlm.nih.gov/articles/{id.Value}/";

    /// <summary>"PMC" and the first three digits: folders stay small.</summary>
    public override (string Shard, string Name) StoreParts(Identifier id) => (id.Value[..Math.Min(id.Value.Length, 6)], id.Value);

    public override void Describe(Model.Work work, Identifier id) => work.Note = "PMCID: " + id.Value;

    private static Identifier Of(string written) => new(Instance, written.ToUpperInvariant(), written);
}
