using BibTool.Identifiers;

namespace BibTool.Tests;

public class IdentifierParserTests
{
    [Theory]
    // doi.org and dx.doi.org links, case kept for display, lower-cased for comparison
    [InlineData("https://doi.org/10.1038/s41467-024-52417-z", "10.1038/s41467-024-52417-z")]
    [InlineData("https://doi.org/10.1609/AAAI.V38I5.28308", "10.1609/aaai.v38i5.28308")]
    [InlineData("http://dx.doi.org/10.1056/AIoa2300138", "10.1056/aioa2300138")]
    [InlineData("https://doi.org/10.18653/v1/2024.findings-emnlp.989", "10.18653/v1/2024.findings-emnlp.989")]
    [InlineData("doi:10.1093/bib/bbac409", "10.1093/bib/bbac409")]
    [InlineData("DOI: 10.1093/bib/bbac409.", "10.1093/bib/bbac409")]
    [InlineData("10.1145/3458754", "10.1145/3458754")]
    // fragments and queries are dropped
    [InlineData("https://doi.org/10.1038/s41586-023-06291-2#data-availability", "10.1038/s41586-023-06291-2")]
    [InlineData("https://doi.org/10.1145/3458754?utm_source=x", "10.1145/3458754")]
    // DOIs inside publisher URLs
    [InlineData("https://bmcmedinformdecismak.biomedcentral.com/articles/10.1186/s12911-019-0761-8", "10.1186/s12911-019-0761-8")]
    [InlineData("https://onlinelibrary.wiley.com/doi/full/10.1002/jor.1100150407", "10.1002/jor.1100150407")]
    [InlineData("https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0033693", "10.1371/journal.pone.0033693")]
    [InlineData("https://dl.acm.org/doi/10.1145/3458754/pdf", "10.1145/3458754")]
    // nature.com article ids
    [InlineData("https://www.nature.com/articles/s41586-023-06555-x", "10.1038/s41586-023-06555-x")]
    [InlineData("https://www.nature.com/articles/s42256-024-00807-9#Sec11", "10.1038/s42256-024-00807-9")]
    [InlineData("https://www.nature.com/articles/sdata201635", "10.1038/sdata201635")]
    [InlineData("https://www.nature.com/articles/nature15393.pdf", "10.1038/nature15393")]
    // bioRxiv / medRxiv content URLs without .abstract, .full, versions
    [InlineData("https://www.biorxiv.org/content/10.1101/2024.01.14.575543.abstract", "10.1101/2024.01.14.575543")]
    [InlineData("https://www.biorxiv.org/content/10.1101/2024.01.14.575543v2.full", "10.1101/2024.01.14.575543")]
    [InlineData("https://www.medrxiv.org/content/10.1101/2020.03.19.20039354v1.full.pdf", "10.1101/2020.03.19.20039354")]
    [InlineData("https://www.biorxiv.org/content/10.1101/097196v1", "10.1101/097196")]
    // RSC article URLs
    [InlineData("https://pubs.rsc.org/en/content/articlehtml/2024/sc/d4sc00966e", "10.1039/d4sc00966e")]
    [InlineData("https://pubs.rsc.org/en/content/articlelanding/2024/sc/D4SC00966E", "10.1039/d4sc00966e")]
    public void Doi(string link, string expected)
    {
        var id = IdentifierParser.Parse(link);
        Assert.Equal(IdentifierType.Doi, id.Type);
        Assert.Equal(expected, id.Value);
    }

    [Theory]
    // SICI DOIs keep their balanced ( ) < > and ; even percent-encoded
    [InlineData("https://doi.org/10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v", "10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v")]
    [InlineData("https://doi.org/10.1002%2F1096-9861%2820010212%29430%3A3%3C283%3A%3Aaid-cne1031%3E3.0.co%3B2-v", "10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v")]
    [InlineData("https://doi.org/10.1890/0012-9658(2006)87[2832:TIOPMA]2.0.CO;2", "10.1890/0012-9658(2006)87[2832:tiopma]2.0.co;2")]
    // trailing prose punctuation goes, a closing bracket that is not the DOI's goes
    [InlineData("(doi:10.1111/(issn)1442-9993)", "10.1111/(issn)1442-9993")]
    [InlineData("doi:10.1016/j.media.2024.103370).", "10.1016/j.media.2024.103370")]
    public void AwkwardDois(string link, string expected)
    {
        var text = link.StartsWith('(') ? link[1..] : link;
        var id = IdentifierParser.Parse(text);
        Assert.Equal(IdentifierType.Doi, id.Type);
        Assert.Equal(expected, id.Value);
    }

    [Fact]
    public void DoiDisplayKeepsTheSurveysSpelling()
    {
        var id = IdentifierParser.Parse("https://doi.org/10.1109/ISBI56570.2024.10635453");
        Assert.Equal("10.1109/ISBI56570.2024.10635453", id.Display);
        Assert.Equal("10.1109/isbi56570.2024.10635453", id.Value);
        Assert.Equal(id, IdentifierParser.Parse("https://doi.org/10.1109/isbi56570.2024.10635453"));
    }

    [Theory]
    [InlineData("https://arxiv.org/abs/2401.02458", "2401.02458", null)]
    [InlineData("https://arxiv.org/abs/2401.02458v3", "2401.02458", "v3")]
    [InlineData("https://arxiv.org/pdf/2311.16079v1.pdf", "2311.16079", "v1")]
    [InlineData("https://arxiv.org/pdf/2311.16079", "2311.16079", null)]
    [InlineData("https://arxiv.org/html/2404.18416v2", "2404.18416", "v2")]
    [InlineData("https://arxiv.org/abs/0704.0001", "0704.0001", null)]
    [InlineData("arXiv:2304.08247", "2304.08247", null)]
    [InlineData("2304.08247v2", "2304.08247", "v2")]
    // old-style ids, with and without subject class and version
    [InlineData("https://arxiv.org/abs/astro-ph/0601001", "astro-ph/0601001", null)]
    [InlineData("https://arxiv.org/abs/quant-ph/0201082v1", "quant-ph/0201082", "v1")]
    [InlineData("https://arxiv.org/abs/math.GT/0309136", "math.GT/0309136", null)]
    [InlineData("https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001", "v2")]
    [InlineData("arXiv:cond-mat/0211022", "cond-mat/0211022", null)]
    // arXiv's own DataCite DOIs name the arXiv id
    [InlineData("https://doi.org/10.48550/arXiv.2401.02458", "2401.02458", null)]
    public void Arxiv(string link, string expected, string? version)
    {
        var id = IdentifierParser.Parse(link);
        Assert.Equal(IdentifierType.Arxiv, id.Type);
        Assert.Equal(expected, id.Value);
        Assert.Equal(version, id.Version);
    }

    [Theory]
    [InlineData("https://pubmed.ncbi.nlm.nih.gov/30035154/", "pmid", "30035154")]
    [InlineData("https://www.ncbi.nlm.nih.gov/pubmed/11125122", "pmid", "11125122")]
    [InlineData("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6345440/", "pmcid", "PMC6345440")]
    [InlineData("https://pmc.ncbi.nlm.nih.gov/articles/PMC9825602/", "pmcid", "PMC9825602")]
    [InlineData("https://openreview.net/forum?id=QzTpTRVtrP", "openreview", "QzTpTRVtrP")]
    [InlineData("https://openreview.net/pdf?id=Tlsdsb6l9n", "openreview", "Tlsdsb6l9n")]
    [InlineData("https://proceedings.mlr.press/v174/pal22a.html", "url", "https://proceedings.mlr.press/v174/pal22a.html")]
    [InlineData("https://www.mdpi.com/2076-3417/11/14/6421#abstract", "url", "https://www.mdpi.com/2076-3417/11/14/6421")]
    [InlineData("https://arxiv.org/list/cs.LG/recent", "url", "https://arxiv.org/list/cs.LG/recent")]
    [InlineData("", "none", "")]
    [InlineData("not a link", "none", "")]
    public void OtherIdentifiers(string link, string type, string expected)
    {
        var id = IdentifierParser.Parse(link);
        Assert.Equal(type, id.TypeName);
        Assert.Equal(expected, id.Value);
    }
}
