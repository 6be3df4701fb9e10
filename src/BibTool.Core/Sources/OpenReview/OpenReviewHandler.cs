using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using BibTool.Http;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Store;
using BibTool.Text;
using Refit;

namespace BibTool.Sources.OpenReview;

/// <summary>OpenReview API v2: one note (a submission) by its forum id.</summary>
public interface IOpenReviewApi
{
    [Get("/notes")]
    Task<HttpResponseMessage> GetNotes(string id, CancellationToken cancel);
}

/// <summary>OpenReview answers OpenReview forum ids: title, authors, venue ("ICLR 2024 poster"), year, PDF.</summary>
public sealed class OpenReviewHandler : ISourceHandler
{
    public string Name => "openreview";
    public string Service => "OpenReview";

    public static readonly SourceSetting Url = new("openreview-url", "URL", "OpenReview API v2 base", "https://api2.openreview.net");

    public IReadOnlyList<SourceSetting> Settings => [Url];

    public IReadOnlyList<IdentifierType> Schemes { get; } = [OpenReviewScheme.Instance];

    public Work? Map(string workKey, StoredRecord record) => OpenReviewMapper.Map(workKey, record.Body);

    /// <summary>OpenReview's API: one request a second, one at a time.</summary>
    public static readonly Politeness Terms = Sources.Politeness.Rate(1, TimeSpan.FromSeconds(1));

    public Politeness? Politeness(Resolve.BibToolSettings settings) => Terms;

    public ISourceFetcher CreateFetcher(SourceContext context)
    {
        var client = context.Client(Url.ValueIn(context.Settings)!);
        return new OpenReviewSource(client, context.Tool, context.Settings.Timeout, context.Retry(), Terms.Gate(context.Pace)) { OwnedClient = client };
    }
}

/// <summary>Fetches notes one id at a time, at most one request a second (OpenReview publishes no limit; this stays gentle).</summary>
public sealed class OpenReviewSource(HttpClient client, string tool, TimeSpan? attemptTimeout = null, RetryPolicy? retry = null, IAdmission? gate = null) : PoliteFetcher(new HttpPolicy
{
    Service = "OpenReview", Admission = gate ?? OpenReviewHandler.Terms.Gate(),
    AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30), Retry = retry ?? new RetryPolicy(), Unreadable = body => OpenReviewMapper.Notes(body) is null, CutShort = BibTool.Text.Truncation.Json,
}, client)
{
    private IOpenReviewApi Api => field ??= HttpSetup.For<IOpenReviewApi>(Http.Client);

    public override Task FetchAsync(IReadOnlyList<SourceRequest> requests, Action<FetchResult> onResult, CancellationToken cancel) =>
        EachAsync(requests, request => FetchAsync(request.Identifier, cancel), onResult);

    private async Task<FetchResult> FetchAsync(Identifier id, CancellationToken cancel)
    {
        var (answer, error, used) = await Http.SendAsync(token => Api.GetNotes(id.Value, token), cancel).ConfigureAwait(false);
        if (answer is null) return FetchResult.Fail(id, error!, used);
        if (answer.Status == HttpStatusCode.NotFound || (answer.Status == HttpStatusCode.OK && OpenReviewMapper.Notes(answer.Body) is { Count: 0 }))
        {
            var absent = Records.From("openreview", id, answer, tool, new Dictionary<string, string> { ["absent"] = "no note with this id" });
            return new FetchResult(id, [(id, absent)], "not found at OpenReview", used);
        }
        if (answer.Status != HttpStatusCode.OK) return FetchResult.Fail(id, $"HTTP {answer.Code} from OpenReview: {Records.Snippet(answer.Body)}", used);
        return new FetchResult(id, [(id, Records.From("openreview", id, answer, tool))], null, used);
    }
}

/// <summary>
/// Maps an OpenReview note (API v2: every content field is { "value": … }; API v1: plain values)
/// into a <see cref="Work"/>. A venue naming a conference and year makes it a conference paper;
/// a submission still under review ("Submitted to …") stays a manuscript.
/// </summary>
public static partial class OpenReviewMapper
{
    public static List<JsonElement>? Notes(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? Json.Items(document.RootElement, "notes").Select(n => n.Clone()).ToList()
                : null;
        }
        catch (JsonException) { return null; }
    }

    [GeneratedRegex(@"\b(?:19|20)\d\d\b")]
    private static partial Regex Year();

    [GeneratedRegex(@"\s+(?:poster|oral|spotlight|notable[\w\s-]*|top[\w\s%-]*|accept[\w\s-]*)$", RegexOptions.IgnoreCase)]
    private static partial Regex Presentation();

    public static Work? Map(string key, byte[] body)
    {
        var note = (Notes(body) ?? throw new FormatException("not an OpenReview notes answer")).FirstOrDefault();
        if (note.ValueKind != JsonValueKind.Object) return null;
        var content = Json.Property(note, "content");
        string? Field(string name) => Json.Property(content, name) is { } field
            ? field.ValueKind == JsonValueKind.Object ? Json.Text(field, "value") : field.ValueKind == JsonValueKind.String ? field.GetString() : null
            : null;
        IEnumerable<string> List(string name)
        {
            var field = Json.Property(content, name);
            var array = field?.ValueKind == JsonValueKind.Object ? Json.Property(field, "value") : field;
            return array?.ValueKind == JsonValueKind.Array
                ? array.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!.Trim()).Where(s => s.Length > 0).ToList()
                : [];
        }

        var title = Field("title");
        if (title is null) return null;
        var id = Json.Text(note, "forum") ?? Json.Text(note, "id") ?? key;
        var venue = Field("venue");
        var submitted = venue is null || venue.StartsWith("Submitted to", StringComparison.OrdinalIgnoreCase) || venue.Contains("withdrawn", StringComparison.OrdinalIgnoreCase) || venue.Contains("rejected", StringComparison.OrdinalIgnoreCase);
        var work = new Work
        {
            Id = key,
            Type = submitted ? "manuscript" : "paper-conference",
            Title = Markup.ToRichText(title),
            Provenance = { Source = "openreview" },
            Ids = { ["openreview"] = id },
            Url = $"https://openreview.net/forum?id={Uri.EscapeDataString(id)}",
            Publisher = "OpenReview",
        };
        foreach (var author in List("authors")) work.Authors.Add(Names.Split(author));
        if (!submitted)
        {
            work.ContainerTitle = Presentation().Replace(venue!, "");
            work.EventTitle = work.ContainerTitle;
        }
        // A submission's venue names the conference it hopes for, not when it was written.
        var year = !submitted && Year().Match(venue!) is { Success: true } m ? int.Parse(m.Value, CultureInfo.InvariantCulture) : (int?)null;
        var published = Millis(note, "pdate") ?? Millis(note, "odate") ?? Millis(note, "cdate") ?? Millis(note, "tcdate");
        work.Issued = published is { } date && (year is null || date.Year == year) ? new DateParts(date.Year, date.Month, date.Day)
            : year is not null ? new DateParts(year.Value) : published is { } d ? new DateParts(d.Year) : null;
        if (Field("abstract") is { } abstractText) work.Abstract = RichText.FromPlain(abstractText);
        foreach (var keyword in List("keywords")) if (!work.Keywords.Contains(keyword)) work.Keywords.Add(keyword);
        return work;
    }

    private static DateTime? Millis(JsonElement note, string property) =>
        Json.Property(note, property) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var ms) && ms > 0 && ms < 32503680000000
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime : null;
}
