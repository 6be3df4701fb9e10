namespace BibTool.Model;

/// <summary>Names that come as one string (arXiv, OpenReview, landing pages).</summary>
public static class Names
{
    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal)
    {
        "van", "von", "de", "der", "den", "del", "della", "da", "di", "du", "la", "le", "dos", "das", "ter", "ten", "zu", "af", "al", "bin", "ibn",
    };

    /// <summary>A name written as free text ("Grace van Testcase"): the last word is the family name, lower-case particles join it.</summary>
    public static Name Split(string name)
    {
        var words = InlineSpaces(name).Split(' ');
        if (words.Length == 1) return new Name(words[0]);
        string? suffix = null;
        var last = words.Length - 1;
        if (words[last].TrimEnd('.') is "Jr" or "Sr" or "II" or "III" or "IV" && last > 1)
        {
            suffix = words[last];
            last--;
            words[last] = words[last].TrimEnd(',');
        }
        var familyStart = last;
        while (familyStart > 1 && Particles.Contains(words[familyStart - 1])) familyStart--;
        var particle = familyStart < last ? string.Join(' ', words[familyStart..last]) : null;
        return new Name(words[last], string.Join(' ', words[..familyStart]), Suffix: suffix, NonDroppingParticle: particle);
    }

    /// <summary>"Family, Given" (Highwire tags, Dublin Core) or free text "Given Family".</summary>
    public static Name Parse(string name)
    {
        name = InlineSpaces(name);
        var comma = name.IndexOf(',');
        if (comma > 0 && name.IndexOf(',', comma + 1) < 0)
        {
            var given = name[(comma + 1)..].Trim();
            return new Name(name[..comma].Trim(), given.Length > 0 ? given : null);
        }
        return Split(name);
    }

    private static string InlineSpaces(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
