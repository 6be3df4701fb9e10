using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Sources;
using BibTool.Store;

namespace BibTool.Tests;

/// <summary>
/// An identifier scheme is declared by the source that answers it: a registry with one more
/// source parses, keys and stores that source's identifiers, and asks it for them, with no
/// change anywhere else. The scheme and source here are SYNTHETIC (dblp record links, no fetcher).
/// </summary>
public class IdentifierSchemeTests
{
    private sealed class DblpScheme : IdentifierType
    {
        public static readonly DblpScheme Instance = new();
        public override string Name => "dblp";
        public override Identifier? FromLink(WebLink link) =>
            link.Host == "dblp.org" && link.Segments is ["rec", .. var rest] && rest.Length >= 2
                ? new Identifier(this, string.Join('/', rest)[..^(rest[^1].EndsWith(".html") ? 5 : 0)], string.Join('/', rest)) : null;
        public override Identifier? FromKey(string value) => new Identifier(this, value, value);
    }

    private sealed class DblpHandler : ISourceHandler
    {
        public string Name => "dblp";
        public string Service => "dblp";
        public IReadOnlyList<IdentifierType> Schemes => [DblpScheme.Instance];
        public Work? Map(string workKey, StoredRecord record) => null;
        public ISourceFetcher CreateFetcher(SourceContext context) => throw new NotSupportedException("synthetic: never fetched");
    }

    private static readonly SourceRegistry WithDblp = new([.. SourceRegistry.Default.Handlers.Take(7), new DblpHandler(), .. SourceRegistry.Default.Handlers.Skip(7)]);

    private const string Link = "https://dblp.org/rec/conf/nips/VaswaniSPUJGKP17.html";

    [Fact]
    public void ASourcesSchemeIsParsedKeyedAndAskedOnlyWhereItIsRegistered()
    {
        var id = IdentifierParser.Parse(Link, WithDblp.Schemes);
        Assert.Equal("dblp", id.TypeName);
        Assert.Equal("conf/nips/VaswaniSPUJGKP17", id.Value);
        Assert.Equal("dblp:conf/nips/VaswaniSPUJGKP17", id.WorkKey);
        Assert.Equal(id, IdentifierParser.ParseKey(id.WorkKey, WithDblp.Schemes));
        Assert.Equal("dblp", WithDblp.ChainFor(id).First().Name);
        Assert.Equal(Path.Join("dblp", "conf", "conf%2Fnips%2FVaswaniSPUJGKP17.rec"),
            Path.GetRelativePath("/store", new MetadataStore("/store").PathFor("dblp", id)));

        // Without the source the same link is a landing page, and the key names no scheme.
        Assert.Equal("url", IdentifierParser.Parse(Link).TypeName);
        Assert.Equal(Identifier.None, IdentifierParser.ParseKey(id.WorkKey));
        // The sources' own schemes come first, in the order the sources are asked; the new one before the landing page.
        Assert.Equal(["doi", "arxiv", "pmcid", "pmid", "openreview", "dblp", "url"], WithDblp.Schemes.Select(s => s.Name));
        Assert.Equal("doi", IdentifierParser.Parse("https://doi.org/10.1038/nature14539", WithDblp.Schemes).TypeName);
    }
}
