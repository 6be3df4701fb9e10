using System.Text.Json;

namespace BibTool.Text;

/// <summary>
/// Reading JSON from services without trusting its shape: a value of the wrong kind reads as
/// absent, never as an exception.
/// </summary>
public static class Json
{
    /// <summary>True when the body is complete JSON (a cut-short answer is retried, never stored).</summary>
    public static bool IsValid(byte[] body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException) { return false; }
    }

    public static string? Text(JsonElement? element, string property)
    {
        if (element is not { ValueKind: JsonValueKind.Object } e || !e.TryGetProperty(property, out var value)) return null;
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    public static IEnumerable<JsonElement> Items(JsonElement? element, string property)
    {
        if (element is not { ValueKind: JsonValueKind.Object } e || !e.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.Array)
            return [];
        return value.EnumerateArray().ToList();
    }

    public static JsonElement? Property(JsonElement? element, string property) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(property, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? value : null;
}
