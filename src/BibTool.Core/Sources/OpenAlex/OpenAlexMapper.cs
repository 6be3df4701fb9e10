using System.Text.Json;
using BibTool.Model;
using BibTool.Text;

namespace BibTool.Sources.OpenAlex;

/// <summary>
/// Maps an OpenAlex work (the bare object /works/… returns) into a <see cref="Work"/>: authorships
/// in order (OpenAlex gives each name as one string), the venue from primary_location.source,
/// biblio's volume, issue and pages, the publication date, the type in CSL terms, and a retraction
/// when OpenAlex flags one. The abstract is left out: OpenAlex keeps only an inverted index of it.
/// </summary>
public static class OpenAlexMapper
{
    public static Work? Map(string key, byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("an OpenAlex work is a JSON object");
        var title = Json.Text(root, "title") ?? Json.Text(root, "display_name");
        // An answer cut down with select= (no title, no authors) describes nothing to cite.
        if (title is null) return null;
        var location = Json.Property(root, "primary_location");
        var source = Json.Property(location, "source");
        var sourceType = Json.Text(source, "type");
        var type = CslType(Json.Text(root, "type"), sourceType);
        var work = new Work
        {
            Id = key,
            Type = type,
            IsPreprint = type == "article" && (Json.Text(root, "type") is "preprint" or "posted-content" || sourceType == "repository"),
            Provenance = { Source = "openalex" },
            Title = Markup.ToRichText(title),
        };
        foreach (var authorship in Json.Items(root, "authorships"))
        {
            var name = Json.Text(Json.Property(authorship, "author"), "display_name") ?? Json.Text(authorship, "raw_author_name");
            if (name is { Length: > 0 }) work.Authors.Add(Names.Split(name));
        }
        work.Issued = Dates.ParseIso(Json.Text(root, "publication_date"))
            ?? (Json.Property(root, "publication_year") is { ValueKind: JsonValueKind.Number } year && year.TryGetInt32(out var y) ? new DateParts(y) : null);
        work.ContainerTitle = Json.Text(source, "display_name");
        work.Publisher = Json.Text(source, "host_organization_name");
        foreach (var issn in Json.Items(source, "issn"))
            if (issn.ValueKind == JsonValueKind.String && issn.GetString() is { Length: > 0 } value && !work.Issn.Contains(value)) work.Issn.Add(value);
        var biblio = Json.Property(root, "biblio");
        work.Volume = Json.Text(biblio, "volume");
        work.Issue = Json.Text(biblio, "issue");
        if (Json.Text(biblio, "first_page") is { } first)
            work.Page = Json.Text(biblio, "last_page") is { } last && last != first ? $"{first}-{last}" : first;
        if (Json.Text(root, "doi") is { } doi)
        {
            work.Doi = doi.StartsWith("https://doi.org/", StringComparison.OrdinalIgnoreCase) ? doi["https://doi.org/".Length..] : doi;
            work.Url = "https://doi.org/" + work.Doi;
        }
        work.Language = Json.Text(root, "language");
        if (Json.Text(Json.Property(root, "ids"), "pmid") is { } pmid) work.Ids["pmid"] = pmid[(pmid.TrimEnd('/').LastIndexOf('/') + 1)..].TrimEnd('/');
        if (Json.Property(root, "is_retracted") is { ValueKind: JsonValueKind.True }) work.UpdatedBy.Add(new Update("retraction", null));
        return work;
    }

    /// <summary>OpenAlex's work type (with its venue's type) in CSL terms, limited to types Zotero imports.</summary>
    public static string CslType(string? type, string? sourceType) => type switch
    {
        "conference-paper" or "proceedings-article" => "paper-conference",
        "article" when sourceType == "conference" => "paper-conference",
        "article" when sourceType == "journal" => "article-journal",
        "preprint" or "posted-content" => "article",
        "book-chapter" => "chapter",
        "book" or "monograph" => "book",
        "dataset" => "dataset",
        "dissertation" => "thesis",
        "report" => "report",
        "review" => "article-journal",
        "article" when sourceType == "repository" => "article",
        _ => "article",
    };
}
