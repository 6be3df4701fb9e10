using BibTool.Model;

namespace BibTool.Export;

/// <summary>The name, venue and identifier rules every writer shares, so no two formats disagree.</summary>
public static class Fields
{
    /// <summary>
    /// Where a work appeared: its journal, proceedings or book, else its event; for a preprint,
    /// a dataset or anything without a container, the server or repository that holds it.
    /// </summary>
    public static string? Venue(Work w) =>
        w.ContainerTitle ?? w.EventTitle ?? (w.Type is "article-journal" or "paper-conference" or "chapter" && !w.IsPreprint ? null : w.Publisher);

    /// <summary>"arXiv:2401.02458 [cs.LG]"; an old-style id already names its archive ("arXiv:astro-ph/0601001").</summary>
    public static string EprintLabel(Eprint eprint) =>
        $"{eprint.ServerName}:{eprint.Id}{(eprint.Class is null || eprint.Id.Contains('/') ? "" : $" [{eprint.Class}]")}";

    /// <summary>The family name as Zotero and CSL readers without particle support must see it: "van der Berg".</summary>
    public static string? FamilyWithParticle(Name name) =>
        name.NonDroppingParticle is { Length: > 0 } particle && name.Family is { Length: > 0 } family ? $"{particle} {family}" : name.Family;

    /// <summary>"Family, Given[, Suffix]" as RIS and spreadsheets write a person; organisations whole.</summary>
    public static string PersonName(Name name)
    {
        if (name.IsLiteral) return name.Literal!;
        var family = FamilyWithParticle(name) ?? "";
        var text = name.Given is { Length: > 0 } given ? $"{family}, {given}" : family;
        return name.Suffix is { Length: > 0 } suffix ? $"{text}, {suffix}" : text;
    }

    /// <summary>"2023", "2023-09" or "2023-09-13": the ISO 8601 form BibLaTeX and Zotero read.</summary>
    public static string IsoDate(DateParts d) =>
        d.Month is null ? $"{d.Year:D4}" : d.Day is null ? $"{d.Year:D4}-{d.Month:D2}" : $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}";

    /// <summary>Every ISSN (print and electronic) in one value: Zotero keeps only the first of repeated fields.</summary>
    public static string? Joined(IReadOnlyCollection<string> values) => values.Count == 0 ? null : string.Join(", ", values);

    /// <summary>The babel language biblatex's langid names for a language code (null: none it knows).</summary>
    public static string? LanguageId(string? language) => language?.ToLowerInvariant() switch
    {
        "en" or "en-us" or "en-gb" => "english",
        "de" => "german",
        "fr" => "french",
        "es" => "spanish",
        "it" => "italian",
        "ja" => "japanese",
        "zh" => "chinese",
        _ => null,
    };
}
