namespace BibTool.Model;

/// <summary>
/// The normalized bibliographic record, in CSL-JSON's vocabulary. Every source maps into it and
/// every writer maps out of it; nothing here says which source a value came from except
/// <see cref="Source"/>, which writers must not branch on.
/// </summary>
public sealed class Work
{
    /// <summary>The identifier key this work was resolved from (doi:…, arxiv:…, url:…).</summary>
    public required string Id { get; init; }

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

    /// <summary>False when nothing was resolved and the record is built from the survey alone.</summary>
    public bool IsResolved { get; set; } = true;

    public string? Note { get; set; }

    /// <summary>Where the metadata came from (crossref, arxiv, survey): for reports, never for formatting.</summary>
    public string Source { get; set; } = "";

    /// <summary>The key of the identifier whose record gave the metadata (a PMCID's work is its DOI's): rows naming either are one work.</summary>
    public string? Canonical { get; set; }

    /// <summary>How the identifier led to the metadata: "identifier", "pmcid via pmc", "search", … (for reports).</summary>
    public string? MatchedBy { get; set; }

    /// <summary>The match score when a search found the work.</summary>
    public double? Score { get; set; }

    public string? Pmid { get; set; }
    public string? Pmcid { get; set; }
    public string? OpenReviewId { get; set; }

    /// <summary>The landing page the survey linked, when the metadata came from elsewhere (the DOI it names).</summary>
    public string? LandingUrl { get; set; }

    public int? Year => Issued?.Year;
}

/// <summary>A personal name (family/given) or an organisation (literal).</summary>
public sealed record Name(string? Family, string? Given = null, string? Literal = null, string? Suffix = null, string? NonDroppingParticle = null)
{
    public static Name Organisation(string literal) => new(null, null, literal);
    public bool IsLiteral => Literal is not null;
    public string Display => IsLiteral ? Literal! : string.Join(" ", new[] { Given, NonDroppingParticle, Family, Suffix }.Where(s => !string.IsNullOrEmpty(s)));
}

public sealed record DateParts(int Year, int? Month = null, int? Day = null);

/// <summary>A work's id at a preprint server: "arxiv", "2401.02458", primary class "cs.LG", version "v2".</summary>
public sealed record Eprint(string Server, string Id, string? Class = null, string? Version = null)
{
    /// <summary>The server as readers write it (arXiv, bioRxiv).</summary>
    public string ServerName => Server switch { "arxiv" => "arXiv", "biorxiv" => "bioRxiv", "medrxiv" => "medRxiv", "chemrxiv" => "ChemRxiv", _ => Server };
}
