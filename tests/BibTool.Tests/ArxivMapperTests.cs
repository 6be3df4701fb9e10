using System.Xml.Linq;
using BibTool.Sources.Arxiv;
using BibTool.Tests.Support;

namespace BibTool.Tests;

public class ArxivMapperTests
{
    private static readonly XNamespace Atom = ArxivMapper.Atom;

    public static TheoryData<string> Feeds()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestPaths.Fixture("arxiv"), "*.atom.xml", SearchOption.AllDirectories).Order())
            data.Add(Path.GetRelativePath(TestPaths.Fixture("arxiv"), file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Feeds))]
    public void EveryRecordedEntryNormalizes(string feed)
    {
        var root = XDocument.Load(TestPaths.Fixture("arxiv", feed)).Root!;
        foreach (var entry in root.Elements(Atom + "entry"))
        {
            if (ArxivMapper.IsError(entry))
            {
                Assert.Contains("error", feed);
                continue;
            }
            var work = ArxivMapper.Map("arxiv:x", entry);
            var rawId = (string)entry.Element(Atom + "id")!;
            Assert.EndsWith(work.Eprint!.Id + work.Eprint.Version, rawId);
            Assert.Matches(@"^v\d+$", work.Eprint!.Version);
            Assert.Equal("article", work.Type);
            Assert.True(work.IsPreprint);
            Assert.Equal("arXiv", work.Publisher);
            Assert.Equal($"https://arxiv.org/abs/{work.Eprint!.Id}", work.Url);
            Assert.Equal($"10.48550/arXiv.{work.Eprint!.Id}", work.Doi);
            Assert.Equal(string.Join(' ', ((string)entry.Element(Atom + "title")!).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), work.Title!.Plain);
            Assert.Equal(entry.Elements(Atom + "author").Count(), work.Authors.Count);
            Assert.All(work.Authors, a => Assert.False(string.IsNullOrEmpty(a.Family)));
            var published = DateTime.Parse((string)entry.Element(Atom + "published")!, null, System.Globalization.DateTimeStyles.AdjustToUniversal);
            Assert.Equal(new BibTool.Model.DateParts(published.Year, published.Month, published.Day), work.Issued);
            Assert.Equal((string?)entry.Element(ArxivMapper.ArxivNs + "primary_category")?.Attribute("term"), work.Eprint!.Class);
            Assert.Equal((string?)entry.Element(ArxivMapper.ArxivNs + "doi"), work.PublishedDoi);
            Assert.False(string.IsNullOrWhiteSpace(work.Abstract?.Plain));
            Assert.DoesNotContain("\n", work.Abstract!.Plain);
        }
    }

    [Fact]
    public void LegacyEntryWithJournalReferenceAndDoi()
    {
        var entry = XDocument.Load(TestPaths.Fixture("arxiv", "legacy-format-2019", "id_list-astro-ph%2F9812133.atom.xml")).Root!.Element(Atom + "entry")!;
        var work = ArxivMapper.Map("arxiv:astro-ph/9812133", entry);
        Assert.Equal("astro-ph/9812133", work.Eprint!.Id);
        Assert.Equal("10.1086/307221", work.PublishedDoi);
        Assert.Equal("Astrophys.J.517:565-586,1999", work.JournalReference);
        Assert.Equal("astro-ph", work.Eprint!.Class);
    }

    [Fact]
    public void IssuedIsTheFirstVersionsDate()
    {
        // SYNTHETIC entry: every recorded entry has <published> == <updated>, so this one is made up
        // (third version, updated a year after the first) to pin the decision: issued follows
        // <published>, the first version's date; the version is the latest one returned.
        var entry = XElement.Parse($"""
            <entry xmlns="{Atom}" xmlns:arxiv="{ArxivMapper.ArxivNs}">
              <id>http://arxiv.org/abs/2301.00001v3</id>
              <title>A synthetic preprint</title>
              <updated>2024-05-05T10:00:00Z</updated>
              <published>2023-01-01T09:00:00Z</published>
              <summary>Synthetic.</summary>
              <author><name>Ada Lovelace</name></author>
              <arxiv:primary_category term="cs.LG"/>
            </entry>
            """);
        var work = ArxivMapper.Map("arxiv:2301.00001", entry);
        Assert.Equal(new BibTool.Model.DateParts(2023, 1, 1), work.Issued);
        Assert.Equal("v3", work.Eprint!.Version);
        Assert.Equal("2301.00001", work.Eprint!.Id);
    }

    [Theory]
    [InlineData("Quan Thoi Minh Nguyen", "Nguyen", "Quan Thoi Minh", null, null)]
    [InlineData("Ludwig van Beethoven", "Beethoven", "Ludwig", "van", null)]
    [InlineData("Martin Luther King Jr.", "King", "Martin Luther", null, "Jr.")]
    [InlineData("Plato", "Plato", null, null, null)]
    public void NamesSplit(string raw, string family, string? given, string? particle, string? suffix)
    {
        var name = ArxivMapper.SplitName(raw);
        Assert.Equal(family, name.Family);
        Assert.Equal(given, name.Given);
        Assert.Equal(particle, name.NonDroppingParticle);
        Assert.Equal(suffix, name.Suffix);
    }

    [Fact]
    public void ErrorEntryIsRecognisedByTitleAndAuthor()
    {
        foreach (var file in new[] { "current-format-2026/id_abc_error-400.atom.xml", "legacy-format-2019/id_list-INVALIDID_error-400.atom.xml" })
        {
            var entry = XDocument.Load(TestPaths.Fixture("arxiv", file)).Root!.Element(Atom + "entry")!;
            Assert.True(ArxivMapper.IsError(entry));
        }
    }
}
