using System.Text.RegularExpressions;
using BibTool.Identifiers;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace BibTool.Survey;

/// <summary>The walk over Markdig's tree: headings, pipe tables and link lists into entries, with warnings on links that go nowhere.</summary>
public static partial class SurveyReader
{
    private sealed class ReadState(string file)
    {
        public string File { get; } = file;
        public string[] Lines = [];
        /// <summary>Lines of the chunk that repeat an earlier table's header (not the file's own at this place).</summary>
        public int Prefix;
        /// <summary>The file line (0-based) of the chunk's first own line.</summary>
        public int Offset;
        /// <summary>Markdig's line in the chunk → the file's line (0-based).</summary>
        public int Map(int line) => line - Prefix + Offset;
        /// <summary>The headings in force; null until the chunk has its own (the chunks before say).</summary>
        public string? Category;
        public string? Table;
        /// <summary>The first entry under the chunk's own category (table) heading; -1 while there is none.</summary>
        public int CategoryFrom = -1, TableFrom = -1;
        public bool SawTable;
        public List<SurveyEntry> Entries { get; } = [];
        public List<SurveyDiagnostic> Diagnostics { get; } = [];
        public void Warn(int line, string message) => Diagnostics.Add(new SurveyDiagnostic(File, line, message, IsError: false));
    }

    private static void Walk(ContainerBlock container, ReadState state)
    {
        foreach (var block in container)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    var title = InlineText.Read(heading.Inline, state.Map(heading.Line)).Text;
                    if (heading.Level <= 2)
                    {
                        (state.Category, state.Table) = (title, "");
                        if (state.CategoryFrom < 0) state.CategoryFrom = state.Entries.Count;
                        if (state.TableFrom < 0) state.TableFrom = state.Entries.Count;
                    }
                    else if (heading.Level == 3)
                    {
                        state.Table = title;
                        if (state.TableFrom < 0) state.TableFrom = state.Entries.Count;
                    }
                    break;
                case Table table:
                    state.SawTable = true;
                    ReadTable(table, state);
                    break;
                case ListBlock list:
                    ReadList(list, state);
                    break;
                case ContainerBlock nested:
                    Walk(nested, state);
                    break;
            }
        }
    }

    private static void ReadTable(Table table, ReadState state)
    {
        TableRow? headerRow = null;
        foreach (var block in table)
            if (block is TableRow { IsHeader: true } row) { headerRow = row; break; }
        if (headerRow is null) return;
        // Markdig pads every row to the widest one; the source line says how many cells were written.
        var headerCount = RawCellCount(state, headerRow);
        var headers = new List<string>();
        foreach (var block in headerRow)
            if (block is TableCell cell && headers.Count < headerCount) headers.Add(ReadCell(cell, state).Text);
        var roles = TableRoles.Find(headers);

        foreach (var block in table)
        {
            if (block is not TableRow { IsHeader: false } row) continue;
            var line = state.Map(row.Line) + 1;
            var written = RawCellCount(state, row);
            var width = Math.Max(written, headers.Count);
            var cells = new List<KeyValuePair<string, Cell>>(width);
            var none = true;
            for (var i = 0; i < width; i++)
            {
                var header = i < headers.Count && headers[i].Length > 0 ? headers[i] : ColumnName(i);
                var cell = i < row.Count && row[i] is TableCell tableCell ? ReadCell(tableCell, state) : Cell.Empty;
                none &= cell.IsNone;
                cells.Add(new(header, cell));
            }
            if (none) continue;
            if (written != headers.Count)
                state.Warn(line, $"row has {written} cells but the header has {headers.Count}");
            state.Entries.Add(BuildEntry(state, line, cells, roles, i => i < row.Count ? row[i] as TableCell : null));
        }
    }

    private static readonly string[] ColumnNames = [.. Enumerable.Range(1, 32).Select(i => $"column {i}")];

    private static string ColumnName(int index) => index < ColumnNames.Length ? ColumnNames[index] : $"column {index + 1}";

    /// <summary>Cells written on the row's source line: unescaped pipes outside code spans, less the outer ones.</summary>
    private static int RawCellCount(ReadState state, TableRow row)
    {
        if (row.Line < 0 || row.Line >= state.Lines.Length) return row.Count;
        var text = state.Lines[row.Line].AsSpan().Trim();
        var separators = 0;
        var inCode = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\') { i++; continue; }
            if (c == '`') inCode = !inCode;
            else if (c == '|' && !inCode) separators++;
        }
        var cells = separators + 1;
        if (text.StartsWith('|')) cells--;
        if (text.EndsWith('|') && !text.EndsWith("\\|") && text.Length > 1) cells--;
        return Math.Max(1, cells);
    }

    private static Cell ReadCell(TableCell cell, ReadState state)
    {
        var paragraph = cell.OfType<LeafBlock>().FirstOrDefault();
        return InlineText.Read(paragraph?.Inline, state.Map(cell.Line));
    }

    private static void ReadList(ListBlock list, ReadState state)
    {
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var paragraph = item.OfType<ParagraphBlock>().FirstOrDefault();
            if (paragraph?.Inline is not null)
            {
                var cell = InlineText.Read(paragraph.Inline, state.Map(paragraph.Line));
                var links = cell.Links.Where(l => !l.Url.StartsWith('#')).ToList();
                if (links.Count > 0)
                {
                    var first = links[0];
                    // "[Title](url)": the link is the paper; its text is the title and the name.
                    var code = links.Skip(1).FirstOrDefault(l => CodeHost().IsMatch(l.Url));
                    var paper = CodeHost().IsMatch(first.Url) && links.Count > 1 ? links.FirstOrDefault(l => !CodeHost().IsMatch(l.Url)) ?? first : first;
                    if (CodeHost().IsMatch(first.Url) && paper == first) code = null;
                    CheckUrl(state, paper);
                    state.Entries.Add(new SurveyEntry
                    {
                        File = state.File,
                        Line = state.Map(paragraph.Line) + 1,
                        Category = state.Category ?? "",
                        Table = state.Table ?? "",
                        Name = paper.Text,
                        PaperTitle = paper.Text,
                        PaperUrl = paper.Url,
                        CodeUrl = code?.Url ?? "",
                        Identifier = IdentifierParser.Parse(paper.Url),
                        Cells = [new("Item", cell)],
                    });
                }
            }
            // Nested lists hold sub-items of their own.
            foreach (var nested in item.OfType<ListBlock>()) ReadList(nested, state);
        }
    }

    private static SurveyEntry BuildEntry(ReadState state, int line, List<KeyValuePair<string, Cell>> cells, TableRoles roles, Func<int, TableCell?> rawCell)
    {
        var nameCell = cells[roles.Name].Value;
        Link? paper = null;
        var paperInNameCell = false;
        if (roles.Paper is { } p && p < cells.Count)
        {
            paper = cells[p].Value.Links.FirstOrDefault();
            paperInNameCell = p == roles.Name;
        }
        if (paper is null && roles.Paper != roles.Name)
        {
            paper = nameCell.Links.FirstOrDefault(l => !CodeHost().IsMatch(l.Url));
            paperInNameCell = paper is not null;
        }
        if (paper is null)
        {
            paper = cells.Where((c, i) => i != roles.Code)
                .SelectMany(c => c.Value.Links)
                .FirstOrDefault(l => IdentifierParser.Parse(l.Url) is { IsResolvable: true } id && id.Type != IdentifierType.Url);
        }

        // No link names the paper: an identifier written as text ("doi:10.1038/…", a bare doi.org or
        // arXiv URL, "arXiv:2304.06975", "PMID: 123", "PMC123") is the row's paper.
        if (paper is null)
            paper = cells.Where((c, i) => i != roles.Code).Select(c => PlainTextIdentifiers.FirstPaper(c.Value.Text, line)).FirstOrDefault(l => l is not null);

        var name = nameCell.Text;
        if (paperInNameCell && paper is not null && paper.Text != nameCell.Text && rawCell(roles.Name) is { } raw)
        {
            // "MedBench ([DOI](...))": the link is a label on the name, not part of it.
            var paragraph = raw.OfType<LeafBlock>().FirstOrDefault();
            var bare = InlineText.Read(paragraph?.Inline, state.Map(raw.Line), skipLink: _ => true).Text;
            name = InlineText.Collapse(EmptyBrackets().Replace(bare, "")).Trim();
        }

        var title = "";
        if (paper is not null && !IsGenericLabel(paper.Text))
        {
            var cellOfPaper = paperInNameCell ? nameCell : roles.Paper is { } pc ? cells[pc].Value : null;
            if (!paperInNameCell || cellOfPaper?.Text == paper.Text) title = paper.Text;
        }

        var code = roles.Code is { } c && c < cells.Count ? cells[c].Value.Links.FirstOrDefault()?.Url : null;
        code ??= cells.Where((_, i) => i != roles.Paper && i != roles.Name)
            .SelectMany(x => x.Value.Links).FirstOrDefault(l => CodeHost().IsMatch(l.Url))?.Url;

        if (paper is not null) CheckUrl(state, paper);
        return new SurveyEntry
        {
            File = state.File,
            Line = line,
            Category = state.Category ?? "",
            Table = state.Table ?? "",
            Name = name,
            PaperTitle = title,
            PaperUrl = paper?.Url ?? "",
            CodeUrl = code ?? "",
            Identifier = paper is null ? Identifier.None : IdentifierParser.Parse(paper.Url),
            Cells = cells,
        };
    }

    private static readonly HashSet<string> GenericLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        "doi", "arxiv", "paper", "pdf", "link", "here", "nature", "science", "nih", "pmc", "pubmed", "mdpi", "mlr", "pmlr",
        "bmc", "neurips", "nips", "icml", "iclr", "cvpr", "iccv", "eccv", "acl", "emnlp", "naacl", "aaai", "ijcai", "miccai",
        "openreview", "nejm", "nejm ai", "cell", "lancet", "jama", "ieee", "acm", "springer", "elsevier", "biorxiv", "medrxiv",
        "github", "code", "website", "official site", "project", "project page", "huggingface", "blog", "preprint",
    };

    private static bool IsGenericLabel(string text) => text.Length == 0 || GenericLabels.Contains(text.Trim());

    private static void CheckUrl(ReadState state, Link link)
    {
        if (link.Url.Length == 0)
            state.Warn(link.Line, $"link '{link.Text}' has no URL");
        else if (!Uri.TryCreate(link.Url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            state.Warn(link.Line, $"link '{link.Text}' points to '{link.Url}', which is not a web URL");
    }
}
