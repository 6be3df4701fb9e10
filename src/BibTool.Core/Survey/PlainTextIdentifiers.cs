using System.Text.RegularExpressions;
using BibTool.Identifiers;

namespace BibTool.Survey;

/// <summary>
/// Identifiers a survey writes as text rather than as a link: `doi:10.…` or `DOI: 10.…`, a bare
/// doi.org or dx.doi.org URL, `arXiv:2304.06975`, a bare arxiv.org abs or pdf URL, `PMID: 123`,
/// `PMCID: PMC123` or `PMC123`. Each becomes the canonical link of what it names.
/// </summary>
public static partial class PlainTextIdentifiers
{
    [GeneratedRegex(@"(?ix)
        (?<url>https?://(?:dx\.)?doi\.org/10\.\d{4,9}/[^\s<>""'\]\)]+ | https?://(?:export\.)?arxiv\.org/(?:abs|pdf)/[^\s<>""'\]\)]+)
      | \bdoi:?\s*(?<doi>10\.\d{4,9}/[^\s<>""'\]\)]+)
      | \barxiv:\s*(?<arxiv>\d{4}\.\d{4,5}(?:v\d+)? | [a-z][a-z\-]*(?:\.[a-z]{2})?/\d{7}(?:v\d+)?)
      | \bpmid:?\s*(?<pmid>\d{1,9})\b
      | \b(?:pmcid:?\s*)?(?<pmc>pmc\d{4,9})\b")]
    private static partial Regex Mention();

    /// <summary>Every identifier the text mentions, in order, as the link that names it.</summary>
    public static IEnumerable<(string Url, Identifier Identifier)> All(string text)
    {
        foreach (Match m in Mention().Matches(text))
        {
            // Sentence punctuation after a DOI or URL is not part of it.
            var written = m.Groups["url"].Success ? m.Groups["url"].Value.TrimEnd('.', ',', ';', ':')
                : m.Groups["doi"].Success ? "doi:" + m.Groups["doi"].Value.TrimEnd('.', ',', ';', ':')
                : m.Groups["arxiv"].Success ? "arxiv:" + m.Groups["arxiv"].Value
                : m.Groups["pmid"].Success ? "pmid:" + m.Groups["pmid"].Value
                : m.Groups["pmc"].Value;
            var identifier = IdentifierParser.Parse(written);
            if (identifier.Type.LinkFor(identifier) is { } url) yield return (url, identifier);
        }
    }

    /// <summary>The first identifier the text mentions, as a link on <paramref name="line"/>, or null.</summary>
    public static Link? FirstPaper(string text, int line) =>
        All(text).Select(found => new Link("", found.Url, line)).FirstOrDefault();

    /// <summary>Whether the text seems to mention an identifier (a readable one or not): "doi", "arXiv", "PMID", "PMC" followed by digits.</summary>
    public static bool MentionsOne(string text) => Loose().IsMatch(text);

    [GeneratedRegex(@"(?i)\b(?:doi|arxiv|pmid|pmcid)\b\s*[:.]?\s*\S*\d|doi\.org/|arxiv\.org/|\bpmc\d")]
    private static partial Regex Loose();
}
