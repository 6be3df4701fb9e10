namespace BibTool.Model;

/// <summary>
/// The normalized bibliographic record, in CSL-JSON's vocabulary. Every source maps into it and
/// every writer maps out of it. Three parts: the bibliographic record (these properties), the
/// work's identifiers (<see cref="Doi"/> and <see cref="Eprint"/>, which every format writes, and
/// <see cref="Ids"/> for every other scheme) and its <see cref="Provenance"/>, which writers must
/// not branch on.
/// </summary>
public sealed class Work
{
    /// <summary>The identifier key this work was resolved from (doi:…, arxiv:…, url:…).</summary>
    public required string Id { get; set; }

    /// <summary>CSL item type: article-journal, paper-conference, chapter, book, thesis, report, dataset, article (preprint), webpage …</summary>
    public string Type { get; set; } = "article";

    public RichText? Title { get; set; }
    public List<Name> Authors { get; } = [];
    public List<Name> Editors { get; } = [];
    public DateParts? Issued { get; set; }
    public string? ContainerTitle { get; set; }
    public string? ContainerTitleShort { get; set; }
    public string? CollectionTitle { get; set; }
    public string? EventTitle { get; set; }
    public string? Volume { get; set; }
    public string? Issue { get; set; }
    public string? Page { get; set; }
    public string? ArticleNumber { get; set; }
    public string? Publisher { get; set; }
    public string? PublisherPlace { get; set; }
    public string? Doi { get; set; }
    public string? Url { get; set; }
    public List<string> Issn { get; } = [];
    public List<string> Isbn { get; } = [];
    public RichText? Abstract { get; set; }
    public string? Language { get; set; }
    public List<string> Keywords { get; } = [];

    /// <summary>Thesis or report genre, e.g. "PhD thesis".</summary>
    public string? Genre { get; set; }

    /// <summary>The preprint server's own id (arXiv today; bioRxiv, Research Square … the same way).</summary>
    public Eprint? Eprint { get; set; }
    /// <summary>The journal DOI arXiv records for a preprint that has been published.</summary>
    public string? PublishedDoi { get; set; }

    public string? JournalReference { get; set; }

    /// <summary>True for preprints (arXiv, bioRxiv posted content): writers choose preprint forms.</summary>
    public bool IsPreprint { get; set; }

    public string? Note { get; set; }

    /// <summary>Notices that update this work (Crossref's updated-by: retraction, correction, expression of concern, new version).</summary>
    public List<Update> UpdatedBy { get; } = [];

    /// <summary>Works this record is a notice for (Crossref's update-to: it is a retraction or correction notice itself).</summary>
    public List<Update> UpdateTo { get; } = [];

    /// <summary>Retracted, withdrawn or removed: the reader must be told, and export warns.</summary>
    public Update? Retraction => UpdatedBy.FirstOrDefault(u => u.IsRetraction);

    /// <summary>
    /// The work's identifiers in every other scheme, by the scheme's name as work keys spell it
    /// (pmid, pmcid, openreview, url: the landing page the survey linked when the metadata came
    /// from the DOI it names): one set, whatever schemes the sources know. The DOI and the preprint
    /// id are fields of their own above, since every format writes them.
    /// </summary>
    public SortedDictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    /// <summary>Where the metadata came from and how the work was reached: for reports, audits and deduplication, never for formatting.</summary>
    public Provenance Provenance { get; } = new();

    public int? Year => Issued?.Year;

    /// <summary>A shallow copy (lists, identifier set and provenance shared) for writers that swap one field, never for mutation of those.</summary>
    public Work Copy() => (Work)MemberwiseClone();
}

/// <summary>A personal name (family/given) or an organisation (literal).</summary>
public sealed record Name(string? Family, string? Given = null, string? Literal = null, string? Suffix = null, string? NonDroppingParticle = null)
{
    public static Name Organisation(string literal) => new(null, null, literal);
    public bool IsLiteral => Literal is not null;
    public string Display => IsLiteral ? Literal! : string.Join(" ", new[] { Given, NonDroppingParticle, Family, Suffix }.Where(s => !string.IsNullOrEmpty(s)));
}

public sealed record DateParts(int Year, int? Month = null, int? Day = null);

/// <summary>
/// One update relation between a work and a notice, in Crossref's vocabulary (retraction,
/// withdrawal, removal, correction, erratum, corrigendum, expression_of_concern, new_version …),
/// with the other side's DOI and the date.
/// </summary>
public sealed record Update(string Kind, string? Doi, DateParts? Date = null)
{
    public bool IsRetraction => Kind is "retraction" or "withdrawal" or "removal" or "partial_retraction";
    public bool IsConcern => Kind is "expression_of_concern";

    /// <summary>What a reader is told on the updated work: "Retracted (notice: doi:…, 2020-01-30)".</summary>
    public string Describe()
    {
        var label = Kind switch
        {
            "retraction" => "Retracted",
            "partial_retraction" => "Partly retracted",
            "withdrawal" => "Withdrawn",
            "removal" => "Removed",
            "correction" or "erratum" or "corrigendum" or "addendum" or "clarification" => "Corrected",
            "expression_of_concern" => "Expression of concern",
            "new_version" => "New version",
            _ => "Updated (" + Kind.Replace('_', ' ') + ")",
        };
        var details = new[] { Doi is null ? null : "doi:" + Doi, Date is null ? null : $"{Date.Year:D4}{(Date.Month is { } m ? $"-{m:D2}" : "")}{(Date.Month is not null && Date.Day is { } d ? $"-{d:D2}" : "")}" }
            .Where(x => x is not null).ToList();
        return details.Count == 0 ? label : $"{label} ({(Kind == "new_version" ? "" : "notice: ")}{string.Join(", ", details)})";
    }
}

/// <summary>A work's id at a preprint server: "arxiv", "2401.02458", primary class "cs.LG", version "v2".</summary>
public sealed record Eprint(string Server, string Id, string? Class = null, string? Version = null)
{
    /// <summary>The server as readers write it (arXiv, bioRxiv).</summary>
    public string ServerName => Server switch { "arxiv" => "arXiv", "biorxiv" => "bioRxiv", "medrxiv" => "medRxiv", "chemrxiv" => "ChemRxiv", _ => Server };
}
