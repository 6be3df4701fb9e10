using System.Globalization;
using System.Text;

namespace BibTool.Cli;

/// <summary>
/// A plain text table: a header, a rule, one line per row, columns padded to their widest cell
/// (wide East Asian characters count two, combining marks none), no trailing blanks. Rows are
/// held only to measure them. Written by hand because a table library's first use cost the
/// native `list` of the example survey 10 ms of its 32.
/// </summary>
public sealed class PlainTable(params string[] columns)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add([.. cells.Select(c => BibTool.Text.Scrub.OneLine(c))]);

    public void Write(TextWriter writer)
    {
        var widths = columns.Select(Width).ToArray();
        foreach (var row in _rows)
            for (var i = 0; i < widths.Length; i++) widths[i] = Math.Max(widths[i], Width(row[i]));
        var line = new StringBuilder();
        void Emit(string[] cells)
        {
            line.Clear();
            for (var i = 0; i < cells.Length; i++)
            {
                if (i > 0) line.Append("   ");
                line.Append(cells[i]);
                if (i < cells.Length - 1) line.Append(' ', widths[i] - Width(cells[i]));
            }
            writer.WriteLine(line.ToString().TrimEnd());
        }
        Emit(columns);
        writer.WriteLine(new string('─', widths.Sum() + 3 * (widths.Length - 1)));
        foreach (var row in _rows) Emit(row);
    }

    /// <summary>Terminal columns a text takes.</summary>
    public static int Width(string text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format) continue;
            width += IsWide(rune.Value) ? 2 : 1;
        }
        return width;
    }

    // East Asian Wide and Fullwidth blocks, and the emoji planes.
    private static bool IsWide(int c) =>
        c is >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0x303E or >= 0x3041 and <= 0x33FF or >= 0x3400 and <= 0x4DBF
            or >= 0x4E00 and <= 0x9FFF or >= 0xA000 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3 or >= 0xF900 and <= 0xFAFF
            or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFF60 or >= 0xFFE0 and <= 0xFFE6 or >= 0x1F300 and <= 0x1F64F
            or >= 0x1F900 and <= 0x1F9FF or >= 0x20000 and <= 0x3FFFD;
}
