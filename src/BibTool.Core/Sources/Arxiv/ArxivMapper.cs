using System.Globalization;
using System.Xml.Linq;
using BibTool.Identifiers;
using BibTool.Model;
using BibTool.Text;

namespace BibTool.Sources.Arxiv;

/// <summary>
/// Maps one arXiv Atom &lt;entry&gt; (2019 or 2026 feed format; read by namespace and name only)
/// into a <see cref="Work"/>. The issued date is the first version's submission date
/// (&lt;published&gt;), as arXiv's own citation export and most styles date a preprint; title,
/// authors, journal reference and DOI come from the latest version, which the API returns.
/// </summary>
public static class ArxivMapper
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace ArxivNs = "http://arxiv.org/schemas/atom";
    public static readonly XNamespace OpenSearch = "http://a9.com/-/spec/opensearch/1.1/";

    public static Work Map(string key, XElement entry)
    {
        var (id, version) = IdOf(entry) ?? throw new FormatException("arXiv entry has no abs/ id");
        var work = new Work
        {
            Id = key,
            Type = "article",
            Provenance = { Source = "arxiv" },
            IsPreprint = true,
            Eprint = new Eprint("arxiv", id, Version: version),
            Publisher = "arXiv",
            Url = $"https://arxiv.org/abs/{id}",
            Doi = $"10.48550/arXiv.{id}",
        };
        var title = (string?)entry.Element(Atom + "title");
        // arXiv's titles and abstracts are plain text (TeX at most), never HTML: "p < 0.05" or a
        // literal "<tag>" is text to keep, not markup to strip.
        if (title is not null) work.Title = RichText.FromPlain(InlineSpaces(title));
        var summary = (string?)entry.Element(Atom + "summary");
        if (summary is not null) work.Abstract = RichText.FromPlain(InlineSpaces(summary));
        foreach (var author in entry.Elements(Atom + "author"))
            if ((string?)author.Element(Atom + "name") is { Length: > 0 } name) work.Authors.Add(SplitName(name));
        var published = (string?)entry.Element(Atom + "published") ?? (string?)entry.Element(Atom + "updated");
        if (BibTool.Text.Timestamps.ParseUtc(published) is { } date)
            work.Issued = new DateParts(date.UtcDateTime.Year, date.UtcDateTime.Month, date.UtcDateTime.Day);
        work.Eprint = work.Eprint! with { Class = (string?)entry.Element(ArxivNs + "primary_category")?.Attribute("term") };
        foreach (var category in entry.Elements(Atom + "category"))
            if ((string?)category.Attribute("term") is { Length: > 0 } term && !work.Keywords.Contains(term)) work.Keywords.Add(term);
        if ((string?)entry.Element(ArxivNs + "doi") is { Length: > 0 } doi) work.PublishedDoi = doi.Trim();
        if ((string?)entry.Element(ArxivNs + "journal_ref") is { Length: > 0 } journal) work.JournalReference = InlineSpaces(journal);
        return work;
    }

    /// <summary>The entry's id without and with version, from its abs URL (http(s)://arxiv.org/abs/ID vN).</summary>
    public static (string Id, string? Version)? IdOf(XElement entry)
    {
        var text = (string?)entry.Element(Atom + "id");
        if (text is null) return null;
        var abs = text.IndexOf("/abs/", StringComparison.Ordinal);
        if (abs < 0) return null;
        return IdentifierParser.SplitArxivId(text[(abs + 5)..]);
    }

    /// <summary>An arXiv API error entry: title "Error" and author "arXiv api core" (the status alone is not enough).</summary>
    public static bool IsError(XElement entry) =>
        ((string?)entry.Element(Atom + "title"))?.Trim() == "Error" &&
        entry.Elements(Atom + "author").Any(a => ((string?)a.Element(Atom + "name"))?.Trim() == "arXiv api core");

    /// <summary>arXiv gives names as free text.</summary>
    public static Name SplitName(string name) => Names.Split(name);

    private static string InlineSpaces(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
