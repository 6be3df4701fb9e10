using System.Globalization;
using System.Text.RegularExpressions;
using BibTool.Model;
using BibTool.Text;

namespace BibTool.Keys;

/// <summary>
/// Deterministic citation keys. The default pattern "{author}{year}{title}" gives
/// "zhou2023foundation": the first author's family name folded to ASCII and lower-cased, the
/// year, and the first significant word of the title. Tokens: {author} (first author),
/// {authors2} (first two), {year}, {title} (first significant word), {title2} (two words),
/// {name} (the survey row's name). Keys are unique case-insensitively: later works that would
/// repeat a key get a, b, …, z, aa, ab, … in the order they are assigned.
/// </summary>
public sealed partial class CitationKeys
{
    public const string DefaultPattern = "{author}{year}{title}";

    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "on", "of", "in", "for", "and", "or", "to", "with", "from", "via", "by", "at", "as", "is", "are",
        "towards", "toward", "into", "using", "its", "their", "do", "does", "can", "how", "what", "when", "why", "we", "our", "be",
    };

    [GeneratedRegex(@"\{(author|authors2|year|title|title2|name)\}")]
    private static partial Regex Token();

    private readonly string _pattern;
    private readonly HashSet<string> _taken = new(StringComparer.OrdinalIgnoreCase);
    // Where the suffix search for a base key resumes, so that many works sharing a base stay linear.
    private readonly Dictionary<string, int> _nextSuffix = new(StringComparer.OrdinalIgnoreCase);

    public CitationKeys(string? pattern = null, IEnumerable<string>? reserved = null)
    {
        _pattern = string.IsNullOrWhiteSpace(pattern) || pattern == DefaultPattern ? DefaultPattern : pattern;
        var unknown = Regex.Matches(_pattern, @"\{[^}]*\}").Select(m => m.Value).FirstOrDefault(t => !Token().IsMatch(t));
        if (unknown is not null) throw new ArgumentException($"unknown token {unknown} in key pattern '{_pattern}' (tokens: {{author}}, {{authors2}}, {{year}}, {{title}}, {{title2}}, {{name}})");
        if (reserved is IReadOnlyCollection<string> known) _taken.EnsureCapacity(known.Count);
        foreach (var key in reserved ?? []) _taken.Add(key);
    }

    /// <summary>Marks a key as used (a pinned key) so no new key repeats it.</summary>
    public bool Reserve(string key) => _taken.Add(key);

    /// <summary>A new unique key for <paramref name="work"/>.</summary>
    public string Assign(Work work, string? name = null)
    {
        var key = Base(work, name);
        if (_taken.Add(key)) return key;
        for (var n = _nextSuffix.GetValueOrDefault(key); ; n++)
        {
            var candidate = key + Suffix(n);
            if (!_taken.Add(candidate)) continue;
            _nextSuffix[key] = n + 1;
            return candidate;
        }
    }

    public string Base(Work work, string? name = null)
    {
        var author = AuthorPart(work, 1, name);
        if (ReferenceEquals(_pattern, DefaultPattern))
        {
            // The default pattern's parts are already lower-case ASCII letters and digits: no
            // pattern to expand and nothing to fold (a large export makes a key per work).
            var plain = string.Concat(author, work.Year?.ToString(CultureInfo.InvariantCulture), TitleWords(work, 1, skip: author));
            return plain.Length > 0 && char.IsAsciiLetter(plain[0]) ? plain : "ref" + plain;
        }
        var key = Token().Replace(_pattern, m => m.Groups[1].Value switch
        {
            "author" => author,
            "authors2" => AuthorPart(work, 2, name),
            "year" => work.Year?.ToString(CultureInfo.InvariantCulture) ?? "",
            // Without authors the name stands in; then the title word should not repeat it.
            "title" => TitleWords(work, 1, skip: author),
            "title2" => TitleWords(work, 2, skip: author),
            _ => Ascii.KeyPart(name ?? ""),
        });
        key = new string(Ascii.Fold(key).Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or ':' or '.').ToArray());
        if (key.Length == 0 || !char.IsAsciiLetter(key[0])) key = "ref" + key;
        return key;
    }

    /// <summary>a … z, aa … az, ba …: bijective base 26.</summary>
    public static string Suffix(int n)
    {
        var letters = "";
        n++;
        while (n > 0)
        {
            n--;
            letters = (char)('a' + n % 26) + letters;
            n /= 26;
        }
        return letters;
    }

    private static string AuthorPart(Work work, int count, string? name)
    {
        var names = work.Authors.Count > 0 ? work.Authors : work.Editors;
        if (names.Count == 0) return Ascii.KeyPart(name ?? "anon") is { Length: > 0 } n ? n : "anon";
        return string.Concat(names.Take(count).Select(a => Ascii.KeyPart(a.IsLiteral ? OrganisationWords(a.Literal!) : a.Family ?? "")));
    }

    /// <summary>An organisation by its first two significant words: "World Health Organization" → "worldhealth", not "world".</summary>
    private static string OrganisationWords(string text)
    {
        var words = text.Split(WordBreaks, StringSplitOptions.RemoveEmptyEntries).Where(w => !StopWords.Contains(w.ToLowerInvariant())).Take(2).ToList();
        return words.Count == 0 ? text : string.Concat(words);
    }

    private static readonly char[] WordBreaks = [' ', '-', ':', '/', '–', '—'];

    private static string TitleWords(Work work, int count, string skip)
    {
        // Only the first few words matter: read word by word and stop as soon as they are found.
        var found = new List<string>(count);
        var skipping = true;
        var title = work.Title?.Plain ?? "";
        for (var start = 0; start < title.Length && found.Count < count;)
        {
            var end = title.IndexOfAny(WordBreaks, start);
            if (end < 0) end = title.Length;
            var word = end > start ? Ascii.KeyPart(title[start..end]) : "";
            start = end + 1;
            if (word.Length == 0 || StopWords.Contains(word)) continue;
            if (skipping && word == skip) continue;
            skipping = false;
            found.Add(word);
        }
        return string.Concat(found);
    }
}
