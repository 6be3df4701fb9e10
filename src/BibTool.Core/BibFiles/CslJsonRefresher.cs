using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BibTool.Export;
using BibTool.Identifiers;
using BibTool.Model;

namespace BibTool.BibFiles;

/// <summary>
/// Refreshing a user's CSL-JSON file the way <see cref="BibRefresher"/> refreshes a .bib: each item's
/// DOI, arXiv number, PMID, PMCID or URL names its work; a managed variable (title, author,
/// container-title, issued, volume, issue, page, DOI) is rewritten only when its meaning differs and
/// added when the item lacks it; every other byte of the file stays (values are replaced in place,
/// found with the JSON reader's token positions).
/// </summary>
public static class CslJsonRefresher
{
    private sealed record Span(int Start, int End);

    private sealed record Item(string Id, JsonElement Json, Dictionary<string, Span> Values, int Close, string Indent, int Line);

    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static BibRefreshResult Refresh(string path, string text, Func<Identifier, Work?> lookup)
    {
        var items = Read(path, text);
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var edits = new List<(int Start, int End, string Text)>();
        var changes = new List<BibChange>();
        var skipped = new List<(BibRecord, string)>();
        var checkedWorks = new List<(BibRecord, Work)>();
        foreach (var item in items)
        {
            var stub = new BibRecord("csl", item.Id, [], item.Close, item.Close, item.Line);
            var id = IdentifierOf(item.Json);
            if (!id.IsResolvable) { skipped.Add((stub, "no DOI, arXiv number, PMID, PMCID or URL")); continue; }
            if (lookup(id) is not { Provenance.IsResolved: true } work) { skipped.Add((stub, $"{id} not resolved")); continue; }
            checkedWorks.Add((stub, work));
            var additions = new List<string>();
            foreach (var (name, value, same) in Managed(work))
            {
                if (value is null) continue;
                var json = value.ToJsonString(Options);
                if (item.Values.TryGetValue(name, out var span))
                {
                    if (same(item.Json.GetProperty(name))) continue;
                    edits.Add((span.Start, span.End, json));
                    changes.Add(new BibChange(item.Id, name, text[span.Start..span.End], json));
                }
                else
                {
                    additions.Add($"{JsonValue.Create(name).ToJsonString(Options)}: {json}");
                    changes.Add(new BibChange(item.Id, name, null, json));
                }
            }
            if (additions.Count > 0)
            {
                // After the last value, in the item's indentation.
                var last = item.Values.Values.MaxBy(v => v.End);
                var at = last?.End ?? item.Close;
                var separator = item.Indent.Length > 0 ? "," + newline + item.Indent : ", ";
                edits.Add((at, at, (last is null ? "" : separator) + string.Join(separator, additions)));
            }
        }
        return new BibRefreshResult(TextEdits.Apply(text, edits), changes, skipped, checkedWorks);
    }

    /// <summary>Each item's identifier, in file order (a malformed file is a one-line error naming its line).</summary>
    public static List<Identifier> Identifiers(string path, string text) => Read(path, text).Select(i => IdentifierOf(i.Json)).ToList();

    public static Identifier IdentifierOf(JsonElement item)
    {
        string? Text(string name) => item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (Text("DOI") is { } doi && IdentifierParser.Parse("doi:" + doi.Trim()) is { IsResolvable: true } byDoi) return byDoi;
        if (Text("number") is { } number && number.StartsWith("arXiv:", StringComparison.OrdinalIgnoreCase) && IdentifierParser.Parse(number) is { } byArxiv && byArxiv.Type == IdentifierType.Arxiv) return byArxiv;
        if (Text("PMID") is { } pmid && IdentifierParser.ParseKey("pmid:" + pmid.Trim()) is { IsResolvable: true } byPmid) return byPmid;
        if (Text("PMCID") is { } pmcid && IdentifierParser.ParseKey("pmcid:" + pmcid.Trim()) is { IsResolvable: true } byPmcid) return byPmcid;
        if (Text("URL") is { } url && IdentifierParser.Parse(url.Trim()) is { IsResolvable: true } byUrl) return byUrl;
        return Identifier.None;
    }

    // Values as JSON nodes (not objects for the reflection serializer), so the tool can be published ahead of time.
    private static IEnumerable<(string Name, JsonNode? Value, Func<JsonElement, bool> Same)> Managed(Work w)
    {
        static JsonNode? Text(string? value) => value is null ? null : JsonValue.Create(value);
        static string Fold(string? text) => BibTool.Text.Ascii.KeyPart(System.Text.RegularExpressions.Regex.Replace(text ?? "", "<[^>]+>", ""));
        static bool SameText(JsonElement e, string? upstream) => e.ValueKind is JsonValueKind.String or JsonValueKind.Number && Fold(e.ToString()) == Fold(upstream);
        if (w.Authors.Count > 0)
        {
            var authors = new JsonArray([.. w.Authors.Select(a => new JsonObject((a.IsLiteral
                ? new Dictionary<string, string?> { ["literal"] = a.Literal! }
                : new Dictionary<string, string?> { ["family"] = Fields.FamilyWithParticle(a), ["given"] = a.Given, ["suffix"] = a.Suffix })
                    .Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => KeyValuePair.Create(p.Key, Text(p.Value)))))]);
            yield return ("author", authors, e => e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == w.Authors.Count && e.EnumerateArray().Zip(w.Authors).All(pair =>
            {
                var (mine, upstream) = pair;
                string? Part(string name) => mine.ValueKind == JsonValueKind.Object && mine.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                var family = Fold(string.Join(" ", new[] { Part("non-dropping-particle"), Part("family") ?? Part("literal") }.Where(p => p is not null)));
                return BibRefresher.SameFamily(family, Fold(BibRefresher.FamilyText(upstream)));
            }));
        }
        var venue = w.IsPreprint ? null : w.ContainerTitle;
        yield return ("container-title", Text(venue), e => SameText(e, venue) || SameText(e, w.ContainerTitleShort));
        if (w.Issued is { } d)
        {
            var parts = new List<int> { d.Year };
            if (d.Month is { } m) { parts.Add(m); if (d.Day is { } day) parts.Add(day); }
            yield return ("issued", new JsonObject { ["date-parts"] = new JsonArray(new JsonArray([.. parts.Select(p => (JsonNode)JsonValue.Create(p))])) }, e =>
            {
                if (!e.TryGetProperty("date-parts", out var dp) || dp.ValueKind != JsonValueKind.Array || dp.GetArrayLength() == 0 || dp[0].ValueKind != JsonValueKind.Array) return false;
                var mine = dp[0].EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var n) ? n : int.TryParse(x.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1).ToList();
                // The same year, and the same month when both say one.
                return mine.Count > 0 && mine[0] == d.Year && (mine.Count < 2 || d.Month is null || mine[1] == d.Month);
            });
        }
        // The rest as the field table says: a string or number, HTML tags dropped, compared by the row.
        foreach (var row in FieldTable.All)
        {
            if (row.Same is not { } same || !row.RefreshIf(w) || row.Csl is not { } field) continue;
            yield return (field.Name, Text(field.Value(w)), e => e.ValueKind is JsonValueKind.String or JsonValueKind.Number
                && same(w, field.Kind == FieldKind.Verbatim ? e.ToString() : System.Text.RegularExpressions.Regex.Replace(e.ToString(), "<[^>]+>", "")));
        }
    }

    /// <summary>The items of a CSL-JSON array with the character span of each top-level value, for in-place edits.</summary>
    private static List<Item> Read(string path, string text)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException e) { throw new BibParseException($"{path}:{(e.LineNumber ?? 0) + 1}: not JSON ({e.Message.Split('.')[0]})"); }
        if (document.RootElement.ValueKind != JsonValueKind.Array) throw new BibParseException($"{path}:1: a CSL-JSON file is an array of items");

        // Token positions are byte offsets: map them back to characters.
        var bytes = Encoding.UTF8.GetBytes(text);
        var charAt = new int[bytes.Length + 1];
        for (int b = 0, c = 0; b <= bytes.Length; )
        {
            charAt[b] = c;
            if (b == bytes.Length) break;
            var length = bytes[b] < 0x80 ? 1 : bytes[b] < 0xE0 ? 2 : bytes[b] < 0xF0 ? 3 : 4;
            for (var k = 1; k < length && b + k <= bytes.Length; k++) charAt[b + k] = c;
            c += length == 4 ? 2 : 1;
            b += length;
        }
        var items = new List<Item>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        reader.Read(); // [
        var index = 0;
        int countedTo = 0, countedLines = 1;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var element = document.RootElement[index++];
            if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); continue; }
            var values = new Dictionary<string, Span>(StringComparer.Ordinal);
            var indent = "";
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (indent.Length == 0)
                {
                    var nameAt = charAt[reader.TokenStartIndex];
                    var lineStart = text.LastIndexOf('\n', Math.Max(0, nameAt - 1)) + 1;
                    var lead = text[lineStart..nameAt];
                    if (lead.All(char.IsWhiteSpace)) indent = lead;
                }
                reader.Read();
                var start = charAt[reader.TokenStartIndex];
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                var end = charAt[reader.BytesConsumed];
                values.TryAdd(name, new Span(start, end));
            }
            var close = charAt[reader.TokenStartIndex];
            var id = element.TryGetProperty("id", out var idValue) ? idValue.ToString() : $"item {index}";
            // Lines counted onward from the previous item: one pass over the file.
            countedLines += text.AsSpan(countedTo, close - countedTo).Count('\n');
            countedTo = close;
            items.Add(new Item(id, element, values, close, indent, countedLines));
        }
        return items;
    }
}
