using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Store;

namespace BibTool.Sources;

/// <summary>Builds the stored record of an answer: as received, plus where, when and by whom it was fetched.</summary>
public static class Records
{
    public static StoredRecord From(string source, Identifier id, HttpAnswer answer, string tool, IDictionary<string, string>? extra = null) =>
        Make(source, id, answer.Url, answer.Code, answer.ContentType, answer.Body, tool, extra);

    public static StoredRecord Make(string source, Identifier id, string url, int status, string contentType, byte[] body, string tool, IDictionary<string, string>? extra = null) => new()
    {
        Key = id.WorkKey,
        Url = url,
        Status = status,
        ContentType = contentType,
        Fetched = DateTimeOffset.UtcNow,
        Tool = tool,
        Body = body,
        Extra = new Dictionary<string, string>(extra ?? new Dictionary<string, string>()) { ["source"] = source },
    };

    /// <summary>A one-line excerpt of a body for messages.</summary>
    public static string Snippet(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200)).ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "empty body" : text;
    }
}
