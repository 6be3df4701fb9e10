using System.Xml;
using System.Xml.Linq;

namespace BibTool.Text;

/// <summary>
/// XML from services, parsed without trusting it: a DOCTYPE (PubMed names an external DTD) is
/// ignored, never fetched; no entity is expanded beyond the predefined ones; size is bounded.
/// </summary>
public static class SafeXml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = 64 * 1024 * 1024,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    public static XDocument Parse(byte[] body)
    {
        using var reader = XmlReader.Create(new MemoryStream(body), Settings);
        return XDocument.Load(reader);
    }

    /// <summary>The text of an element with inline markup kept as tags (PubMed titles carry &lt;i&gt;, &lt;sup&gt;).</summary>
    public static string InnerMarkup(XElement element) =>
        string.Concat(element.Nodes().Select(n => n is XText t ? System.Net.WebUtility.HtmlEncode(t.Value) : n.ToString(SaveOptions.DisableFormatting)));
}
