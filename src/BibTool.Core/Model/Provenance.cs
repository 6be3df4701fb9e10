namespace BibTool.Model;

/// <summary>
/// Where a work's metadata came from and how its identifier led there: what reports, audits and
/// the merging of rows read. Writers never format from it.
/// </summary>
public sealed class Provenance
{
    /// <summary>The source that gave the metadata (crossref, arxiv, survey …).</summary>
    public string Source { get; set; } = "";

    /// <summary>False when nothing was resolved and the record is built from the survey alone.</summary>
    public bool IsResolved { get; set; } = true;

    /// <summary>The key of the identifier whose record gave the metadata (a PMCID's work is its DOI's): rows naming either are one work.</summary>
    public string? Canonical { get; set; }

    /// <summary>How the identifier led to the metadata: "identifier", "pmcid via pmc", "search", … (for reports).</summary>
    public string? MatchedBy { get; set; }

    /// <summary>The match score when a search found the work.</summary>
    public double? Score { get; set; }

    /// <summary>How the published version was found when the preprint's record does not name it (a title and author search, with its score).</summary>
    public string? PublishedFoundBy { get; set; }
}
