using System.Globalization;
using System.Text;

using BibTool.Text;

namespace BibTool.Store;

/// <summary>
/// One raw response as received, plus where and when it came from. On disk: "name: value"
/// header lines, a blank line, then the body bytes untouched. Length and SHA-256 of the body
/// are in the header, so a truncated or edited record is detected instead of misread.
/// </summary>
public sealed record StoredRecord
{
    public const string Magic = "# bibtool metadata record v1";

    /// <summary>The identifier key this record answers (doi:…, arxiv:…).</summary>
    public required string Key { get; init; }
    public required string Url { get; init; }
    public required int Status { get; init; }
    public string ContentType { get; init; } = "";
    public required DateTimeOffset Fetched { get; init; }
    public required string Tool { get; init; }
    public byte[] Body { get; init; } = [];

    /// <summary>Further facts: "alias-of" for a redirect, "excerpt" when the body is one entry of a batch response.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    public string? AliasOf => Extra.GetValueOrDefault("alias-of");

    /// <summary>The source that answered (crossref, datacite, arxiv, pubmed, …): picks the mapper on read.</summary>
    public string? Source => Extra.GetValueOrDefault("source");
    public bool IsNotFound => Status == 404 || Extra.ContainsKey("absent");
    public string BodyText => Encoding.UTF8.GetString(Body);

    public StoredRecord WithSource(string source) => this with { Extra = new Dictionary<string, string>(Extra) { ["source"] = source } };

    public void WriteTo(Stream stream)
    {
        var header = new StringBuilder();
        header.Append(Magic).Append('\n');
        void Line(string name, string value) => header.Append(name).Append(": ").Append(value.Replace('\n', ' ').Replace('\r', ' ')).Append('\n');
        Line("key", Key);
        Line("url", Url);
        Line("status", Status.ToString(CultureInfo.InvariantCulture));
        Line("content-type", ContentType);
        Line("fetched", Fetched.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Line("tool", Tool);
        foreach (var (name, value) in Extra.OrderBy(e => e.Key, StringComparer.Ordinal)) Line(name, value);
        Line("body-length", Body.Length.ToString(CultureInfo.InvariantCulture));
        Line("body-sha256", Convert.ToHexStringLower(Sha256.HashData(Body)));
        header.Append('\n');
        var bytes = Encoding.UTF8.GetBytes(header.ToString());
        stream.Write(bytes);
        stream.Write(Body);
    }

    /// <summary>Parses a record, or explains in one phrase why it is damaged.</summary>
    public static StoredRecord Parse(byte[] data, out string? damage)
    {
        damage = null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        var first = true;
        while (true)
        {
            var end = Array.IndexOf(data, (byte)'\n', position);
            if (end < 0) { damage = "header is cut off"; return Empty; }
            var line = Encoding.UTF8.GetString(data, position, end - position);
            position = end + 1;
            if (first)
            {
                if (line != Magic) { damage = "not a bibtool record"; return Empty; }
                first = false;
                continue;
            }
            if (line.Length == 0) break;
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0) { damage = $"malformed header line '{line}'"; return Empty; }
            fields[line[..colon]] = line[(colon + 2)..];
        }
        var body = data[position..];
        if (!fields.TryGetValue("body-length", out var lengthText) || !int.TryParse(lengthText, out var length) || length != body.Length)
        {
            damage = $"body is {body.Length} bytes, header says {fields.GetValueOrDefault("body-length", "nothing")}";
            return Empty;
        }
        if (!fields.TryGetValue("body-sha256", out var sha) || sha != Convert.ToHexStringLower(Sha256.HashData(body)))
        {
            damage = "body does not match its checksum";
            return Empty;
        }
        string? missing = null;
        string Required(string name)
        {
            if (fields.Remove(name, out var value)) return value;
            missing ??= $"header lacks '{name}'";
            return "";
        }
        var key = Required("key");
        var url = Required("url");
        var status = int.TryParse(Required("status"), out var s) ? s : 0;
        var contentType = fields.Remove("content-type", out var ct) ? ct : "";
        var fetched = Timestamps.ParseUtc(Required("fetched")) ?? default;
        var tool = Required("tool");
        fields.Remove("body-length");
        fields.Remove("body-sha256");
        damage = missing;
        if (damage is null && (status == 0 || fetched == default)) damage = "header has no valid status or date";
        return new StoredRecord { Key = key, Url = url, Status = status, ContentType = contentType, Fetched = fetched, Tool = tool, Body = body, Extra = fields };
    }

    private static readonly StoredRecord Empty = new() { Key = "", Url = "", Status = 0, Fetched = default, Tool = "" };
}
