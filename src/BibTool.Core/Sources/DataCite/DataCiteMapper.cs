using System.Globalization;
using System.Text.Json;
using BibTool.Model;
using BibTool.Text;

namespace BibTool.Sources.DataCite;

/// <summary>
/// Maps a DataCite REST <c>/dois/{doi}</c> document (JSON:API: data.attributes) into a
/// <see cref="Work"/>: resource types to CSL types Zotero accepts, organisational creators kept
/// whole, the publication year (or the Issued date when it is more precise).
/// </summary>
public static class DataCiteMapper
{
    public static Work Map(string key, byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var attributes = Object(Object(root, "data"), "attributes") ?? throw new FormatException("no data.attributes in the DataCite answer");
        var types = Object(attributes, "types");
        var general = Json.Text(types, "resourceTypeGeneral") ?? "";
        var work = new Work
        {
            Id = key,
            Type = CslType(general, Json.Text(types, "citeproc")),
            IsPreprint = general == "Preprint",
            Provenance = { Source = "datacite" },
        };

        string? main = null, subtitle = null, any = null;
        foreach (var title in Json.Items(attributes, "titles"))
        {
            if (Json.Text(title, "title") is not { } text) continue;
            any ??= text;
            var kind = Json.Text(title, "titleType");
            if (kind is null) main ??= text;
            else if (kind == "Subtitle") subtitle ??= text;
        }
        if ((main ?? any) is { } chosen) work.Title = Markup.ToRichText(chosen);
        if (work.Title is not null && subtitle is not null) work.Title = work.Title.Append(": ", Markup.ToRichText(subtitle));

        foreach (var creator in Json.Items(attributes, "creators"))
        {
            var family = Json.Text(creator, "familyName");
            var given = Json.Text(creator, "givenName");
            var name = Json.Text(creator, "name");
            if (Json.Text(creator, "nameType") == "Organizational" || (family is null && given is null))
            {
                if (name is not null) work.Authors.Add(Name.Organisation(Space(name)));
            }
            else if (family is not null) work.Authors.Add(new Name(Space(family), given is null ? null : Space(given)));
        }

        var year = Json.Text(attributes, "publicationYear");
        if (int.TryParse(year, NumberStyles.Integer, CultureInfo.InvariantCulture, out var y)) work.Issued = new DateParts(y);
        foreach (var date in Json.Items(attributes, "dates"))
        {
            if (Json.Text(date, "dateType") != "Issued" || Json.Text(date, "date") is not { } text) continue;
            if (Dates.ParseIso(text) is { } issued && (work.Issued is null || issued.Year == work.Issued.Year)) work.Issued = issued;
            break;
        }

        // "publisher" is a string in the 2023 schema and an object { name } in later ones.
        work.Publisher = Json.Text(attributes, "publisher") ?? Json.Text(Object(attributes, "publisher"), "name");
        var container = Object(attributes, "container");
        work.ContainerTitle = Json.Text(container, "title");
        work.Volume = Json.Text(container, "volume");
        work.Issue = Json.Text(container, "issue");
        if (Json.Text(container, "firstPage") is { } first)
            work.Page = Json.Text(container, "lastPage") is { } last ? $"{first}-{last}" : first;
        if (work.Type == "thesis")
        {
            // A thesis's container is its university; the publisher may be the library that deposited it.
            work.Publisher = work.ContainerTitle ?? work.Publisher;
            work.ContainerTitle = null;
        }
        work.Doi = Json.Text(attributes, "doi");
        work.Url = work.Doi is not null ? "https://doi.org/" + work.Doi : Json.Text(attributes, "url");
        work.Language = Json.Text(attributes, "language");
        if (Json.Text(attributes, "version") is { } version) work.Genre = work.Type is "software" or "dataset" ? "Version " + version : null;
        foreach (var description in Json.Items(attributes, "descriptions"))
            if (Json.Text(description, "descriptionType") == "Abstract" && Json.Text(description, "description") is { } text)
            {
                work.Abstract = Markup.ToRichText(text, skipHeadings: true);
                break;
            }
        foreach (var subject in Json.Items(attributes, "subjects"))
            if (Json.Text(subject, "subject") is { Length: > 0 } s && !work.Keywords.Contains(s)) work.Keywords.Add(s);
        return work;
    }

    /// <summary>DataCite's resourceTypeGeneral in CSL terms, limited to types Zotero imports.</summary>
    public static string CslType(string general, string? citeproc) => general switch
    {
        "Dataset" => "dataset",
        "Software" or "ComputationalNotebook" => "software",
        "JournalArticle" or "DataPaper" => "article-journal",
        "ConferencePaper" => "paper-conference",
        "ConferenceProceeding" or "Book" => "book",
        "BookChapter" => "chapter",
        "Dissertation" => "thesis",
        "Report" => "report",
        "Preprint" => "article",
        "Image" => "graphic",
        "Audiovisual" => "motion_picture",
        "Standard" => "standard",
        "PeerReview" => "review",
        "Text" when citeproc is "article-journal" or "thesis" or "report" or "book" or "chapter" or "paper-conference" => citeproc,
        _ => "document",
    };

    private static JsonElement? Object(JsonElement? element, string property) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string Space(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
