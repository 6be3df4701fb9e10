using BibTool.Identifiers;

namespace BibTool.Sources.Ncbi;

/// <summary>PubMed ids: "pmid:123", and pubmed.ncbi.nlm.nih.gov/123 or ncbi.nlm.nih.gov/pubmed/123 links.</summary>
public sealed class PmidScheme : IdentifierType
{
    public static PmidScheme Instance { get; } = new();

    public override string Name => "pmid";

    public override Identifier? FromText(string text) =>
        text.StartsWith("pmid:", StringComparison.OrdinalIgnoreCase) && text[5..].Trim().All(char.IsAsciiDigit) ? Of(text[5..].Trim()) : null;

    public override Identifier? FromLink(WebLink link)
    {
        var segments = link.Segments;
        return link.Host switch
        {
            "pubmed.ncbi.nlm.nih.gov" when segments.Length >= 1 && segments[0].All(char.IsAsciiDigit) => Of(segments[0]),
            "ncbi.nlm.nih.gov" when segments.Length >= 2 && segments[0] == "pubmed" && segments[1].All(char.IsAsciiDigit) => Of(segments[1]),
            _ => null,
        };
    }

    public override Identifier? FromKey(string value) => value.Length > 0 && value.All(char.IsAsciiDigit) ? Of(value) : Identifier.None;

    public override string? LinkFor(Identifier id) => $"https://pubmed.ncbi.nlm.nih.gov/{id.Value}/";

    public override void Describe(Model.Work work, Identifier id) => work.Note = "PMID: " + id.Value;

    private static Identifier Of(string pmid) => new(Instance, pmid, pmid);
}
