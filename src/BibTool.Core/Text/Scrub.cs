using System.Text;

namespace BibTool.Text;

/// <summary>
/// Text from the network made safe to handle: lone UTF-16 surrogates (which make
/// <see cref="string.Normalize()"/> throw and cannot be encoded) are dropped.
/// </summary>
public static class Scrub
{
    public static bool HasLoneSurrogate(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('\ud800', '\udfff') < 0) return false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            return true;
        }
        return false;
    }

    public static string Surrogates(string text)
    {
        if (!HasLoneSurrogate(text)) return text;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { sb.Append(c).Append(text[++i]); continue; }
            if (!char.IsSurrogate(c)) sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// One line of plain text for line-based formats (RIS, CSV): every line or paragraph separator
    /// and tab becomes a space, other control characters and lone surrogates go, spaces collapse.
    /// </summary>
    public static string OneLine(string value)
    {
        // Most values are one line already: single spaces between words, nothing to drop.
        if (value.Length > 0 && value[0] != ' ' && value[^1] != ' ' && value.AsSpan().IndexOfAny(NotOnOneLine) < 0 && !value.Contains("  ", StringComparison.Ordinal)) return value;
        var sb = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in Surrogates(value))
        {
            if (char.IsWhiteSpace(c) || c is '\u2028' or '\u2029' or '\u0085')
            {
                space = sb.Length > 0;
                continue;
            }
            if (char.IsControl(c) || c is '\ufeff' or '\u200e' or '\u200f' or '\u202a' or '\u202b' or '\u202c' or '\u202d' or '\u202e') continue;
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    // Everything OneLine changes but a space: white space (char.IsWhiteSpace), line and paragraph
    // separators, control characters, the invisible marks it drops, and surrogates.
    private static readonly System.Buffers.SearchValues<char> NotOnOneLine = System.Buffers.SearchValues.Create(
        new string([.. Enumerable.Range(0, 0x20).Select(i => (char)i), .. Enumerable.Range(0x7f, 0x21).Select(i => (char)i),
            '\u00a0', '\u1680', .. Enumerable.Range(0x2000, 11).Select(i => (char)i), '\u2028', '\u2029', '\u202f', '\u205f', '\u3000',
            '\ufeff', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', .. Enumerable.Range(0xd800, 0x800).Select(i => (char)i)]));
}
