using System.Text.Json;
using BibTool.Model;
using BibTool.Text;

namespace BibTool.Sources.Crossref;

/// <summary>Maps a Crossref REST <c>/works/{doi}</c> body ("message-type": "work") into a <see cref="Work"/>.</summary>
public static class CrossrefMapper
{
    public static Work Map(string key, ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"a Crossref work is a JSON object, not {root.ValueKind}");
        var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object ? m : root;
        return Map(key, message);
    }

    public static Work Map(string key, JsonElement message)
    {
        var crossrefType = Text(message, "type") ?? "";
        var work = new Work
        {
            Id = key,
            // Crossref files blog posts as posted content of subtype "blog".
            Type = crossrefType == "posted-content" && Text(message, "subtype") == "blog" ? "post-weblog" : CslType(crossrefType),
            Provenance = { Source = "crossref" },
            IsPreprint = crossrefType == "posted-content" && Text(message, "subtype") is null or "preprint",
        };

        var title = First(message, "title");
        if (title is not null)
        {
            work.Title = Markup.ToRichText(title);
            if (First(message, "subtitle") is { } subtitle && !string.IsNullOrWhiteSpace(subtitle))
            {
                var sub = Markup.ToRichText(subtitle);
                // Some deposits repeat the subtitle inside the title.
                if (!work.Title.Plain.Contains(sub.Plain, StringComparison.OrdinalIgnoreCase))
                    work.Title = work.Title.Append(work.Title.Plain.EndsWith('?') || work.Title.Plain.EndsWith('!') ? " " : ": ", sub);
            }
        }

        // A journal issue or volume is titled by its journal.
        if (work.Title is null && crossrefType is "journal-issue" or "journal-volume" && First(message, "container-title") is { } journal)
            work.Title = Markup.ToRichText(journal);

        AddNames(message, "author", work.Authors);
        AddNames(message, "editor", work.Editors);
        work.Issued = Date(message, "issued") ?? Date(message, "published") ?? Date(message, "published-print")
            ?? Date(message, "published-online") ?? Date(message, "posted") ?? Date(message, "approved");

        var container = First(message, "container-title");
        if (container is not null) work.ContainerTitle = Markup.ToPlain(container);
        if (First(message, "short-container-title") is { } shortContainer) work.ContainerTitleShort = Markup.ToPlain(shortContainer);
        if (message.TryGetProperty("event", out var ev) && ev.ValueKind == JsonValueKind.Object && Text(ev, "name") is { } eventName)
            work.EventTitle = Markup.ToPlain(eventName);
        if (work.Type == "book" && work.ContainerTitle is not null)
        {
            // A book's "container" in Crossref is its series.
            work.CollectionTitle = work.ContainerTitle;
            work.ContainerTitle = null;
        }

        work.Volume = Text(message, "volume");
        work.Issue = Text(message, "issue");
        work.Page = Text(message, "page");
        work.ArticleNumber = Text(message, "article-number");
        work.Publisher = Text(message, "publisher");
        work.PublisherPlace = Text(message, "publisher-location");
        if (crossrefType is "posted-content" or "dissertation" or "report" or "report-component" && message.TryGetProperty("institution", out var institutions) &&
            institutions.ValueKind == JsonValueKind.Array && institutions.GetArrayLength() > 0 && Text(institutions[0], "name") is { } institution)
        {
            // bioRxiv, medRxiv, ChemRxiv: the server is where readers find a preprint. A thesis is
            // the university's and a report the lab's; Crossref's publisher is whoever deposited
            // it (a library, OSTI).
            work.Publisher = institution;
            if (work.PublisherPlace is null && institutions[0].TryGetProperty("place", out var places) && places.ValueKind == JsonValueKind.Array &&
                places.GetArrayLength() > 0 && places[0].ValueKind == JsonValueKind.String)
                work.PublisherPlace = places[0].GetString();
        }
        work.Doi = Text(message, "DOI");
        work.Url = work.Doi is not null ? "https://doi.org/" + work.Doi : Text(message, "URL");
        AddAll(message, "ISSN", work.Issn);
        AddAll(message, "ISBN", work.Isbn);
        if (Text(message, "abstract") is { } abstractMarkup) work.Abstract = Markup.ToRichText(abstractMarkup, skipHeadings: true);
        work.Language = Text(message, "language");
        if (crossrefType == "dissertation") work.Genre = Text(message, "degree") ?? First(message, "degree") ?? "PhD thesis";

        if (message.TryGetProperty("relation", out var relation) && relation.ValueKind == JsonValueKind.Object &&
            relation.TryGetProperty("is-preprint-of", out var published) && published.ValueKind == JsonValueKind.Array)
        {
            foreach (var target in published.EnumerateArray())
                if (Text(target, "id-type") == "doi" && Text(target, "id") is { } doi) { work.PublishedDoi = doi; break; }
        }

        // Retractions, corrections and other notices must reach the reader of the bibliography. A
        // record naming itself (a "new version" of its own DOI) says nothing.
        AddUpdates(message, "updated-by", work.UpdatedBy, work.Doi);
        AddUpdates(message, "update-to", work.UpdateTo, work.Doi);
        var notes = work.UpdatedBy.OrderByDescending(u => u.IsRetraction).Select(u => u.Describe())
            .Concat(work.UpdateTo.Select(u => $"Notice ({u.Kind.Replace('_', ' ')}) for doi:{u.Doi}")).Distinct().ToList();
        if (notes.Count > 0) work.Note = string.Join("; ", notes);
        return work;
    }

    private static void AddUpdates(JsonElement message, string property, List<Update> updates, string? self)
    {
        if (!message.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array) return;
        foreach (var update in list.EnumerateArray())
        {
            if (update.ValueKind != JsonValueKind.Object || Text(update, "type") is not { Length: > 0 } kind) continue;
            var doi = Text(update, "DOI");
            if (doi is not null && self is not null && string.Equals(doi, self, StringComparison.OrdinalIgnoreCase)) continue;
            updates.Add(new Update(kind, doi, Date(update, "updated")));
        }
    }

    /// <summary>Crossref work types in CSL terms (Crossref's own /types list).</summary>
    public static string CslType(string crossrefType) => crossrefType switch
    {
        "journal-article" => "article-journal",
        "proceedings-article" => "paper-conference",
        "book-chapter" or "book-section" or "book-part" or "book-track" or "reference-entry" => "chapter",
        "book" or "monograph" or "edited-book" or "reference-book" or "book-set" or "book-series" => "book",
        "proceedings" or "proceedings-series" => "book",
        "dissertation" => "thesis",
        "report" or "report-component" or "report-series" => "report",
        "dataset" or "database" => "dataset",
        "standard" => "standard",
        "posted-content" => "article",
        "peer-review" => "review",
        "journal" or "journal-issue" or "journal-volume" => "periodical",
        "grant" => "document",
        _ => "document",
    };

    private static void AddNames(JsonElement message, string property, List<Name> names)
    {
        if (!message.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array) return;
        // (persons that are not objects read as nobody: Text() sees no properties on them)
        foreach (var person in array.EnumerateArray())
        {
            var family = Text(person, "family");
            var given = Text(person, "given");
            var literal = Text(person, "name");
            if (family is not null) names.Add(new Name(Clean(family), given is null ? null : Clean(given), Suffix: Text(person, "suffix")));
            else if (literal is not null) names.Add(Name.Organisation(Clean(literal)));
            else if (given is not null) names.Add(Name.Organisation(Clean(given)));
        }
    }

    private static string Clean(string name) => Markup.ToPlain(name);

    private static DateParts? Date(JsonElement message, string property)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty(property, out var date) || date.ValueKind != JsonValueKind.Object) return null;
        if (!date.TryGetProperty("date-parts", out var parts) || parts.ValueKind != JsonValueKind.Array || parts.GetArrayLength() == 0) return null;
        var first = parts[0];
        if (first.ValueKind != JsonValueKind.Array || first.GetArrayLength() == 0) return null;
        int? Part(int i) => i < first.GetArrayLength() && first[i].ValueKind == JsonValueKind.Number && first[i].TryGetInt32(out var v) ? v
            : i < first.GetArrayLength() && first[i].ValueKind == JsonValueKind.String && int.TryParse(first[i].GetString(), out var s) ? s : null;
        var year = Part(0);
        if (year is null) return null;
        var month = Part(1);
        return new DateParts(year.Value, month is >= 1 and <= 12 ? month : null, month is >= 1 and <= 12 && Part(2) is >= 1 and <= 31 and var d ? d : null);
    }

    // Every accessor checks the JSON kind: a value of the wrong type reads as absent, never as an exception.
    internal static string? Text(JsonElement element, string property)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(property, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s.Trim() : null,
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    internal static string? First(JsonElement element, string property)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(property, out var value)) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        if (value.ValueKind != JsonValueKind.Array) return null;
        foreach (var item in value.EnumerateArray())
            if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString())) return item.GetString();
        return null;
    }

    private static void AddAll(JsonElement element, string property, List<string> into)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.Array) return;
        foreach (var item in value.EnumerateArray())
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } s && !into.Contains(s)) into.Add(s);
    }
}
