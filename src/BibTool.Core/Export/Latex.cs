using System.Globalization;
using System.Text;
using BibTool.Model;

namespace BibTool.Export;

/// <summary>
/// Turns data into BibTeX/BibLaTeX field text: specials escaped (a title is data, never LaTeX
/// commands), non-ASCII to LaTeX accents for BibTeX (kept as UTF-8 for BibLaTeX), words whose
/// case matters braced one by one, names in "Family, Given" form with organisations braced whole.
/// </summary>
public static partial class Latex
{
    private static readonly Dictionary<char, string> Specials = new()
    {
        // Braces and backslashes from data become brace-balanced text commands: bibtex and biber
        // count "\{" as a brace, so an escaped lone brace could still end a field or swallow an entry.
        // A tilde and a caret are the accents over nothing, the form Zotero's importer reads back.
        ['\\'] = @"{\textbackslash}", ['{'] = @"{\textbraceleft}", ['}'] = @"{\textbraceright}", ['&'] = @"\&", ['%'] = @"\%", ['#'] = @"\#",
        ['_'] = @"\_", ['$'] = @"\$", ['~'] = @"\~{}", ['^'] = @"\^{}",
    };

    // Characters with no combining-accent decomposition. Single curly quotes are the text commands
    // Zotero's BibTeX importer decodes (it reads ` and ' as themselves); double ones are `` and ''.
    // The Unicode hyphens (U+2010, U+2011) are not here: LaTeX's utf8 input typesets them, and Zotero keeps them.
    private static readonly Dictionary<char, string> Letters = new()
    {
        ['ß'] = @"{\ss}", ['æ'] = @"{\ae}", ['Æ'] = @"{\AE}", ['œ'] = @"{\oe}", ['Œ'] = @"{\OE}", ['ø'] = @"{\o}", ['Ø'] = @"{\O}",
        ['å'] = @"{\aa}", ['Å'] = @"{\AA}", ['ł'] = @"{\l}", ['Ł'] = @"{\L}", ['ı'] = @"{\i}", ['đ'] = @"{\dj}", ['Đ'] = @"{\DJ}",
        ['–'] = "--", ['—'] = "---", ['‘'] = @"{\textquoteleft}", ['’'] = @"{\textquoteright}", ['“'] = "``", ['”'] = "''", ['…'] = @"{\ldots}",
        ['\u00a0'] = "~", ['\u2009'] = @"\,", ['\u202f'] = @"\,", ['°'] = @"{\textdegree}", ['±'] = @"{\textpm}", ['×'] = @"{\texttimes}",
        ['·'] = @"{\textperiodcentered}", ['©'] = @"{\textcopyright}", ['®'] = @"{\textregistered}", ['™'] = @"{\texttrademark}",
        ['€'] = @"{\texteuro}", ['£'] = @"{\pounds}", ['§'] = @"{\S}", ['¶'] = @"{\P}", ['¿'] = @"{?`}", ['¡'] = @"{!`}",
        ['«'] = @"{\guillemotleft}", ['»'] = @"{\guillemotright}", ['′'] = "'", ['−'] = "-",
        ['α'] = @"$\alpha$", ['β'] = @"$\beta$", ['γ'] = @"$\gamma$", ['δ'] = @"$\delta$", ['ε'] = @"$\epsilon$", ['ζ'] = @"$\zeta$",
        ['η'] = @"$\eta$", ['θ'] = @"$\theta$", ['ι'] = @"$\iota$", ['κ'] = @"$\kappa$", ['λ'] = @"$\lambda$", ['μ'] = @"$\mu$",
        ['µ'] = @"$\mu$", ['ν'] = @"$\nu$", ['ξ'] = @"$\xi$", ['π'] = @"$\pi$", ['ρ'] = @"$\rho$", ['σ'] = @"$\sigma$", ['τ'] = @"$\tau$",
        ['υ'] = @"$\upsilon$", ['φ'] = @"$\phi$", ['χ'] = @"$\chi$", ['ψ'] = @"$\psi$", ['ω'] = @"$\omega$", ['Γ'] = @"{$\Gamma$}",
        ['Δ'] = @"{$\Delta$}", ['Θ'] = @"{$\Theta$}", ['Λ'] = @"{$\Lambda$}", ['Ξ'] = @"{$\Xi$}", ['Π'] = @"{$\Pi$}", ['Σ'] = @"{$\Sigma$}",
        ['Φ'] = @"{$\Phi$}", ['Ψ'] = @"{$\Psi$}", ['Ω'] = @"{$\Omega$}", ['≤'] = @"$\leq$", ['≥'] = @"$\geq$", ['≈'] = @"$\approx$",
        ['→'] = @"$\rightarrow$", ['←'] = @"$\leftarrow$", ['∞'] = @"$\infty$", ['√'] = @"$\surd$",
    };

    private static readonly Dictionary<char, string> Accents = new()
    {
        ['\u0301'] = "'", ['\u0300'] = "`", ['\u0302'] = "^", ['\u0303'] = "~", ['\u0308'] = "\"", ['\u0327'] = "c ", ['\u030c'] = "v ",
        ['\u0304'] = "=", ['\u0307'] = ".", ['\u030a'] = "r ", ['\u0306'] = "u ", ['\u030b'] = "H ", ['\u0328'] = "k ", ['\u0323'] = "d ",
    };

    private static readonly System.Buffers.SearchValues<char> NeedsWork = System.Buffers.SearchValues.Create(
        "\\{}&%#_$~^\"\u007f\u2028\u2029" + new string(Enumerable.Range(0, 32).Select(i => (char)i).ToArray()));

    /// <summary>Text <see cref="Escape"/> returns as it is, in either mode: ASCII with no special or control character.</summary>
    private static bool NothingToEscape(ReadOnlySpan<char> text) => text.IndexOfAny(NeedsWork) < 0 && System.Text.Ascii.IsValid(text);

    /// <summary>Escapes one piece of text. With <paramref name="ascii"/> every non-ASCII character becomes LaTeX.</summary>
    public static string Escape(string text, bool ascii)
    {
        // The common case: nothing to escape at all.
        if (NothingToEscape(text)) return text;
        text = SmartQuotes(BibTool.Text.Scrub.Surrogates(text));
        var sb = new StringBuilder(text.Length + 8);
        var normalized = ascii && !System.Text.Ascii.IsValid(text) ? BibTool.Text.UnicodeNormalization.Decompose(text) : text;
        for (var i = 0; i < normalized.Length; i++)
        {
            var c = normalized[i];
            if (c is '\r' or '\n' or '\t' or '\u2028' or '\u2029') { sb.Append(' '); continue; }
            if (char.IsControl(c)) continue;
            // Invisible format characters (bidi marks, zero-width spaces, BOM) show nothing and
            // stop pdflatex; a zero-width joiner inside an emoji is kept for Unicode engines.
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format && (ascii || c != '\u200d')) continue;
            if (char.IsHighSurrogate(c) && i + 1 < normalized.Length && char.IsLowSurrogate(normalized[i + 1]))
            {
                // A character outside the BMP (an emoji, a rare CJK ideograph): bibtex passes UTF-8 through.
                sb.Append(c).Append(normalized[i + 1]);
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) continue;
            if (Specials.TryGetValue(c, out var special)) { sb.Append(special); continue; }
            if (!ascii) { sb.Append(c); continue; }
            // A base letter followed by combining accents (after decomposition): {\"o}, {\c c}, {\v r}…
            var marks = new List<string>();
            var j = i + 1;
            while (j < normalized.Length && Accents.TryGetValue(normalized[j], out var accent)) { marks.Add(accent); j++; }
            if (marks.Count > 0 && c < 128 && char.IsLetter(c))
            {
                var inner = c == 'i' ? @"\i" : c == 'j' ? @"\j" : c.ToString();
                foreach (var mark in marks) inner = $"\\{mark}{inner}";
                sb.Append('{').Append(inner).Append('}');
                i = j - 1;
                continue;
            }
            if (c < 128) { sb.Append(c); continue; }
            if (Letters.TryGetValue(c, out var letter)) { sb.Append(letter); continue; }
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            // Nothing better: keep the character (bibtex passes UTF-8 bytes through).
            sb.Append(c);
        }
        return ascii || System.Text.Ascii.IsValid(text) ? sb.ToString() : BibTool.Text.UnicodeNormalization.Compose(sb.ToString());
    }

    /// <summary>
    /// A title for BibTeX/BibLaTeX. Every word whose capitals a sentence-case style must keep is
    /// braced on its own (acronyms, CamelCase, letter-digit mixes, and any capitalised word after
    /// the first: bibtex cannot tell "Monte Carlo" from "Models", so it never lowercases a capital
    /// the source wrote). Words are judged on the plain title, so one split by formatting
    /// ("δ<sup>13</sup>C") is still one word. A formatted run is protected whole (see AppendStyled).
    /// </summary>
    public static string Title(RichText title, bool ascii)
    {
        var plain = SmartQuotes(title.Plain);
        var keep = CaseToKeep(plain);
        var sb = new StringBuilder(plain.Length + 16);
        var offset = 0;
        foreach (var run in title.Runs)
        {
            if (run.Style != TextStyle.None)
            {
                AppendStyled(sb, plain, offset, run.Text.Length, run.Style, ascii);
                offset += run.Text.Length;
                continue;
            }
            var i = 0;
            while (i < run.Text.Length)
            {
                var kept = keep[offset + i];
                var end = i;
                while (end < run.Text.Length && keep[offset + end] == kept) end++;
                if (kept) sb.Append('{');
                AppendEscaped(sb, plain, offset + i, end - i, ascii);
                if (kept) sb.Append('}');
                i = end;
            }
            offset += run.Text.Length;
        }
        return sb.ToString();
    }

    /// <summary>
    /// A formatted run, protected whole by a plain brace group around it: bibtex keeps its case (a
    /// group opening with a command would be a "special character", lowercased), and no brace
    /// inside the command, because Zotero's importer ends \textit{...} and $^{\textrm{...}}$ at the
    /// first closing brace. Super- and subscripts are math, the form Zotero reads back as &lt;sup&gt;/&lt;sub&gt;:
    /// {$^{\textrm{13}}$}.
    /// </summary>
    private static void AppendStyled(StringBuilder sb, string text, int start, int length, TextStyle style, bool ascii)
    {
        var commands = new List<string>();
        if (style.HasFlag(TextStyle.SmallCaps)) commands.Add("textsc");
        if (style.HasFlag(TextStyle.Bold)) commands.Add("textbf");
        if (style.HasFlag(TextStyle.Italic)) commands.Add("textit");
        var script = style.HasFlag(TextStyle.Superscript) ? "^" : style.HasFlag(TextStyle.Subscript) ? "_" : null;
        if (script is not null) { sb.Append("{$").Append(script).Append("{\\textrm{"); }
        else sb.Append("{{");
        foreach (var command in commands) sb.Append('\\').Append(command).Append('{');
        AppendEscaped(sb, text, start, length, ascii);
        sb.Append('}', commands.Count);
        sb.Append(script is not null ? "}}$}" : "}}");
    }

    /// <summary>Appends a piece of text escaped, without a copy when there is nothing to escape.</summary>
    private static void AppendEscaped(StringBuilder sb, string text, int start, int length, bool ascii)
    {
        var piece = text.AsSpan(start, length);
        if (NothingToEscape(piece)) sb.Append(piece);
        else sb.Append(Escape(text.Substring(start, length), ascii));
    }

    /// <summary>
    /// LaTeX typesets a straight double quote as a closing one: each becomes an opening or a
    /// closing quote by its place (the same length, so offsets into the text stay valid).
    /// </summary>
    public static string SmartQuotes(string text)
    {
        if (!text.Contains('"')) return text;
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (chars[i] == '"')
                chars[i] = i == 0 || char.IsWhiteSpace(chars[i - 1]) || chars[i - 1] is '(' or '[' or '{' or '“' ? '“' : '”';
        return new string(chars);
    }

    /// <summary>For each character of the title: true when it belongs to a word whose case must be kept.</summary>
    private static bool[] CaseToKeep(string plain)
    {
        var keep = new bool[plain.Length];
        var atStart = true;
        var i = 0;
        while (i < plain.Length)
        {
            if (char.IsWhiteSpace(plain[i])) { i++; continue; }
            var end = i;
            while (end < plain.Length && !char.IsWhiteSpace(plain[end])) end++;
            // Punctuation around a word stays outside its braces: "{BioBERT}:".
            var lead = i;
            while (lead < end && !char.IsLetterOrDigit(plain[lead])) lead++;
            var trail = end;
            while (trail > lead && !char.IsLetterOrDigit(plain[trail - 1])) trail--;
            if (trail > lead)
            {
                // Each part of a hyphenated word on its own: "{GPT}-based", "{X}-ray", not "{GPT-based}".
                var partStart = lead;
                for (var j = lead; j <= trail; j++)
                {
                    if (j < trail && plain[j] is not ('-' or '‐' or '–' or '—')) continue;
                    if (j > partStart && MustKeepCase(plain[partStart..j], atStart && partStart == lead)) Array.Fill(keep, true, partStart, j - partStart);
                    partStart = j + 1;
                }
                atStart = plain[end - 1] is ':' or '?' or '.' or '!';
            }
            i = end;
        }
        return keep;
    }

    private static bool MustKeepCase(string word, bool atStart)
    {
        char first = '\0';
        bool upperAfterFirst = false, digit = false;
        foreach (var c in word)
        {
            if (char.IsDigit(c)) digit = true;
            if (!char.IsLetter(c)) continue;
            if (first == '\0') first = c;
            else if (char.IsUpper(c)) upperAfterFirst = true;
        }
        if (first == '\0') return false;
        // An upper-case letter after the first: acronyms (CT), CamelCase (BioBERT), LLaMA, mRNA.
        if (upperAfterFirst) return true;
        if (digit && char.IsUpper(first)) return true;
        // A capital starting a word after the first is kept: a proper noun in a sentence-case
        // title (Chinese, Nature), and possibly one in a title-case title (Monte Carlo).
        return !atStart && char.IsUpper(first);
    }

    /// <summary>"Family, Given and …"; organisations braced whole so no style splits them.</summary>
    public static string Names(IEnumerable<Name> names, bool ascii)
    {
        var parts = new List<string>(4);
        foreach (var name in names)
            if (Name(name, ascii) is var text && text.AsSpan().Trim("{} ").Length > 0) parts.Add(text);
        return parts.Count == 1 ? parts[0] : string.Join(" and ", parts);
    }

    public static string Name(Name name, bool ascii)
    {
        // Most names are a family and a given name of plain ASCII letters: nothing to escape, split or brace.
        if (!name.IsLiteral && IsPlainPart(name.Family) && (string.IsNullOrEmpty(name.Given) || IsPlainPart(name.Given))
            && string.IsNullOrEmpty(name.Suffix) && string.IsNullOrEmpty(name.NonDroppingParticle))
            return string.IsNullOrEmpty(name.Given) ? name.Family! : string.Concat(name.Family, ", ", name.Given);
        if (name.IsLiteral) return "{" + Escape(name.Literal!, ascii) + "}";
        string Part(string? s) => s is null ? "" : Escape(s, ascii);
        // bibtex and biber split names at commas (even braced ones, for biber) and at " and ": a
        // given name "John, Jr., III" becomes given "John" with suffix "Jr. III"; commas inside any
        // other part become spaces; a part holding " and " is braced whole.
        static string NoCommas(string? part) => part is null ? "" : string.Join(' ', part.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        // bibtex also splits at hyphens: a part of dashes and signs alone would be an empty name part.
        static string Whole(string part) =>
            part.Contains(" and ", StringComparison.OrdinalIgnoreCase) || (part.Length > 0 && !part.Any(char.IsLetterOrDigit)) ? "{" + part + "}" : part;
        var givenParts = (name.Given ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var suffixText = string.Join(' ', new[] { NoCommas(name.Suffix) }.Concat(givenParts.Skip(1)).Where(p => p.Length > 0));
        var familyText = Part(NoCommas(name.Family)).Trim();
        var givenText = Part(givenParts.FirstOrDefault()).Trim();
        // Without a family name the given name stands in; without either there is no name.
        if (familyText.Length == 0) (familyText, givenText) = (givenText, "");
        var given = Whole(givenText);
        if (familyText.Length == 0) return "";
        var family = Whole(familyText);
        if (name.NonDroppingParticle is { Length: > 0 } particle && NoCommas(particle).Length > 0) family = Whole(Part(NoCommas(particle))) + " " + family;
        // "Family, Jr," with no given name is an error for bibtex: the name is then braced whole.
        if (suffixText.Length > 0) return given.Length > 0 ? $"{family}, {Whole(Part(suffixText))}, {given}" : $"{{{family} {Part(suffixText)}}}";
        return given.Length > 0 ? $"{family}, {given}" : family;
    }

    /// <summary>A name part the full path would leave as it is: ASCII, nothing to escape, no comma, no " and ", some letter or digit, no outer spaces.</summary>
    private static bool IsPlainPart(string? part) =>
        part is { Length: > 0 } && !char.IsWhiteSpace(part[0]) && !char.IsWhiteSpace(part[^1]) && NothingToEscape(part) && !part.Contains(',') && part.AsSpan().ContainsAny(AsciiLettersAndDigits)
        && !part.Contains(" and ", StringComparison.OrdinalIgnoreCase);

    private static readonly System.Buffers.SearchValues<char> AsciiLettersAndDigits =
        System.Buffers.SearchValues.Create(BibTool.Text.Ascii.LettersAndDigits);

    private static readonly Lazy<List<(string Latex, string Text)>> Decodings = new(() =>
        Specials.Select(p => (p.Value, p.Key.ToString())).Concat(Letters.Select(p => (p.Value, p.Key.ToString())))
            .Where(p => p.Item1.Length > 1).OrderByDescending(p => p.Item1.Length).ToList());

    [System.Text.RegularExpressions.GeneratedRegex(@"\\(?:['""`^~=.]|[cvHukrd](?=[\s{]))\s*\{?\s*(?:\\([ij])|([A-Za-z]))\s*\}?")]
    private static partial System.Text.RegularExpressions.Regex AccentCommand();

    [System.Text.RegularExpressions.GeneratedRegex(@"\$[\^_]\{|\\(?:textit|textbf|textsc|textrm|emph|textsuperscript|textsubscript)\{")]
    private static partial System.Text.RegularExpressions.Regex FormattingCommand();

    [System.Text.RegularExpressions.GeneratedRegex(@"\\([A-Za-z]+\*?|.)")]
    private static partial System.Text.RegularExpressions.Regex AnyCommand();

    /// <summary>
    /// LaTeX field text read back as plain text, well enough to compare values (not to typeset):
    /// bibtool's own escapes and letters decoded, accent commands reduced to their letter, other
    /// commands and braces dropped.
    /// </summary>
    public static string Decode(string latex)
    {
        if (latex.IndexOfAny(['\\', '{', '}', '$', '~', '-', '`', '\'']) < 0) return latex;
        var text = latex;
        foreach (var (code, plain) in Decodings.Value)
            if (text.Contains(code, StringComparison.Ordinal)) text = text.Replace(code, plain, StringComparison.Ordinal);
        text = AccentCommand().Replace(text, m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
        // Formatting (ours: {{\textit{…}}}, {$^{\textrm{…}}$}) leaves its text and nothing else.
        text = FormattingCommand().Replace(text, "{");
        text = AnyCommand().Replace(text, m => m.Groups[1].Value.Length == 1 && !char.IsLetter(m.Groups[1].Value[0]) ? m.Groups[1].Value : " ");
        return text.Replace("{", "").Replace("}", "").Replace("$", "").Replace('~', ' ');
    }

    /// <summary>Page ranges with an en dash: "156-163" → "156--163".</summary>
    public static string Pages(string pages)
    {
        var text = pages.Trim();
        if (text.AsSpan().IndexOfAny(Dashes) < 0) return text;
        // Each run of dashes, with the spaces around it, becomes one "--".
        var sb = new StringBuilder(text.Length + 2);
        for (var i = 0; i < text.Length;)
        {
            if (!Dashes.Contains(text[i]))
            {
                sb.Append(text[i++]);
                continue;
            }
            while (sb.Length > 0 && char.IsWhiteSpace(sb[^1])) sb.Length--;
            while (i < text.Length && Dashes.Contains(text[i])) i++;
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            sb.Append("--");
        }
        return sb.ToString();
    }

    private const string Dashes = "-–—";

    public static readonly string[] MonthMacros = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
}
