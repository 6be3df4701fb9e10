using System.Globalization;
using System.Text;

namespace BibTool.Text;

/// <summary>
/// Folds text to plain ASCII (for citation keys): accents dropped ("Müller" → "Muller"), and any
/// other script transliterated with AnyAscii ("张伟" → "ZhangWei", "Иванов" → "Ivanov"), so a key
/// names its author in every language instead of falling back to "ref".
/// </summary>
public static class Ascii
{
    /// <summary>A–Z, a–z, 0–9: the characters every identifier-like check here starts from.</summary>
    public const string LettersAndDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly Dictionary<char, string> Special = new()
    {
        ['ß'] = "ss", ['æ'] = "ae", ['Æ'] = "AE", ['œ'] = "oe", ['Œ'] = "OE", ['ø'] = "o", ['Ø'] = "O",
        ['ł'] = "l", ['Ł'] = "L", ['đ'] = "d", ['Đ'] = "D", ['ð'] = "d", ['Ð'] = "D", ['þ'] = "th", ['Þ'] = "Th", ['ı'] = "i",
    };

    public static string Fold(string text)
    {
        if (System.Text.Ascii.IsValid(text)) return text;
        var sb = new StringBuilder(text.Length);
        foreach (var rune in UnicodeNormalization.Decompose(Scrub.Surrogates(text)).EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark) continue;
            if (rune.IsAscii) sb.Append((char)rune.Value);
            else if (rune.IsBmp && Special.TryGetValue((char)rune.Value, out var replacement)) sb.Append(replacement);
            else sb.Append(AnyAscii.Transliteration.Transliterate(rune.ToString()));
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
