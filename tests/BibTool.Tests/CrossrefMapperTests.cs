using System.Text.Json;
using BibTool.Model;
using BibTool.Sources.Crossref;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>Every recorded Crossref work normalizes without losing the fields a bibliography needs.</summary>
public class CrossrefMapperTests
{
    public static TheoryData<string> Works()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestPaths.Fixture("crossref", "works"), "*.json").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Works))]
    public void StructuredAbstractsKeepTheirSectionHeadings(string file)
    {
        var bytes = File.ReadAllBytes(TestPaths.Fixture("crossref", "works", file));
        using var raw = JsonDocument.Parse(bytes);
        if (!raw.RootElement.GetProperty("message").TryGetProperty("abstract", out var markup)) return;
        // The section headings, read from the raw JATS with a pattern of the test's own.
        var headings = System.Text.RegularExpressions.Regex.Matches(markup.GetString()!, @"<jats:title>\s*([^<]+?)\s*</jats:title>")
            .Select(m => m.Groups[1].Value).Where(h => !h.Equals("Abstract", StringComparison.OrdinalIgnoreCase)).ToList();
        var text = CrossrefMapper.Map("doi:x", bytes).Abstract!.Plain;
        Assert.DoesNotContain("Abstract:", text);
        foreach (var heading in headings) Assert.Contains(heading + ": ", text);
    }

    [Theory]
    [MemberData(nameof(Works))]
    public void ThesesAndReportsAreTheInstitutions(string file)
    {
        var bytes = File.ReadAllBytes(TestPaths.Fixture("crossref", "works", file));
        using var raw = JsonDocument.Parse(bytes);
        var m = raw.RootElement.GetProperty("message");
        if (m.GetProperty("type").GetString() is not ("dissertation" or "report") || !m.TryGetProperty("institution", out var institutions)) return;
        // The university or lab, not the library or agency that deposited the record.
        Assert.Equal(institutions[0].GetProperty("name").GetString(), CrossrefMapper.Map("doi:x", bytes).Publisher);
        Assert.NotEqual(m.GetProperty("publisher").GetString(), CrossrefMapper.Map("doi:x", bytes).Publisher);
    }

    [Fact]
    public void RecordedUpdateRelationsReachTheWork()
    {
        // The recorded correction, read here from the raw record.
        var bytes = File.ReadAllBytes(TestPaths.Fixture("crossref", "works", "10.1371%2Fjournal.pone.0033693.json"));
        var update = JsonDocument.Parse(bytes).RootElement.GetProperty("message").GetProperty("updated-by")[0];
        var work = CrossrefMapper.Map("doi:x", bytes);
        var read = Assert.Single(work.UpdatedBy);
        Assert.Equal(update.GetProperty("type").GetString(), read.Kind);
        Assert.Equal(update.GetProperty("DOI").GetString(), read.Doi);
        var parts = update.GetProperty("updated").GetProperty("date-parts")[0];
        Assert.Equal(new DateParts(parts[0].GetInt32(), parts[1].GetInt32(), parts[2].GetInt32()), read.Date);
        Assert.Null(work.Retraction);
        Assert.Equal($"Corrected (notice: doi:{update.GetProperty("DOI").GetString()}, 2012-05-08)", work.Note);

        // A record that names itself as its own new version says nothing.
        var self = CrossrefMapper.Map("doi:x", File.ReadAllBytes(TestPaths.Fixture("crossref", "works", "10.1371%2Fjournal.ppat.1008184.json")));
        Assert.Empty(self.UpdatedBy);
        Assert.Empty(self.UpdateTo);
        Assert.Null(self.Note);
    }

    [Fact]
    public void AllFortySevenRecordingsAreCovered() => Assert.Equal(47, Directory.GetFiles(TestPaths.Fixture("crossref", "works"), "*.json").Length);

    [Theory]
    [MemberData(nameof(Works))]
    public void NormalizesWithoutLoss(string file)
    {
        var bytes = File.ReadAllBytes(TestPaths.Fixture("crossref", "works", file));
        var work = CrossrefMapper.Map("doi:x", bytes);
        using var raw = JsonDocument.Parse(bytes);
        var m = raw.RootElement.GetProperty("message");

        Assert.Equal(m.GetProperty("DOI").GetString(), work.Doi);
        Assert.Equal("https://doi.org/" + m.GetProperty("DOI").GetString(), work.Url);
        Assert.False(string.IsNullOrEmpty(work.Type));

        if (m.TryGetProperty("title", out var title) && title.GetArrayLength() > 0 && title[0].GetString()!.Trim().Length > 0)
        {
            Assert.NotNull(work.Title);
            Assert.DoesNotContain("<", work.Title!.Plain);
            Assert.DoesNotContain("&amp;", work.Title.Plain);
            Assert.DoesNotContain("  ", work.Title.Plain);
            // Every word of the raw title outside its markup survives.
            var rawWords = StripTags(title[0].GetString()!).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.All(rawWords, w => Assert.Contains(w, work.Title.Plain));
        }

        var rawAuthors = m.TryGetProperty("author", out var authors) ? authors.GetArrayLength() : 0;
        Assert.Equal(rawAuthors, work.Authors.Count);
        for (var i = 0; i < rawAuthors; i++)
        {
            var a = authors[i];
            // Names keep every character; runs of white space (no-break spaces included) become one space.
            static string Spaces(string? s) => string.Join(' ', (s ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (a.TryGetProperty("family", out var family)) Assert.Equal(Spaces(family.GetString()), work.Authors[i].Family);
            else if (a.TryGetProperty("name", out var name)) Assert.Equal(Spaces(name.GetString()), work.Authors[i].Literal);
            if (a.TryGetProperty("given", out var given) && a.TryGetProperty("family", out _)) Assert.Equal(Spaces(given.GetString()), work.Authors[i].Given);
        }
        Assert.Equal(m.TryGetProperty("editor", out var editors) ? editors.GetArrayLength() : 0, work.Editors.Count);

        var issued = m.GetProperty("issued").GetProperty("date-parts")[0];
        if (issued[0].ValueKind == JsonValueKind.Number)
        {
            Assert.Equal(issued[0].GetInt32(), work.Issued!.Year);
            if (issued.GetArrayLength() > 1) Assert.Equal(issued[1].GetInt32(), work.Issued.Month);
            if (issued.GetArrayLength() > 2) Assert.Equal(issued[2].GetInt32(), work.Issued.Day);
        }

        void Same(string property, string? actual)
        {
            if (m.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String) Assert.Equal(value.GetString()!.Trim(), actual);
        }
        Same("volume", work.Volume);
        Same("issue", work.Issue);
        Same("page", work.Page);
        Same("article-number", work.ArticleNumber);
        // Preprints, theses and reports name their server, university or lab instead (tested on their own).
        if (m.GetProperty("type").GetString() is not ("posted-content" or "dissertation" or "report") || !m.TryGetProperty("institution", out _)) Same("publisher", work.Publisher);
        Same("publisher-location", work.PublisherPlace);

        if (m.TryGetProperty("container-title", out var container) && container.GetArrayLength() > 0)
        {
            var expected = StripTags(container[0].GetString()!);
            Assert.Equal(expected, work.Type == "book" ? work.CollectionTitle : work.ContainerTitle);
        }
        if (m.TryGetProperty("ISSN", out var issn)) Assert.Equal(issn.EnumerateArray().Select(x => x.GetString()).Distinct(), work.Issn);
        if (m.TryGetProperty("ISBN", out var isbn)) Assert.Equal(isbn.EnumerateArray().Select(x => x.GetString()).Distinct(), work.Isbn);
        if (m.TryGetProperty("abstract", out _))
        {
            Assert.NotNull(work.Abstract);
            Assert.DoesNotContain("<jats:", work.Abstract!.Plain);
            Assert.DoesNotContain("<mml:", work.Abstract.Plain);
            Assert.True(work.Abstract.Plain.Length > 20);
        }
    }

    /// <summary>
    /// The test's own reading of Crossref's markup (independent of the mapper's): entities decoded
    /// until stable (some deposits escape twice), tags dropped, spaces collapsed.
    /// </summary>
    private static string StripTags(string markup)
    {
        for (var i = 0; i < 3; i++) markup = System.Net.WebUtility.HtmlDecode(markup);
        return string.Join(' ', System.Text.RegularExpressions.Regex.Replace(markup, "<[^>]+>", " ").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static Work Load(string file) =>
        CrossrefMapper.Map("doi:x", File.ReadAllBytes(TestPaths.Fixture("crossref", "works", file)));

    [Fact]
    public void TypesAreCslTypes()
    {
        Assert.Equal("article-journal", Load("10.1038%2Fng.3834.json").Type);
        Assert.Equal("paper-conference", Load("10.1145%2F3448016.3452841.json").Type);
        Assert.Equal("chapter", Load("10.1007%2F978-3-662-46370-3_13.json").Type);
        Assert.Equal("book", Load("10.1017%2F9781108348843.json").Type);
        Assert.Equal("thesis", Load("10.14264%2Fuql.2020.791.json").Type);
        Assert.Equal("report", Load("10.2172%2F972169.json").Type);
        Assert.Equal("dataset", Load("10.2210%2Fpdb4hhb%2Fpdb.json").Type);
        var preprint = Load("10.1101%2F097196.json");
        Assert.Equal("article", preprint.Type);
        Assert.True(preprint.IsPreprint);
        Assert.Equal("bioRxiv", preprint.Publisher);
    }

    [Fact]
    public void SubtitleJoinsTheTitle()
    {
        var work = Load("10.1145%2F3448016.3452841.json");
        Assert.StartsWith("Vector Quotient Filters: ", work.Title!.Plain);
    }

    [Fact]
    public void OrganisationAuthorsAreLiteral()
    {
        var work = Load("10.1038%2Fng.3834.json");
        Assert.Contains(work.Authors, a => a.IsLiteral && a.Literal!.Contains("GTEx Consortium"));
    }

    [Fact]
    public void MarkupInTitleKeepsItalics()
    {
        var work = Load("10.1098%2Frspb.2017.0132.json");
        Assert.True(work.Title!.HasStyle);
        Assert.Contains(work.Title.Runs, r => r.Style.HasFlag(TextStyle.Italic));
    }

    [Fact]
    public void DoubleEscapedMarkupBecomesStyle()
    {
        var work = Load("10.5194%2Fcp-2020-95.json");
        Assert.DoesNotContain("&lt;", work.Title!.Plain);
        Assert.DoesNotContain("<sup>", work.Title.Plain);
        Assert.Contains(work.Title.Runs, r => r.Style.HasFlag(TextStyle.Superscript));
    }

    [Fact]
    public void MathMlAbstractIsCleanText()
    {
        var work = Load("10.1155%2F2012%2F291294.json");
        Assert.DoesNotContain("mml", work.Abstract!.Plain);
        Assert.DoesNotContain("Abstract", work.Abstract.Plain[..Math.Min(10, work.Abstract.Plain.Length)]);
    }

    [Fact]
    public void SpecialCharacterDois()
    {
        Assert.Equal("10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v", Load("10.1002%2F1096-9861%2820010212%29430%3A3%3C283%3A%3Aaid-cne1031%3E3.0.co%3B2-v.json").Doi);
        Assert.Equal("10.1890/0012-9658(2006)87[2832:tiopma]2.0.co;2", Load("10.1890%2F0012-9658%282006%2987%5B2832%3Atiopma%5D2.0.co%3B2.json").Doi);
    }

    [Fact]
    public void PreprintKnowsItsPublishedVersion()
    {
        Assert.NotNull(Load("10.1101%2F097196.json").PublishedDoi);
    }

    [Fact]
    public void RetractionNoticeReachesTheNote()
    {
        // SYNTHETIC: no recorded retraction exists (fixtures README); this message is made up in the
        // shape Crossref documents for update notices, to pin the mapping.
        const string json = """
            {"status":"ok","message-type":"work","message":{"DOI":"10.5555/synthetic.1","type":"journal-article",
             "title":["A synthetic retracted article"],"issued":{"date-parts":[[2020,1,2]]},
             "updated-by":[{"DOI":"10.5555/synthetic.retraction","type":"retraction","label":"Retraction","source":"retraction-watch"}]}}
            """;
        var work = CrossrefMapper.Map("doi:10.5555/synthetic.1", System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Equal("Retracted (notice: doi:10.5555/synthetic.retraction)", work.Note);
    }
}
