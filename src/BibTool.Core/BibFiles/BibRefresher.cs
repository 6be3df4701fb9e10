using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BibTool.Export;
using BibTool.Identifiers;
using BibTool.Model;

namespace BibTool.BibFiles;

/// <summary>One field an entry of the user's file changes: the entry's key, the field, the value before (null: absent) and after.</summary>
public sealed record BibChange(string Key, string Field, string? Old, string New);

/// <summary>What refreshing a .bib file does: the new text, the changes, and the entries it could not check.</summary>
public sealed record BibRefreshResult(string Text, IReadOnlyList<BibChange> Changes, IReadOnlyList<(BibRecord Record, string Reason)> Skipped, IReadOnlyList<(BibRecord Record, Work Work)> Checked)
{
    /// <summary>Edits not made, one line each with file:line (a value the file's encoding cannot hold).</summary>
    public IReadOnlyList<string> Refused { get; init; } = [];
}

/// <summary>
/// Brings a user's .bib file in line with the works its entries identify (doi, eprint, pmid, url),
/// touching only what differs upstream: a managed field (title, author, journal, booktitle, year,
/// month, volume, number, pages, doi) is rewritten only when its meaning differs from the work's
/// (compared as plain text: braces, LaTeX accents, dashes, case and spacing do not count; authors by
/// family names), and added when upstream has it and the entry does not. Every other byte stays:
/// keys, entry order, other fields, @string, @comment, @preamble, comments and layout.
/// </summary>
public static partial class BibRefresher
{
    /// <summary>The identifiers an entry names, most specific first.</summary>
    public static Identifier IdentifierOf(BibRecord record)
    {
        if (record["doi"] is { } doi && DoiField(doi) is { IsResolvable: true } byDoi) return byDoi;
        var eprintType = (record["eprinttype"] ?? record["archiveprefix"])?.Trim().ToLowerInvariant();
        if (record["eprint"] is { } eprint && eprintType is null or "arxiv" && IdentifierParser.Parse("arXiv:" + eprint.Trim()) is { } byEprint && byEprint.Type == IdentifierType.Arxiv) return byEprint;
        if (record["pmid"] is { } pmid && IdentifierParser.ParseKey("pmid:" + pmid.Trim()) is { IsResolvable: true } byPmid) return byPmid;
        if (record["pmcid"] is { } pmcid && IdentifierParser.ParseKey("pmcid:" + pmcid.Trim()) is { IsResolvable: true } byPmcid) return byPmcid;
        if (record["url"] is { } url && IdentifierParser.Parse(url.Trim()) is { IsResolvable: true } byUrl) return byUrl;
        return Identifier.None;
    }

    public static BibRefreshResult Refresh(BibFile file, Func<Identifier, Work?> lookup)
    {
        // An 8-bit file gets TeX escapes for what it lacks, so most values fit; what does not is refused.
        var ascii = !file.Encoding.IsUtf8 || System.Text.Ascii.IsValid(file.Text);
        // The file's own line ending for added fields (a CRLF file stays CRLF).
        var newline = file.Text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var edits = new List<(int Start, int End, string Text)>();
        var changes = new List<BibChange>();
        var skipped = new List<(BibRecord, string)>();
        var checkedWorks = new List<(BibRecord, Work)>();
        var refused = new List<string>();
        foreach (var record in file.Records)
        {
            var id = IdentifierOf(record);
            if (!id.IsResolvable) { skipped.Add((record, "no doi, eprint, pmid or url")); continue; }
            if (lookup(id) is not { Provenance.IsResolved: true } work) { skipped.Add((record, $"{id} not resolved")); continue; }
            checkedWorks.Add((record, work));
            var additions = new List<(string Name, string Value)>();
            foreach (var (name, value, same) in Managed(record, work, ascii))
            {
                if (value is null) continue;
                var field = record.Field(name);
                if (field is { Known: false } || field is not null && same(field.Value) || field is null && !Addable(record, name, work)) continue;
                if (!file.Encoding.CanWrite(value))
                {
                    refused.Add($"{file.Path}:{field?.Line ?? record.Line}: {record.Key}: {name} is left as it is: {file.Encoding.Name} cannot hold the new value ({value})");
                    continue;
                }
                if (field is not null)
                {
                    edits.Add((field.ValueStart, field.ValueEnd, name == "month" ? value : "{" + value + "}"));
                    changes.Add(new BibChange(record.Key, field.Name, file.Text[field.ValueStart..field.ValueEnd], value));
                }
                else
                {
                    additions.Add((name, value));
                    changes.Add(new BibChange(record.Key, name, null, value));
                }
            }
            if (additions.Count > 0) edits.Add(Insertion(file.Text, newline, record, additions));
        }
        return new BibRefreshResult(TextEdits.Apply(file.Text, edits), changes, skipped, checkedWorks) { Refused = refused };
    }

    /// <summary>The managed fields: name, the work's value as this file writes it (null: the work has none), and whether a file value already says the same.</summary>
    private static IEnumerable<(string Name, string? Value, Func<string, bool> Same)> Managed(BibRecord record, Work w, bool ascii)
    {
        string? Text(string? v) => v is null ? null : Latex.Escape(v, ascii);
        bool Plain(string file, string? upstream) => upstream is not null && Fold(file) == Fold(upstream);
        var biblatex = record.Field("journaltitle") is not null || record.Field("date") is not null;

        if (w.Authors.Count > 0) yield return ("author", Latex.Names(w.Authors, ascii), v => SameFamilies(v, w.Authors));
        var type = record.Type.ToLowerInvariant();
        var venue = w.IsPreprint ? null : w.ContainerTitle;
        if (type == "article" || record.Field("journal") is not null || record.Field("journaltitle") is not null)
        {
            var journalField = record.Field("journaltitle") is not null || (biblatex && record.Field("journal") is null) ? "journaltitle" : "journal";
            // The journal's abbreviation is as good as its name.
            yield return (journalField, Text(venue), v => Plain(v, venue) || Plain(v, w.ContainerTitleShort));
        }
        else if (type is "inproceedings" or "incollection" or "inbook" || record.Field("booktitle") is not null)
            yield return ("booktitle", Text(venue), v => Plain(v, venue));
        if (record.Field("date") is not null && w.Issued is { } d)
        {
            var date = d.Month is null ? $"{d.Year:D4}" : d.Day is null ? $"{d.Year:D4}-{d.Month:D2}" : $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}";
            yield return ("date", date, v => v.Trim().StartsWith(d.Year.ToString("D4", CultureInfo.InvariantCulture), StringComparison.Ordinal) && (d.Month is null || v.Trim().Length <= 4 || v.Trim().StartsWith(date[..7], StringComparison.Ordinal)));
        }
        else
        {
            yield return ("year", w.Issued?.Year.ToString(CultureInfo.InvariantCulture), v => Digits(v) == w.Issued?.Year.ToString(CultureInfo.InvariantCulture));
            // Added with the year when the file has none, in the same pass: a refresh reaches its fixed point in one run.
            if (w.Issued?.Month is { } month)
                yield return ("month", Latex.MonthMacros[month - 1], v => MonthOf(v) == month);
        }
        // The rest as the field table says, under the names this file's dialect uses; an entry's
        // existing field is compared whatever its type (the type only limits what is added).
        foreach (var row in FieldTable.All)
        {
            if (row.Same is not { } same || !row.RefreshIf(w) || (biblatex ? row.BibLatex ?? row.BibTex : row.BibTex) is not { } field) continue;
            var value = field.BibValue(w, ascii);
            if (value is not null && field.Kind == FieldKind.Verbatim) value = BibEntry.Verbatim(field.Name, value);
            yield return (field.Name, value, v => same(w, field.Kind == FieldKind.Verbatim ? v : Latex.Decode(v)));
        }
    }

    /// <summary>
    /// A field the entry lacks is added only where its type has it (no volume on a @misc), and
    /// an article number already in biblatex's eid is not added again as pages.
    /// </summary>
    private static bool Addable(BibRecord record, string field, Work w)
    {
        var type = record.Type.ToLowerInvariant();
        var row = FieldTable.All.FirstOrDefault(r => r.BibTex?.Name == field || r.BibLatex?.Name == field);
        return row?.AddTo is not { } addTo || addTo(type, w, name => record[name] is { } value ? Latex.Decode(value) : null);
    }

    /// <summary>Text as compared: LaTeX decoded, folded to ASCII letters and digits, lower case.</summary>
    public static string Fold(string text) => BibTool.Text.Ascii.KeyPart(Latex.Decode(text));

    private static string Digits(string text) => new(text.Where(char.IsAsciiDigit).ToArray());

    private static int? MonthOf(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 12) return n;
        for (var i = 0; i < 12; i++)
            if (t.StartsWith(Latex.MonthMacros[i], StringComparison.Ordinal)) return i + 1;
        return null;
    }

    /// <summary>Authors compared by family names, in order: initials, given-name spelling and particles placed either way do not count.</summary>
    private static bool SameFamilies(string field, IReadOnlyList<Name> authors)
    {
        var families = SplitNames(field).Select(FamilyOf).ToList();
        if (families.Count != authors.Count) return false;
        for (var i = 0; i < families.Count; i++)
        {
            if (!SameFamily(Fold(families[i]), Fold(FamilyText(authors[i])))) return false;
        }
        return true;
    }

    /// <summary>A DOI field as users write it: bare, or a doi.org link.</summary>
    internal static Identifier DoiField(string value) =>
        IdentifierParser.Parse(value.Contains("doi.org", StringComparison.OrdinalIgnoreCase) ? value : "doi:" + value.Trim());

    /// <summary>An upstream author's family name as the refreshers compare it: the particle included, an organisation whole.</summary>
    internal static string FamilyText(Name name) => name.IsLiteral ? name.Literal! : Fields.FamilyWithParticle(name) ?? "";

    /// <summary>Two folded family names are one author's when one ends the other (a particle written on either side).</summary>
    internal static bool SameFamily(string mine, string theirs) =>
        mine.Length > 0 && theirs.Length > 0 && (mine.EndsWith(theirs, StringComparison.Ordinal) || theirs.EndsWith(mine, StringComparison.Ordinal));

    /// <summary>Names split at " and " outside braces, as BibTeX splits them.</summary>
    private static List<string> SplitNames(string field)
    {
        var names = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '{') depth++;
            else if (field[i] == '}') depth--;
            else if (depth == 0 && i + 5 <= field.Length && char.IsWhiteSpace(field[i]) && field.AsSpan(i + 1).StartsWith("and", StringComparison.OrdinalIgnoreCase) && i + 4 < field.Length && char.IsWhiteSpace(field[i + 4]))
            {
                names.Add(field[start..i].Trim());
                start = i + 5;
            }
        }
        names.Add(field[start..].Trim());
        return names.Where(n => n.Length > 0).ToList();
    }

    /// <summary>"Family, Given" → Family; "{Organisation}" → it; "Given Family" → the last word.</summary>
    private static string FamilyOf(string name)
    {
        if (name.StartsWith('{') && name.EndsWith('}')) return name[1..^1];
        var depth = 0;
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '{') depth++;
            else if (name[i] == '}') depth--;
            else if (name[i] == ',' && depth == 0) return name[..i];
        }
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? name : words[^1];
    }

    /// <summary>New fields go after the entry's last one, in its layout (indentation, alignment, trailing comma).</summary>
    private static (int Start, int End, string Text) Insertion(string text, string newline, BibRecord record, List<(string Name, string Value)> additions)
    {
        var last = record.Fields.Count > 0 ? record.Fields[^1] : null;
        string indent = "  ", separator = " = ";
        var at = record.End - 1;
        var trailingComma = false;
        if (last is not null)
        {
            var lineStart = text.LastIndexOf('\n', last.NameStart) + 1;
            var lead = text[lineStart..last.NameStart];
            indent = lead.Length > 0 && lead.All(char.IsWhiteSpace) ? lead : " ";
            var nameEnd = last.NameStart + last.Name.Length;
            separator = text[nameEnd..last.ValueStart];
            at = last.ValueEnd;
            var after = at;
            while (after < record.End - 1 && char.IsWhiteSpace(text[after])) after++;
            if (text[after] == ',') { trailingComma = true; at = after + 1; }
        }
        var oneLine = last is not null && !text[record.Start..record.End].Contains('\n');
        var sb = new StringBuilder();
        foreach (var (name, value) in additions)
        {
            // Keep columns aligned when the file aligns its '=' signs.
            var sep = separator;
            if (last is not null && separator.Contains('=') && separator.IndexOf('=') > 1)
                sep = new string(' ', Math.Max(1, last.Name.Length + separator.IndexOf('=') - name.Length)) + separator[separator.IndexOf('=')..];
            var delimited = name == "month" ? value : "{" + value + "}";
            var field = $"{name}{sep}{delimited}";
            if (trailingComma) sb.Append(oneLine ? " " : newline + indent).Append(field).Append(',');
            else sb.Append(',').Append(oneLine ? " " : newline + indent).Append(field);
        }
        return (at, at, sb.ToString());
    }
}
