using System.Text;

namespace BibTool.Text;

/// <summary>URLs and DOIs as inert text: usable as links, unable to act as markup anywhere they are written.</summary>
public static class Links
{
    /// <summary>
    /// Percent-encodes every byte outside RFC 3986's unreserved and reserved characters, plus the
    /// ones TeX or a bibliography parser would read as syntax (backslash, braces, quotes, spaces,
    /// control characters, non-ASCII); a '%' not starting an escape is encoded too.
    /// </summary>
    public static string Inert(string value, string keep = "")
    {
        // The common case, a link or DOI of safe characters only, is returned as it is.
        var safe = keep switch { "" => SafeCharacters, "<>" => SafeWithAngles, _ => null };
        if (safe is not null && value.AsSpan().Trim().IndexOfAnyExcept(safe) < 0) return value.Trim();
        value = Scrub.Surrogates(value.Trim());
        var sb = new StringBuilder(value.Length);
        var bytes = Encoding.UTF8.GetBytes(value);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var c = (char)b;
            var kept = b < 128 && (char.IsAsciiLetterOrDigit(c) || Unreserved.Contains(c) || keep.Contains(c));
            if (c == '%' && i + 2 < bytes.Length && Uri.IsHexDigit((char)bytes[i + 1]) && Uri.IsHexDigit((char)bytes[i + 2])) kept = true;
            if (kept) sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }

    private const string Unreserved = "-._~:/?#[]@!$&'()*+,;=";
    // '%' is not among them: it is kept only before two hex digits, which the full pass checks.
    private static readonly System.Buffers.SearchValues<char> SafeCharacters = System.Buffers.SearchValues.Create(Ascii.LettersAndDigits + Unreserved);
    private static readonly System.Buffers.SearchValues<char> SafeWithAngles = System.Buffers.SearchValues.Create(Ascii.LettersAndDigits + Unreserved + "<>");
}
