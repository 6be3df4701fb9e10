using System.Text;
using System.Text.Json;
using System.Xml;

namespace BibTool.Text;

/// <summary>
/// Whether a body that does not read was cut short (worth asking again) or is whole but refused
/// for what it says (a DTD or entity, invalid UTF-8, JSON that is wrong where it stands): that
/// answer would be the same the next time, so it is not retried.
/// </summary>
public static class Truncation
{
    /// <summary>True when the JSON is well formed as far as it goes and merely ends too early.</summary>
    public static bool Json(byte[] body)
    {
        var reader = new Utf8JsonReader(body, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read()) { }
        }
        catch (JsonException) { return false; }
        // Everything read without a fault but the value is not closed (or nothing was there at all).
        return reader.CurrentDepth > 0 || reader.BytesConsumed < body.Length || body.Length == 0 || reader.TokenType is JsonTokenType.None or JsonTokenType.PropertyName;
    }

    /// <summary>True when the XML is well formed as far as it goes and merely ends too early.</summary>
    public static bool Xml(byte[] body)
    {
        string text;
        try { text = new UTF8Encoding(false, true).GetString(body); }
        catch (DecoderFallbackException) { return false; }
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            while (reader.Read()) { }
            return false;
        }
        catch (XmlException e)
        {
            // The reader reached the end of the text inside an open element, tag, comment or CDATA.
            return e.Message.Contains("Unexpected end of file", StringComparison.Ordinal)
                || e.Message.Contains("not closed", StringComparison.Ordinal) && e.LineNumber >= CountLines(text);
        }
    }

    private static int CountLines(string text) => text.Count(c => c == '\n') + 1;
}
