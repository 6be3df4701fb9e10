using System.Globalization;
using System.Text;
using BibTool.Model;

namespace BibTool.Export;

/// <summary>
/// Turns data into BibTeX/BibLaTeX field text: specials escaped (a title is data, never LaTeX
/// commands), non-ASCII to LaTeX accents for BibTeX (kept as UTF-8 for BibLaTeX), words whose
/// case matters braced one by one, names in "Family, Given" form with organisations braced whole.
/// </summary>
public static class Latex
{
    private static readonly Dictionary<char, string> Specials = new()
    {
        // Braces and backslashes from data become brace-balanced text commands: bibtex and biber
        // count "\{" as a brace, so an escaped lone brace could still end a field or swallow an entry.
        ['\\'] = @"{\textbackslash}", ['{'] = @"{\textbraceleft}", ['}'] = @"{\textbraceright}", ['&'] = @"\&", ['%'] = @"\%", ['#'] = @"\#",
        ['_'] = @"\_", ['$'] = @"\$", ['~'] = @"{\textasciitilde}", ['^'] = @"{\textasciicircum}",
    };

    // Characters with no combining-accent decomposition.
    private static readonly Dictionary<char, string> Letters = new()
    {
        ['ß'] = @"{\ss}", ['æ'] = @"{\ae}", ['Æ'] = @"{\AE}", ['œ'] = @"{\oe}", ['Œ'] = @"{\OE}", ['ø'] = @"{\o}", ['Ø'] = @"{\O}",
        ['å'] = @"{\aa}", ['Å'] = @"{\AA}", ['ł'] = @"{\l}", ['Ł'] = @"{\L}", ['ı'] = @"{\i}", ['đ'] = @"{\dj}", ['Đ'] = @"{\DJ}",
        ['–'] = "--", ['—'] = "---", ['‘'] = "`", ['’'] = "'", ['“'] = "``", ['”'] = "''", ['…'] = @"{\ldots}",
        ['\u00a0'] = "~", ['\u2009'] = @"\,", ['\u202f'] = @"\,", ['°'] = @"{\textdegree}", ['±'] = @"{\textpm}", ['×'] = @"{\texttimes}",
        ['·'] = @"{\textperiodcentered}", ['©'] = @"{\textcopyright}", ['®'] = @"{\textregistered}", ['™'] = @"{\texttrademark}",
        ['€'] = @"{\texteuro}", ['£'] = @"{\pounds}", ['§'] = @"{\S}", ['¶'] = @"{\P}", ['¿'] = @"{?`}", ['¡'] = @"{!`}",
        ['«'] = @"{\guillemotleft}", ['»'] = @"{\guillemotright}", ['′'] = "'", ['−'] = "-", ['‐'] = "-", ['‑'] = "-",
        ['α'] = @"$\alpha$", ['β'] = @"$\beta$", ['γ'] = @"$\gamma$", ['δ'] = @"$\delta$", ['ε'] = @"$\epsilon$", ['ζ'] = @"$\zeta$",
        ['η'] = @"$\eta$", ['θ'] = @"$\theta$", ['ι'] = @"$\iota$", ['κ'] = @"$\kappa$", ['λ'] = @"$\lambda$", ['μ'] = @"$\mu$",
        ['µ'] = @"$\mu$", ['ν'] = @"$\nu$", ['ξ'] = @"$\xi$", ['π'] = @"$\pi$", ['ρ'] = @"$\rho$", ['σ'] = @"$\sigma$", ['τ'] = @"$\tau$",
        ['υ'] = @"$\upsilon$", ['φ'] = @"$\phi$", ['χ'] = @"$\chi$", ['ψ'] = @"$\psi$", ['ω'] = @"$\omega$", ['Γ'] = @"$\Gamma$",
        ['Δ'] = @"$\Delta$", ['Θ'] = @"$\Theta$", ['Λ'] = @"$\Lambda$", ['Ξ'] = @"$\Xi$", ['Π'] = @"$\Pi$", ['Σ'] = @"$\Sigma$",
        ['Φ'] = @"$\Phi$", ['Ψ'] = @"$\Psi$", ['Ω'] = @"$\Omega$", ['≤'] = @"$\leq$", ['≥'] = @"$\geq$", ['≈'] = @"$\approx$",
        ['→'] = @"$\rightarrow$", ['←'] = @"$\leftarrow$", ['∞'] = @"$\infty$", ['√'] = @"$\surd$",
    };

    private static readonly Dictionary<char, string> Accents = new()
    {
        ['\u0301'] = "'", ['\u0300'] = "`", ['\u0302'] = "^", ['\u0303'] = "~", ['\u0308'] = "\"", ['\u0327'] = "c ", ['\u030c'] = "v ",
        ['\u0304'] = "=", ['\u0307'] = ".", ['\u030a'] = "r ", ['\u0306'] = "u ", ['\u030b'] = "H ", ['\u0328'] = "k ", ['\u0323'] = "d ",
    };

    private static readonly System.Buffers.SearchValues<char> NeedsWork = System.Buffers.SearchValues.Create(
        "\\{}&%#_$~^\u007f\u2028\u2029" + new string(Enumerable.Range(0, 32).Select(i => (char)i).ToArray()));

    /// <summary>Escapes one piece of text. With <paramref name="ascii"/> every non-ASCII character becomes LaTeX.</summary>
    public static string Escape(string text, bool ascii)
    {
        // The common case: nothing to escape at all.
        if (text.AsSpan().IndexOfAny(NeedsWork) < 0 && System.Text.Ascii.IsValid(text)) return text;
        text = BibTool.Text.Scrub.Surrogates(text);
        var sb = new StringBuilder(text.Length + 8);
        var normalized = ascii && !System.Text.Ascii.IsValid(text) ? text.Normalize(NormalizationForm.FormD) : text;
        for (var i = 0; i < normalized.Length; i++)
        {
            var c = normalized[i];
            if (c is '\r' or '\n' or '\t' or '\u2028' or '\u2029') { sb.Append(' '); continue; }
            if (char.IsControl(c)) continue;
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
            sb.Append(c.ToString().Normalize(NormalizationForm.FormC));
        }
        return ascii || System.Text.Ascii.IsValid(text) ? sb.ToString() : sb.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// A title for BibTeX/BibLaTeX: each word whose capitals must survive a sentence-case style
    /// (acronyms, CamelCase, letter-digit mixes, and capitalised words inside a sentence-case
    /// title) is braced on its own; the title as a whole never is.
    /// </summary>
    public static string Title(RichText title, bool ascii)
    {
        var sentenceCase = IsSentenceCase(title.Plain);
        var sb = new StringBuilder();
        var atStart = true;
        foreach (var run in title.Runs)
        {
            var text = ProtectWords(run.Text, ascii, sentenceCase, ref atStart);
            if (run.Style == TextStyle.None) { sb.Append(text); continue; }
            // Formatting commands are ours, not the title's: they wrap already-escaped text.
            if (run.Style.HasFlag(TextStyle.Italic)) text = $"\\textit{{{text}}}";
            if (run.Style.HasFlag(TextStyle.Bold)) text = $"\\textbf{{{text}}}";
            if (run.Style.HasFlag(TextStyle.SmallCaps)) text = $"\\textsc{{{text}}}";
            if (run.Style.HasFlag(TextStyle.Subscript)) text = $"\\textsubscript{{{text}}}";
            if (run.Style.HasFlag(TextStyle.Superscript)) text = $"\\textsuperscript{{{text}}}";
            sb.Append('{').Append(text).Append('}');
        }
        return sb.ToString();
    }

    private static string ProtectWords(string text, bool ascii, bool sentenceCase, ref bool atStart)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                sb.Append(' ');
                i++;
                continue;
            }
            var end = i;
            while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
            var word = text[i..end];
            // Keep punctuation around a word outside its braces: "{BioBERT}:".
            var lead = 0;
            while (lead < word.Length && !char.IsLetterOrDigit(word[lead])) lead++;
            var trail = word.Length;
            while (trail > lead && !char.IsLetterOrDigit(word[trail - 1])) trail--;
            var core = word[lead..trail];
            sb.Append(Escape(word[..lead], ascii));
            if (core.Length > 0 && MustKeepCase(core, sentenceCase, atStart)) sb.Append('{').Append(Escape(core, ascii)).Append('}');
            else sb.Append(Escape(core, ascii));
            sb.Append(Escape(word[trail..], ascii));
            if (core.Length > 0) atStart = word.EndsWith(':') || word.EndsWith('?') || word.EndsWith('.') || word.EndsWith('!');
            i = end;
        }
        return sb.ToString();
    }

    private static bool MustKeepCase(string word, bool sentenceCase, bool atStart)
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
        // In a sentence-case title a capital starting a word is a proper noun (Chinese, Nature).
        return sentenceCase && !atStart && char.IsUpper(first);
    }

    /// <summary>Most words after the first start lower case: the capitals that remain are meant.</summary>
    public static bool IsSentenceCase(string title)
    {
        // Words longer than three letters after the first word; short ones (of, and) say nothing.
        int lower = 0, counted = 0, index = 0;
        foreach (var range in title.AsSpan().Split(' '))
        {
            var word = title.AsSpan(range.Start.Value, range.End.Value - range.Start.Value).TrimStart("(\"'[");
            if (index++ == 0 || word.Length <= 3 || !char.IsLetter(word[0])) continue;
            counted++;
            if (char.IsLower(word[0])) lower++;
        }
        return counted == 0 || lower * 2 > counted;
    }

    /// <summary>"Family, Given and …"; organisations braced whole so no style splits them.</summary>
    public static string Names(IEnumerable<Name> names, bool ascii) =>
        string.Join(" and ", names.Select(n => Name(n, ascii)).Where(n => n.Trim('{', '}', ' ').Length > 0));

    public static string Name(Name name, bool ascii)
    {
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

    /// <summary>Page ranges with an en dash: "156-163" → "156--163".</summary>
    public static string Pages(string pages) =>
        System.Text.RegularExpressions.Regex.Replace(pages.Trim(), @"\s*[-–—]+\s*", "--");

    public static readonly string[] MonthMacros = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
}
