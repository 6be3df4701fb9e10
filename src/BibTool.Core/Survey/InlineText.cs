using System.Text;
using Markdig.Syntax.Inlines;

namespace BibTool.Survey;

/// <summary>Flattens Markdown inlines to the text a reader sees, collecting the links on the way.</summary>
internal static class InlineText
{
    public static Cell Read(ContainerInline? inline, int line, Func<LinkInline, bool>? skipLink = null)
    {
        if (inline is null) return Cell.Empty;
        var text = new StringBuilder();
        var links = new List<Link>();
        Append(inline, text, links, line, skipLink);
        return new Cell(Collapse(text.ToString()), links);
    }

    private static void Append(Inline inline, StringBuilder text, List<Link> links, int line, Func<LinkInline, bool>? skipLink)
    {
        switch (inline)
        {
            case LinkInline { IsImage: true }:
                return;
            case LinkInline link:
                var label = new StringBuilder();
                foreach (var child in link) Append(child, label, [], line, null);
                var labelText = Collapse(label.ToString());
                links.Add(new Link(labelText, (link.Url ?? "").Trim(), line + 1));
                if (skipLink is null || !skipLink(link)) text.Append(labelText);
                return;
            case AutolinkInline auto:
                links.Add(new Link(auto.Url, auto.Url, line + 1));
                text.Append(auto.Url);
                return;
            case LiteralInline literal:
                text.Append(literal.Content.ToString());
                return;
            case CodeInline code:
                text.Append(code.Content);
                return;
            case HtmlEntityInline entity:
                text.Append(entity.Transcoded.ToString());
                return;
            case LineBreakInline:
                text.Append(' ');
                return;
            case HtmlInline:
                return;
            case ContainerInline container:
                foreach (var child in container) Append(child, text, links, line, skipLink);
                return;
        }
    }

    public static string Collapse(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }
}
