using System.Text;

namespace BibTool.BibFiles;

/// <summary>Replacements of spans of a text (an insertion is an empty span), applied in one pass so a large file with many edits stays linear.</summary>
internal static class TextEdits
{
    public static string Apply(string text, IEnumerable<(int Start, int End, string Text)> edits)
    {
        var sb = new StringBuilder(text.Length + 256);
        var position = 0;
        foreach (var (start, end, replacement) in edits.OrderBy(e => e.Start).ThenBy(e => e.End))
        {
            // Spans never overlap: each one is a distinct value, line or insertion point.
            if (start < position) throw new InvalidOperationException($"overlapping edits at {start}");
            sb.Append(text, position, start - position).Append(replacement);
            position = end;
        }
        return sb.Append(text, position, text.Length - position).ToString();
    }
}
