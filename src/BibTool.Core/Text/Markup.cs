using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using BibTool.Model;

namespace BibTool.Text;

/// <summary>
/// Turns the JATS, HTML and MathML that publishers put into titles and abstracts into clean text,
/// keeping italics, bold, small caps and sub/superscripts as <see cref="TextStyle"/>.
/// Tolerant by design: publisher markup is often not well-formed XML.
/// </summary>
public static partial class Markup
{
    [GeneratedRegex(@"<(?<close>/)?(?<name>[A-Za-z][\w:.\-]*)(?<attrs>(?:\s+[^>]*?)?)(?<self>/)?>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    private static readonly Dictionary<string, TextStyle> Styles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["i"] = TextStyle.Italic, ["em"] = TextStyle.Italic, ["italic"] = TextStyle.Italic,
        ["b"] = TextStyle.Bold, ["strong"] = TextStyle.Bold, ["bold"] = TextStyle.Bold,
        ["sub"] = TextStyle.Subscript, ["inf"] = TextStyle.Subscript,
        ["sup"] = TextStyle.Superscript,
        ["sc"] = TextStyle.SmallCaps,
    };

    // Elements whose content is not reader-visible text (the TeX duplicate of a formula, a heading "Abstract").
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "annotation", "annotation-xml", "title", "label", "script", "style", "xref", "fn",
    };

    private static readonly HashSet<string> GenericHeadings = new(StringComparer.OrdinalIgnoreCase) { "Abstract", "Summary", "Graphical abstract", "Graphical Abstract" };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "sec", "br", "div", "list-item", "li", "abstract", "title", "math", "disp-formula",
    };

    [GeneratedRegex(@"&(?:amp;)*lt;/?[A-Za-z][\w:.\-]*(?:\s[^&]*?)?/?&(?:amp;)*gt;", RegexOptions.CultureInvariant)]
    private static partial Regex EscapedTag();

    public static RichText ToRichText(string? markup, bool skipHeadings = false)
    {
        markup ??= "";
        // Most titles carry no markup at all: no tags, no entities, only spaces to tidy.
        if (markup.AsSpan().IndexOfAny('<', '&') < 0) return RichText.FromPlain(CollapsePlain(markup));
        // Some deposits escape their markup once or twice (&amp;lt;sup&amp;gt;): unwrap it to real tags.
        for (var i = 0; i < 3 && EscapedTag().IsMatch(markup); i++) markup = WebUtility.HtmlDecode(markup);
        var runs = new List<TextRun>();
        var stack = new List<(string Name, TextStyle Style)>();
        var skipDepth = 0;
        var position = 0;
        var headingStart = -1;
        foreach (Match tag in Tag().Matches(markup))
        {
            if (skipDepth == 0) AddText(runs, markup[position..tag.Index], Current(stack));
            position = tag.Index + tag.Length;
            var name = LocalName(tag.Groups["name"].Value);
            var closing = tag.Groups["close"].Success;
            var selfClosing = tag.Groups["self"].Success;
            var skip = Skipped.Contains(name) && (skipHeadings || name != "title");
            if (Blocks.Contains(name) && skipDepth == 0) AddText(runs, " ", TextStyle.None);
            if (selfClosing) continue;
            var heading = skipHeadings && name.Equals("title", StringComparison.OrdinalIgnoreCase);
            if (!closing)
            {
                if (heading && skipDepth == 0) headingStart = position;
                stack.Add((name, Styles.GetValueOrDefault(name)));
                if (skip) skipDepth++;
            }
            else
            {
                var index = stack.FindLastIndex(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
                if (index < 0) continue;
                stack.RemoveRange(index, stack.Count - index);
                if (skip && skipDepth > 0) skipDepth--;
                if (heading && skipDepth == 0 && headingStart >= 0)
                {
                    // A structured abstract's section heading labels its text ("Background: …");
                    // the heading "Abstract" itself says nothing.
                    var label = ToPlain(markup[headingStart..tag.Index]).TrimEnd(':', '.', ' ');
                    if (label.Length > 0 && !GenericHeadings.Contains(label)) AddText(runs, " " + label + ": ", TextStyle.None);
                    headingStart = -1;
                }
            }
        }
        if (skipDepth == 0) AddText(runs, markup[position..], Current(stack));
        return new RichText(CollapseSpaces(runs));
    }

    public static string ToPlain(string? markup, bool skipHeadings = false) => ToRichText(markup, skipHeadings).Plain;

    private static string CollapsePlain(string text)
    {
        var needed = false;
        for (var i = 0; i < text.Length && !needed; i++)
            needed = char.IsWhiteSpace(text[i]) && (text[i] != ' ' || i == 0 || i == text.Length - 1 || text[i + 1] == ' ');
        if (!needed) return text;
        return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static string LocalName(string name)
    {
        var colon = name.LastIndexOf(':');
        return colon >= 0 ? name[(colon + 1)..] : name;
    }

    private static TextStyle Current(List<(string Name, TextStyle Style)> stack)
    {
        var style = TextStyle.None;
        foreach (var (_, s) in stack) style |= s;
        return style;
    }

    private static void AddText(List<TextRun> runs, string text, TextStyle style)
    {
        if (text.Length == 0) return;
        runs.Add(new TextRun(WebUtility.HtmlDecode(text), style));
    }

    private static IEnumerable<TextRun> CollapseSpaces(List<TextRun> runs)
    {
        var previousSpace = true;
        foreach (var run in runs)
        {
            var sb = new StringBuilder(run.Text.Length);
            foreach (var c in run.Text)
            {
                var space = char.IsWhiteSpace(c);
                if (space && previousSpace) continue;
                sb.Append(space ? ' ' : c);
                previousSpace = space;
            }
            yield return run with { Text = sb.ToString() };
        }
    }
}
