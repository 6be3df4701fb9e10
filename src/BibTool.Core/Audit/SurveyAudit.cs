using BibTool.Sources;
using BibTool.Identifiers;
using BibTool.Resolve;
using BibTool.Survey;

namespace BibTool.Audit;

/// <summary>What a survey check found for one row: problems fail the check, notes only inform.</summary>
public sealed record Finding(string Kind, bool IsProblem, SurveyEntry Row, string Message);

/// <summary>
/// Audits a survey against its resolved works: links whose text names another paper, identifiers
/// no source knows, rows not resolved and why, retracted, withdrawn or corrected works (and rows
/// linking a notice instead of its paper), preprints with a published version, one paper listed
/// under two identifiers, and rows that name no paper.
/// </summary>
public static class SurveyAudit
{
    /// <summary>Below this similarity, a link's text and the work's title name different papers.</summary>
    public const double WrongLinkBelow = 0.6;

    public static List<Finding> Check(IReadOnlyList<SurveyEntry> entries, WorkLibrary library)
    {
        var findings = new List<Finding>();
        var firstRowOfWork = new Dictionary<string, SurveyEntry>(StringComparer.Ordinal);
        foreach (var row in entries)
        {
            if (row.Identifier.Type == IdentifierType.None)
            {
                // A cell that mentions an identifier bibtool could not read is a mistake to fix, not a row without a paper.
                var mention = row.Cells.Select(c => c.Value.Text).FirstOrDefault(BibTool.Survey.PlainTextIdentifiers.MentionsOne);
                findings.Add(mention is null
                    ? new("no-paper", false, row, "the row names no paper")
                    : new("unreadable-identifier", true, row, $"the row mentions an identifier that cannot be read: \"{mention}\""));
                continue;
            }
            var (work, problem) = library.Lookup(row.Identifier);
            if (work is null)
            {
                var notFound = problem?.StartsWith("not found", StringComparison.Ordinal) == true;
                findings.Add(new(notFound ? "not-found" : "unresolved", true, row, $"{row.Identifier}: {problem}"));
                continue;
            }
            var title = work.Title?.Plain ?? "";
            // A link text of a few words is a label (a dataset's name), not a title to compare.
            if (row.PaperTitle.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 4 && title.Length > 0 && TitleMatch.Similarity(row.PaperTitle, title) is var score && score < WrongLinkBelow && !title.Contains(row.PaperTitle, StringComparison.OrdinalIgnoreCase))
                findings.Add(new("wrong-link", true, row, $"the link says \"{row.PaperTitle}\" but {row.Identifier} is \"{title}\" (similarity {score:0.00})"));
            // Retractions and expressions of concern fail the check; corrections and new versions inform.
            foreach (var update in work.UpdatedBy)
            {
                var kind = update.IsRetraction ? "retracted" : update.IsConcern ? "concern" : update.Kind == "new_version" ? "new-version" : "corrected";
                findings.Add(new(kind, update.IsRetraction || update.IsConcern, row, $"{row.Identifier}: {update.Describe()}"));
            }
            foreach (var notice in work.UpdateTo)
                findings.Add(new("notice", true, row, $"{row.Identifier} is a {notice.Kind.Replace('_', ' ')} notice for doi:{notice.Doi}, not the paper"));
            if (work.IsPreprint && (work.PublishedDoi ?? work.JournalReference) is { } published)
                findings.Add(new("published", false, row, $"{row.Identifier} has a published version: {(work.PublishedDoi is not null ? "doi:" + work.PublishedDoi : published)}{(work.Provenance.PublishedFoundBy is { } by ? $" (found by a {by})" : "")}"));
            var canonical = work.Provenance.Canonical ?? row.Identifier.WorkKey;
            // A preprint and the journal version its record names are one work too.
            var journal = work is { IsPreprint: true, PublishedDoi: { } doi } ? "doi:" + IdentifierParser.NormalizeDoi(doi) : null;
            if ((firstRowOfWork.TryGetValue(canonical, out var first) || (journal is not null && firstRowOfWork.TryGetValue(journal, out first))) && first.Identifier != row.Identifier)
            {
                var versions = first.Identifier.Type != row.Identifier.Type && (journal is not null || first.Identifier.Type == IdentifierType.Arxiv) ? " (a preprint and its published version)" : "";
                findings.Add(new("duplicate", true, row, $"{row.Identifier} is the same work as {first.Identifier} on line {first.Line}{versions}"));
            }
            else
            {
                firstRowOfWork.TryAdd(canonical, row);
                if (journal is not null) firstRowOfWork.TryAdd(journal, row);
            }
        }
        return findings;
    }
}
