using System.Text;

namespace BibTool.Model;

[Flags]
public enum TextStyle { None = 0, Italic = 1, Bold = 2, Subscript = 4, Superscript = 8, SmallCaps = 16 }

public readonly record struct TextRun(string Text, TextStyle Style);

/// <summary>
/// Clean text with the little formatting a writer can use (italics for species names, sub- and
/// superscripts for formulas). Sources strip their markup into this; writers render it.
/// </summary>
public sealed class RichText
{
    public IReadOnlyList<TextRun> Runs { get; }
    public string Plain { get; }

    public RichText(IEnumerable<TextRun> runs)
    {
        Runs = Merge(runs);
        Plain = string.Concat(Runs.Select(r => r.Text));
    }

    private RichText(string plain)
    {
        Runs = plain.Length == 0 ? [] : [new TextRun(plain, TextStyle.None)];
        Plain = plain;
    }

    /// <summary>Unstyled text; the common case, so it skips the merging the styled constructor does.</summary>
    public static RichText FromPlain(string text) => new(text.Trim());

    public bool HasStyle => Runs.Any(r => r.Style != TextStyle.None);

    public override string ToString() => Plain;

    /// <summary>Joins title and subtitle the way CSL styles expect: "Title: Subtitle".</summary>
    public RichText Append(string separator, RichText other) =>
        new(Runs.Append(new TextRun(separator, TextStyle.None)).Concat(other.Runs));

    private static List<TextRun> Merge(IEnumerable<TextRun> runs)
    {
        var merged = new List<TextRun>();
        foreach (var run in runs)
        {
            if (run.Text.Length == 0) continue;
            if (merged.Count > 0 && merged[^1].Style == run.Style)
                merged[^1] = new TextRun(merged[^1].Text + run.Text, run.Style);
            else merged.Add(run);
        }
        // Whitespace runs at the edges carry no meaning and confuse writers.
        if (merged.Count > 0) merged[0] = merged[0] with { Text = merged[0].Text.TrimStart() };
        if (merged.Count > 0) merged[^1] = merged[^1] with { Text = merged[^1].Text.TrimEnd() };
        merged.RemoveAll(r => r.Text.Length == 0);
        return merged;
    }

    /// <summary>CSL-JSON's HTML-like rich text: &lt;i&gt;, &lt;b&gt;, &lt;sub&gt;, &lt;sup&gt;, small caps span.</summary>
    public string ToCslHtml()
    {
        var sb = new StringBuilder();
        foreach (var run in Runs)
        {
            // citeproc reads these strings as HTML-like markup: only angle brackets need protecting.
            var text = run.Text.Replace("<", "&lt;").Replace(">", "&gt;");
            if (run.Style.HasFlag(TextStyle.SmallCaps)) text = $"<span style=\"font-variant:small-caps;\">{text}</span>";
            if (run.Style.HasFlag(TextStyle.Superscript)) text = $"<sup>{text}</sup>";
            if (run.Style.HasFlag(TextStyle.Subscript)) text = $"<sub>{text}</sub>";
            if (run.Style.HasFlag(TextStyle.Bold)) text = $"<b>{text}</b>";
            if (run.Style.HasFlag(TextStyle.Italic)) text = $"<i>{text}</i>";
            sb.Append(text);
        }
        return sb.ToString();
    }
}
