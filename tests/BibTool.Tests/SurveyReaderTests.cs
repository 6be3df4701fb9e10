using BibTool.Identifiers;
using BibTool.Survey;
using BibTool.Tests.Support;

namespace BibTool.Tests;

public class SurveyReaderTests
{
    private static readonly Survey.Survey Seed = SurveyReader.ReadFile(TestPaths.SeedSurvey);

    [Fact]
    public void SeedSurveyEveryRowInFileOrder()
    {
        // Every table row of the seed, counted independently of Markdig: lines that start with '|'
        // minus each table's header and delimiter lines.
        var lines = File.ReadAllLines(TestPaths.SeedSurvey);
        var rowLines = new List<int>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith('|')) continue;
            static bool IsDelimiter(string line) =>
                line.Replace(" ", "").Trim('|').Split('|').All(c => c.Length > 0 && c.Trim(':').Length > 0 && c.Trim(':').All(ch => ch == '-'));
            var isHeader = i + 1 < lines.Length && IsDelimiter(lines[i + 1]);
            var isDelimiter = IsDelimiter(lines[i]);
            if (!isHeader && !isDelimiter) rowLines.Add(i + 1);
        }
        Assert.Equal(151, rowLines.Count);
        Assert.Equal(rowLines, Seed.Entries.Select(e => e.Line));
        Assert.Empty(Seed.Diagnostics);
    }

    [Fact]
    public void SeedSurveyTablesAndCategories()
    {
        var tables = Seed.Entries.Select(e => (e.Category, e.Table)).Distinct().ToList();
        Assert.Equal(10, tables.Count);
        Assert.Equal(("Healthcare and Medical Foundation Models", "Language Models"), tables[0]);
        Assert.Equal(("Datasets for Foundation Model", "Multi-Modal"), tables[^1]);
        Assert.Equal(26, Seed.Entries.Count(e => e.Table == "Language Models"));
    }

    [Fact]
    public void ModelRowCarriesEveryColumnAndItsRoles()
    {
        var meditron = Seed.Entries.Single(e => e.Name == "Meditron");
        Assert.Equal("MEDITRON-70B: Scaling Medical Pretraining for Large Language Models", meditron.PaperTitle);
        Assert.Equal("https://arxiv.org/abs/2311.16079", meditron.PaperUrl);
        Assert.Equal("https://github.com/epfLLM/meditron", meditron.CodeUrl);
        Assert.Equal(new Identifier(IdentifierType.Arxiv, "2311.16079", ""), meditron.Identifier);
        Assert.Equal("LLaMA 2", meditron.Column("Base"));
        Assert.Equal("GAP-Replay*", meditron.Column("Pre-Training Data"));
        Assert.Equal("Medicine", meditron.Column("subfield"));
        Assert.Equal(["Model", "Subfield", "Paper", "Code", "Base", "Pre-Training Data"], meditron.Cells.Select(c => c.Key));
    }

    [Fact]
    public void DatasetRowFindsThePaperInsideTheFirstCell()
    {
        var medbench = Seed.Entries.Single(e => e.Name == "MedBench");
        Assert.Equal("Datasets for Foundation Model", medbench.Category);
        Assert.Equal("Text", medbench.Table);
        Assert.Equal("https://doi.org/10.26599/bdma.2024.9020044", medbench.PaperUrl);
        Assert.Equal("10.26599/bdma.2024.9020044", medbench.Identifier.Value);
        // "DOI" is a label, not a title; the Link column is the dataset's site, not code.
        Assert.Equal("", medbench.PaperTitle);
        Assert.Equal("", medbench.CodeUrl);
        Assert.Equal("Official site", medbench.Column("Link"));

        var meadow = Seed.Entries.Single(e => e.Name == "Medical Meadow");
        Assert.Equal("https://github.com/kbressem/medAlpaca", meadow.CodeUrl);
    }

    [Fact]
    public void RowsWithoutAPaper()
    {
        var pulse = Seed.Entries.Single(e => e.Name == "PULSE");
        Assert.Equal(IdentifierType.None, pulse.Identifier.Type);
        Assert.Equal("https://github.com/openmedlab/PULSE", pulse.CodeUrl);
        Assert.True(pulse.Cells.Single(c => c.Key == "Paper").Value.IsNone);
        Assert.Equal(["PULSE", "ClinicalTrials.gov", "3M-US", "ISIC", "TCGA"],
            Seed.Entries.Where(e => e.Identifier.Type == IdentifierType.None).Select(e => e.Name));
    }

    [Fact]
    public void SeedIdentifiersAsACarefulReaderWouldWriteThem()
    {
        string Id(string name) => Seed.Entries.First(e => e.Name == name).Identifier.ToString();
        Assert.Equal("doi:10.1038/s41586-023-06555-x", Id("RETFound"));
        Assert.Equal("doi:10.1038/s42256-024-00807-9", Id("Pai et al."));
        Assert.Equal("doi:10.1039/d4sc00966e", Id("nach0"));
        Assert.Equal("doi:10.1101/2024.01.14.575543", Id("OmniNA"));
        Assert.Equal("openreview:QzTpTRVtrP", Id("LaBraM"));
        Assert.Equal("doi:10.1186/s12911-019-0761-8", Id("webMedQA"));
        Assert.Equal("pmcid:PMC6345440", Id("Kather Colon Dataset"));
        Assert.Equal("pmid:30035154", Id("DeepLesion"));
        Assert.Equal("url:https://proceedings.mlr.press/v259/fallahpour25a.html", Id("EHRMamba"));
        Assert.Equal("doi:10.1609/AAAI.V33I01.3301590", Id("CheXpert"));
    }

    [Fact]
    public void RowsSharingAPaperAreOneWork()
    {
        var byWork = Seed.Entries.Where(e => e.Identifier.Type != IdentifierType.None).GroupBy(e => e.Identifier).ToList();
        Assert.Equal(125, byWork.Count);
        var pmcOa = byWork.Single(g => g.Key.Value == "10.1007/978-3-031-43993-3_51");
        Assert.Equal(["PMC-CLIP", "PMC-OA", "PathCap"], pmcOa.Select(e => e.Name));
        Assert.Equal(3, byWork.Single(g => g.Key.Value == "10.1038/s41467-024-52417-z").Count());
    }

    [Fact]
    public void OtherAwesomeListShapes()
    {
        const string markdown = """
            # Papers

            ## Segmentation

            | Title | Venue | PDF | Repo |
            |---|---|---|---|
            | *Segment* **Anything** in `Medical` Images | Nature Comms | [pdf](https://www.nature.com/articles/s41467-024-44824-z) | [code](https://github.com/bowang-lab/MedSAM) |
            | A \| B: escaped pipes | - | [link](https://arxiv.org/abs/2304.12306v2) | — |
            | Empty cells |  |  |  |
            | Ragged | row |

            ## Reading list

            - [Attention Is All You Need](https://arxiv.org/abs/1706.03762) ([code](https://github.com/tensorflow/tensor2tensor))
            - [Contents](#papers)
              - [Nested paper](https://doi.org/10.1145/3458754)
            - plain text item
            """;
        var survey = SurveyReader.Read(markdown, "list.md");
        var rows = survey.Entries.ToList();
        Assert.Equal(6, rows.Count);

        Assert.Equal("Segment Anything in Medical Images", rows[0].Name);
        Assert.Equal("Segmentation", rows[0].Category);
        Assert.Equal("doi:10.1038/s41467-024-44824-z", rows[0].Identifier.ToString());
        Assert.Equal("https://github.com/bowang-lab/MedSAM", rows[0].CodeUrl);
        Assert.Equal("", rows[0].PaperTitle);

        Assert.Equal("A | B: escaped pipes", rows[1].Name);
        Assert.Equal("2304.12306", rows[1].Identifier.Value);
        Assert.Equal("v2", rows[1].Identifier.Version);
        Assert.True(rows[1].Cells[1].Value.IsNone);

        Assert.Equal(IdentifierType.None, rows[2].Identifier.Type);
        Assert.Equal("Ragged", rows[3].Name);
        Assert.Contains(survey.Diagnostics, d => d.Line == 10 && d.Message.Contains("2 cells but the header has 4") && !d.IsError);

        Assert.Equal("Attention Is All You Need", rows[4].Name);
        Assert.Equal("Attention Is All You Need", rows[4].PaperTitle);
        Assert.Equal("https://github.com/tensorflow/tensor2tensor", rows[4].CodeUrl);
        Assert.Equal("Reading list", rows[4].Category);
        Assert.Equal(14, rows[4].Line);
        // The anchor-only item is skipped; its nested item is read.
        Assert.Equal("Nested paper", rows[5].Name);
        Assert.DoesNotContain(rows, r => r.Name == "Contents");
    }

    [Fact]
    public void ALinkThatIsNotAUrlIsAWarningNamingTheLine()
    {
        const string markdown = "| Model | Paper |\n|---|---|\n| X | [paper](papers/x.pdf) |\n";
        var survey = SurveyReader.Read(markdown, "s.md");
        var warning = Assert.Single(survey.Diagnostics);
        Assert.Equal("s.md:3: link 'paper' points to 'papers/x.pdf', which is not a web URL", warning.ToString());
        Assert.False(warning.IsError);
    }

    [Fact]
    public void NoTablesIsAnError()
    {
        var survey = SurveyReader.Read("# Just prose\n\nNothing to list.\n", "prose.md");
        var error = Assert.Single(survey.Diagnostics);
        Assert.True(error.IsError);
        Assert.Equal("prose.md: no tables or link lists found", error.ToString());
    }

    [Fact]
    public void MissingFileIsAOneLineError()
    {
        var e = Assert.Throws<SurveyException>(() => SurveyReader.ReadFile("/no/such/survey.md"));
        Assert.Equal("/no/such/survey.md: no such file", e.Message);
    }
}

/// <summary>A long survey is read in chunks; whatever the chunk size, it must read exactly as the whole file.</summary>
public class ChunkedSurveyTests
{
    private static string Describe(Survey.Survey survey) => string.Join("\n",
        survey.Entries.Select(e => $"{e.Line}|{e.Category}|{e.Table}|{e.Name}|{e.PaperTitle}|{e.PaperUrl}|{e.CodeUrl}|{e.Identifier}|" +
            string.Join(";", e.Cells.Select(c => $"{c.Key}={c.Value.Text}[{string.Join(",", c.Value.Links.Select(l => $"{l.Url}@{l.Line}"))}]"))))
        + "\n--\n" + string.Join("\n", survey.Diagnostics.Select(d => $"{d.Line}|{d.Message}|{d.IsError}"));

    public static TheoryData<int> Sizes() => [1, 2, 3, 5, 7, 13, 50];

    [Theory]
    [MemberData(nameof(Sizes))]
    public void TheExampleSurveyReadsTheSameInChunks(int size)
    {
        var markdown = File.ReadAllText(TestPaths.SeedSurvey);
        var whole = SurveyReader.Read(markdown, "s.md", int.MaxValue / 4, int.MaxValue / 4);
        var chunked = SurveyReader.Read(markdown, "s.md", size, 2 * size);
        Assert.Equal(Describe(whole), Describe(chunked));
        Assert.True(whole.Entries.Count > 100);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void LongTablesFencesCommentsAndListsReadTheSameInChunks(int size)
    {
        // SYNTHETIC: a long table (cut between rows, its header repeated), a fenced block holding
        // table-like lines and blank lines, an HTML comment over blank lines, a nested list, a
        // table right after a heading, a row with too many cells.
        var rows = string.Concat(Enumerable.Range(0, 40).Select(i => $"| M{i} | [Paper {i}](https://doi.org/10.1234/x{i}) | [code](https://github.com/a/b{i}) |\n"));
        var markdown = "# Survey\n\n## Models\n\n### Big\n\n| Model | Paper | Code |\n|---|---|---|\n" + rows + "| Extra | [p](https://arxiv.org/abs/2401.00001) | x | y |\n\n" +
            "```\n| Not | A | Table |\n|---|---|---|\n\n| fake | [x](https://doi.org/10.1234/fake) | |\n```\n\n" +
            "<!-- a comment\n\n| Hidden | [h](https://doi.org/10.1234/hidden) |\n\n-->\n\n" +
            "- [Listed paper](https://doi.org/10.1234/listed)\n  - [Nested](https://arxiv.org/abs/2301.00002)\n\n  continued item text\n\n" +
            "### After\n| Model | Paper |\n|---|---|\n| A | [a](https://doi.org/10.1234/a) |\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"| B{i} | [b](https://doi.org/10.1234/b{i}) |\n"));
        var whole = SurveyReader.Read(markdown, "s.md", int.MaxValue / 4, int.MaxValue / 4);
        var chunked = SurveyReader.Read(markdown, "s.md", size, 2 * size);
        Assert.Equal(Describe(whole), Describe(chunked));
        Assert.Contains(whole.Entries, e => e.Name == "M39");
        Assert.DoesNotContain(whole.Entries, e => e.Name is "fake" or "Hidden");
    }

    [Fact]
    public void ASpilledSurveyReadsBackAsReadAndLeavesNoFile()
    {
        var markdown = File.ReadAllText(TestPaths.SeedSurvey);
        var inMemory = SurveyReader.Read(markdown, "s.md", 50, 100);
        string spillFile;
        using (var spilled = SurveyReader.Read(markdown, "s.md", 50, 100, spillAbove: 10))
        {
            var entries = Assert.IsType<SpilledEntries>(spilled.Entries);
            Assert.Equal(inMemory.Entries.Count, entries.Count);
            // Read twice, and once inside another reading: the same entries every time.
            Assert.Equal(Describe(inMemory), Describe(spilled));
            Assert.Equal(Describe(inMemory), Describe(spilled));
            Assert.All(entries.Zip(entries.Reverse()), pair => Assert.NotNull(pair.First));
            spillFile = Assert.Single(Directory.GetFiles(Path.GetTempPath(), $"bibtool-survey-{Environment.ProcessId}-*"));
        }
        Assert.False(File.Exists(spillFile));
    }

    [Fact]
    public void AKilledProcessesSpilledSurveyIsRemovedAndALiveOnesIsNot()
    {
        // SYNTHETIC leftovers: one of a process id no system runs, one of this (running) process,
        // and a user's own file with a like name.
        var dead = Path.Combine(Path.GetTempPath(), $"bibtool-survey-{int.MaxValue - 7}-{Guid.NewGuid():N}.tmp");
        var live = Path.Combine(Path.GetTempPath(), $"bibtool-survey-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        var other = Path.Combine(Path.GetTempPath(), $"bibtool-survey-notes-{Guid.NewGuid():N}.tmp");
        foreach (var file in new[] { dead, live, other }) File.WriteAllText(file, "x");
        try
        {
            using (SurveyReader.Read(File.ReadAllText(TestPaths.SeedSurvey), "s.md", 50, 100, spillAbove: 10)) { }
            Assert.False(File.Exists(dead));
            Assert.True(File.Exists(live));
            Assert.True(File.Exists(other));
        }
        finally
        {
            foreach (var file in new[] { dead, live, other }) File.Delete(file);
        }
    }

    [Fact]
    public void ChunksCutOnlyWhereTheyMay()
    {
        var lines = "a\n\nb\n```\n\nc\n```\n\n| h | i |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |\n\ne".Split('\n');
        var chunks = SurveyReader.Chunks(lines, 1).ToList();
        // Never inside the fence (lines 3-6), never between a table's header and delimiter; rows of
        // the table are cut with its header (line 8) repeated.
        Assert.DoesNotContain(chunks, c => c.Start is 4 or 5 or 6 or 9);
        Assert.Contains(chunks, c => c.Prefix == 2 && c.Lines[0] == lines[8] && c.Lines[1] == lines[9] && c.Start == 11);
        Assert.Equal(lines.Length, chunks.Sum(c => c.End - c.Start));
    }
}
