using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BibTool.Export;
using BibTool.Identifiers;
using BibTool.Model;

namespace BibTool.BibFiles;

/// <summary>
/// Refreshing a user's RIS file as <see cref="BibRefresher"/> refreshes a .bib: a record's DO, AN
/// (arXiv:…) or UR names its work; a managed tag (TI, AU, PY, T2, VL, IS, SP/EP, DO) is rewritten
/// only when its meaning differs and added (before ER) when the record lacks it; every other line
/// stays as it is, line endings included.
/// </summary>
public static partial class RisRefresher
{
    [GeneratedRegex(@"^([A-Z][A-Z0-9])  - ?(.*?)\r?$")]
    private static partial Regex TagLine();

    private sealed record Line(string Tag, string Value, int Start, int ValueStart, int End);

    private sealed record Record(List<Line> Lines, int Number, int LineNumber)
    {
        public string? this[string tag] => Lines.FirstOrDefault(l => l.Tag == tag)?.Value;
    }

    public static List<Identifier> Identifiers(string path, string text) => Read(path, text).Select(IdentifierOf).ToList();

    private static Identifier IdentifierOf(Record r)
    {
        if (r["DO"] is { } doi && BibRefresher.DoiField(doi) is { IsResolvable: true } byDoi) return byDoi;
        if (r.Lines.FirstOrDefault(l => l.Tag == "AN" && l.Value.StartsWith("arXiv:", StringComparison.OrdinalIgnoreCase)) is { } an
            && IdentifierParser.Parse(an.Value.Split(' ')[0]) is { } byArxiv && byArxiv.Type == IdentifierType.Arxiv) return byArxiv;
        if (r["UR"] is { } url && IdentifierParser.Parse(url.Trim()) is { IsResolvable: true } byUrl) return byUrl;
        return Identifier.None;
    }

    public static BibRefreshResult Refresh(string path, string text, Func<Identifier, Work?> lookup)
    {
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var edits = new List<(int Start, int End, string Text)>();
        var changes = new List<BibChange>();
        var skipped = new List<(BibRecord, string)>();
        var checkedWorks = new List<(BibRecord, Work)>();
        foreach (var record in Read(path, text))
        {
            var key = record["ID"] ?? $"record {record.Number}";
            var stub = new BibRecord(record["TY"] ?? "", key, [], 0, 0, record.LineNumber);
            var id = IdentifierOf(record);
            if (!id.IsResolvable) { skipped.Add((stub, "no DO, AN arXiv id or UR")); continue; }
            if (lookup(id) is not { Provenance.IsResolved: true } w) { skipped.Add((stub, $"{id} not resolved")); continue; }
            checkedWorks.Add((stub, w));
            var end = record.Lines.First(l => l.Tag == "ER");
            var additions = new StringBuilder();

            void One(string tag, string? value, Func<string, bool> same)
            {
                if (value is null) return;
                var line = record.Lines.FirstOrDefault(l => l.Tag == tag);
                if (line is null)
                {
                    additions.Append(tag).Append("  - ").Append(value).Append(newline);
                    changes.Add(new BibChange(key, tag, null, value));
                }
                else if (!same(line.Value))
                {
                    edits.Add((line.ValueStart, line.End, value));
                    changes.Add(new BibChange(key, tag, line.Value, value));
                }
            }
            // The field table's refreshed rows with a RIS tag (RIS values are plain text already).
            void Rows(IEnumerable<FieldRow> rows)
            {
                foreach (var row in rows)
                    if (row.Same is { } same && row.RefreshIf(w) && row.Ris is { } field) One(field.Name, field.Value(w), v => same(w, v));
            }
            bool Plain(string mine, string? upstream) => upstream is not null && BibTool.Text.Ascii.KeyPart(mine) == BibTool.Text.Ascii.KeyPart(upstream);

            Rows(FieldTable.Titles);
            var authors = record.Lines.Where(l => l.Tag is "AU" or "A1").ToList();
            if (w.Authors.Count > 0 && !SameFamilies(authors.Select(a => a.Value).ToList(), w.Authors))
            {
                var lines = string.Concat(w.Authors.Select(a => "AU  - " + Fields.PersonName(a) + newline));
                if (authors.Count == 0) additions.Append(lines);
                else
                {
                    // The new authors take the place of the old ones.
                    edits.Add((authors[0].Start, authors[0].End + LineEndLength(text, authors[0].End), lines));
                    foreach (var old in authors.Skip(1)) edits.Add((old.Start, old.End + LineEndLength(text, old.End), ""));
                }
                changes.Add(new BibChange(key, "AU", authors.Count == 0 ? null : string.Join("; ", authors.Select(a => a.Value)), string.Join("; ", w.Authors.Select(Fields.PersonName))));
            }
            One("PY", w.Issued?.Year.ToString(CultureInfo.InvariantCulture), v => new string(v.TakeWhile(char.IsAsciiDigit).ToArray()) == w.Issued?.Year.ToString(CultureInfo.InvariantCulture));
            // T2 as the writer fills it (a conference's event, a book's series); JF is the journal.
            var venueTag = record["T2"] is not null || record["JF"] is null ? "T2" : "JF";
            var venue = w.IsPreprint ? null : venueTag == "T2" ? RisWriter.T2(w) : w.ContainerTitle;
            One(venueTag, venue, v => Plain(v, venue) || Plain(v, w.ContainerTitle) || Plain(v, w.ContainerTitleShort));
            Rows(FieldTable.Numbering);
            var pages = w.Page ?? w.ArticleNumber;
            if (pages is not null)
            {
                var dash = pages.IndexOfAny(['-', '–', '—']);
                var (first, last) = dash > 0 ? (pages[..dash].Trim(), pages[(dash + 1)..].Trim('-', '–', '—', ' ')) : (pages.Trim(), null);
                var mine = record["SP"] is { } sp ? sp + (record["EP"] is { } ep ? "-" + ep : "") : null;
                if (mine is null || !Plain(mine, pages))
                {
                    One("SP", first, _ => false);
                    if (last is not null) One("EP", last, _ => false);
                }
            }
            Rows(FieldTable.Identifiers);
            if (additions.Length > 0) edits.Add((end.Start, end.Start, additions.ToString()));
        }
        return new BibRefreshResult(TextEdits.Apply(text, edits), changes, skipped, checkedWorks);
    }

    private static int LineEndLength(string text, int at) => at < text.Length && text[at] == '\r' ? (at + 1 < text.Length && text[at + 1] == '\n' ? 2 : 1) : at < text.Length && text[at] == '\n' ? 1 : 0;

    private static bool SameFamilies(List<string> mine, IReadOnlyList<Name> upstream)
    {
        if (mine.Count != upstream.Count) return false;
        return mine.Zip(upstream).All(pair =>
            BibRefresher.SameFamily(BibTool.Text.Ascii.KeyPart(pair.First.Split(',')[0]), BibTool.Text.Ascii.KeyPart(BibRefresher.FamilyText(pair.Second))));
    }

    /// <summary>Records from TY to ER with each tag line's position; a record left open is an error naming its line.</summary>
    private static List<Record> Read(string path, string text)
    {
        var records = new List<Record>();
        List<Line>? current = null;
        var startLine = 0;
        var lineNumber = 0;
        for (var pos = 0; pos < text.Length;)
        {
            lineNumber++;
            var newline = text.IndexOf('\n', pos);
            var end = newline < 0 ? text.Length : newline;
            var contentEnd = end > pos && text[end - 1] == '\r' ? end - 1 : end;
            var match = TagLine().Match(text[pos..contentEnd]);
            if (match.Success)
            {
                var tag = match.Groups[1].Value;
                var value = match.Groups[2].Value;
                var line = new Line(tag, value, pos, pos + match.Groups[2].Index, contentEnd);
                if (tag == "TY")
                {
                    if (current is not null) throw new BibParseException($"{path}:{lineNumber}: TY before the ER of the record on line {startLine}");
                    current = [line];
                    startLine = lineNumber;
                }
                else if (current is null) throw new BibParseException($"{path}:{lineNumber}: {tag} outside a record (no TY before it)");
                else
                {
                    current.Add(line);
                    if (tag == "ER") { records.Add(new Record(current, records.Count + 1, startLine)); current = null; }
                }
            }
            else if (current is not null && text[pos..contentEnd].Trim().Length > 0)
            {
                // A continuation line (an abstract over several lines) belongs to the tag above it: kept as it is.
            }
            pos = newline < 0 ? text.Length : newline + 1;
        }
        if (current is not null) throw new BibParseException($"{path}:{startLine}: the record is not closed by ER");
        return records;
    }
}
