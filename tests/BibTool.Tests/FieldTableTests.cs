using System.Text.Json;
using BibTool.BibFiles;
using BibTool.Export;
using BibTool.Identifiers;
using BibTool.Model;

namespace BibTool.Tests;

/// <summary>
/// The field table drives every writer and refresher: each row reaches each format it names, and
/// each refreshed row is rewritten by each refresher. A row added to the table is covered here
/// without a new test. The work is SYNTHETIC, its values written below.
/// </summary>
public class FieldTableTests
{
    private static Work Article(string volume = "622", string issue = "7981", string page = "156-163", string doi = "10.5555/field-table", string title = "A table of fields") => new()
    {
        Id = "doi:10.5555/field-table",
        Type = "article-journal",
        Title = RichText.FromPlain(title),
        Issued = new DateParts(2023, 9, 13),
        ContainerTitle = "Journal of Tables",
        Volume = volume,
        Issue = issue,
        Page = page,
        Doi = doi,
        Url = "https://example.org/field-table",
        Issn = { "1234-5679", "2345-6780" },
        Isbn = { "9783662463697" },
        Publisher = "Table Press",
        PublisherPlace = "Tableton",
        Language = "en",
        Keywords = { "tables", "fields" },
        Abstract = RichText.FromPlain("Rows and columns, each field in its place."),
        Ids = { ["pmid"] = "31234567", ["pmcid"] = "PMC7654321" },
        Authors = { new Name("Zhou", "Yukun") },
    };

    // What each format's file holds under each name, read back as plain text with the format's own reading.
    private static Dictionary<string, string> Fields(string format, string text) => format switch
    {
        "bibtex" or "biblatex" => BibParser.Parse(text).Records.Single().Fields.ToDictionary(f => f.Name, f => f.Value),
        "ris" => text.Split("\r\n").Where(l => l.Length > 6 && l[2..6] == "  - ").GroupBy(l => l[..2]).ToDictionary(g => g.Key, g => g.First()[6..]),
        _ => JsonDocument.Parse(text).RootElement[0].EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString()),
    };

    private static IBibliographyWriter Writer(string format) => format switch
    {
        "bibtex" => new BibTexWriter(),
        "biblatex" => new BibLatexWriter(),
        "ris" => new RisWriter(),
        _ => new CslJsonWriter(),
    };

    private static string EntryType(string format, Work w) => format switch
    {
        "bibtex" => BibTexWriter.EntryType(w),
        "biblatex" => BibLatexWriter.EntryType(w),
        "ris" => FormatTable.For(w).Ris,
        _ => FormatTable.For(w).Csl,
    };

    private static string Write(string format, Work work)
    {
        var output = new StringWriter();
        Writers.WriteAll(Writer(format), [new ExportItem(work, "zhou2023table", [])], output);
        return output.ToString();
    }

    public static TheoryData<string, string> RowsAndFormats()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in FieldTable.All)
            foreach (var format in new[] { "bibtex", "biblatex", "ris", "csljson" })
                if (row.In(format) is not null) data.Add(row.Field + "/" + row.In(format)!.Name, format);
        return data;
    }

    [Theory]
    [MemberData(nameof(RowsAndFormats))]
    public void EveryRowReachesEveryFormatItNames(string rowName, string format)
    {
        var row = FieldTable.All.Single(r => r.Field + "/" + r.In(format)?.Name == rowName);
        var field = row.In(format)!;
        // The first kind of work the format writes this field for (RIS's SN is an ISBN only outside journals).
        var work = new[] { "article-journal", "book", "report", "webpage" }.Select(type => { var w = Article(); w.Type = type; return w; })
            .First(w => field.Applies(EntryType(format, w)));
        // An article number stands in for pages only without pages: the eid row needs one.
        work.ArticleNumber = "e1042";
        var written = Fields(format, Write(format, work));
        Assert.True(written.ContainsKey(field.Name), $"{format} wrote no {field.Name}: {string.Join(", ", written.Keys)}");
        // The same meaning as the work's value (page ranges become "--" in LaTeX; all ISSNs or the first).
        var expected = field.Value(work)!;
        Assert.Equal(BibTool.Text.Ascii.KeyPart(expected), BibTool.Text.Ascii.KeyPart(written[field.Name]));
    }

    public static TheoryData<string, string> RefreshedRowsAndFormats()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in FieldTable.All.Where(r => r.Same is not null))
            foreach (var format in new[] { "bibtex", "biblatex", "ris", "csljson" })
                if (row.In(format) is not null) data.Add(row.Field, format);
        return data;
    }

    [Theory]
    [MemberData(nameof(RefreshedRowsAndFormats))]
    public void EveryRefreshedRowIsRewrittenByEveryRefresher(string rowField, string format)
    {
        // A file written for the work as it was; upstream, every refreshed value has changed.
        var before = Article();
        var after = Article(volume: "623", issue: "7982", page: "201-210", doi: "10.5555/field-table.v2", title: "A revised table of fields");
        var row = FieldTable.All.Single(r => r.Field == rowField);
        var name = row.In(format)!.Name;
        var text = Write(format, before);
        Work? Lookup(Identifier id) => after;
        var result = format switch
        {
            "bibtex" or "biblatex" => BibRefresher.Refresh(BibParser.Parse(text), Lookup),
            "ris" => RisRefresher.Refresh("refs.ris", text, Lookup),
            _ => CslJsonRefresher.Refresh("refs.json", text, Lookup),
        };
        var change = Assert.Single(result.Changes, c => c.Field == name);
        Assert.Equal(BibTool.Text.Ascii.KeyPart(row.In(format)!.Value(after)!), BibTool.Text.Ascii.KeyPart(Fields(format, result.Text)[name]));
        Assert.NotEqual(change.Old, change.New);
    }
}
