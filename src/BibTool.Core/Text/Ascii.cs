using System.Globalization;
using System.Text;

namespace BibTool.Text;

/// <summary>Folds text to plain ASCII letters and digits (for citation keys): "Müller" → "muller", "Ø" → "o".</summary>
public static class Ascii
{
    private static readonly Dictionary<char, string> Special = new()
    {
        ['ß'] = "ss", ['æ'] = "ae", ['Æ'] = "AE", ['œ'] = "oe", ['Œ'] = "OE", ['ø'] = "o", ['Ø'] = "O",
        ['ł'] = "l", ['Ł'] = "L", ['đ'] = "d", ['Đ'] = "D", ['ð'] = "d", ['Ð'] = "D", ['þ'] = "th", ['Þ'] = "Th", ['ı'] = "i",
    };

    public static string Fold(string text)
    {
        if (System.Text.Ascii.IsValid(text)) return text;
        var sb = new StringBuilder(text.Length);
        foreach (var c in Scrub.Surrogates(text).Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (Special.TryGetValue(c, out var replacement)) sb.Append(replacement);
            else if (c < 128) sb.Append(c);
        }
        return sb.ToString();
    }

    public static string KeyPart(string text)
    {
        var folded = Fold(text);
        return string.Create(folded.Count(char.IsAsciiLetterOrDigit), folded, (span, source) =>
        {
            var i = 0;
            foreach (var c in source)
                if (char.IsAsciiLetterOrDigit(c)) span[i++] = char.ToLowerInvariant(c);
        });
    }
}
