using System.Text;

namespace BibTool.Text;

/// <summary>
/// Canonical decomposition (NFD) and composition (NFC) by the Unicode algorithm (UAX #15), from
/// tables generated out of Python's unicodedata (<see cref="UnicodeTables"/>). bibtool runs in
/// .NET's invariant globalization mode, so that the native binary neither needs nor loads ICU
/// (loading it was a tenth of a warm rebuild); there <see cref="string.Normalize()"/> leaves any
/// non-ASCII text as it is, and this class does the work instead.
/// </summary>
public static class UnicodeNormalization
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    /// <summary>The canonical decomposition of <paramref name="text"/>, marks in canonical order (NFD).</summary>
    public static string Decompose(string text)
    {
        if (IsInert(text)) return text;
        var points = new List<int>(text.Length + 8);
        foreach (var rune in text.EnumerateRunes()) Decompose(rune.Value, points);
        Order(points);
        return ToText(points);
    }

    /// <summary>The canonical composition of <paramref name="text"/> (NFC).</summary>
    public static string Compose(string text)
    {
        if (IsInert(text) || IsComposedLatin(text)) return text;
        var points = new List<int>(text.Length + 8);
        foreach (var rune in text.EnumerateRunes()) Decompose(rune.Value, points);
        Order(points);
        ComposeInPlace(points);
        return ToText(points);
    }

    /// <summary>ASCII is its own NFD and NFC.</summary>
    private static bool IsInert(string text) => System.Text.Ascii.IsValid(text);

    /// <summary>
    /// Text below U+0300 (Latin-1 and Latin Extended, precomposed) is its own NFC: it holds no
    /// combining mark, and every character there that decomposes composes back to itself (the
    /// oracle test checks each one). Most exported text is such, so it is returned at once.
    /// </summary>
    private static bool IsComposedLatin(string text) => text.AsSpan().IndexOfAnyInRange('\u0300', '\uffff') < 0;

    private static void Decompose(int point, List<int> into)
    {
        var s = point - SBase;
        if (s is >= 0 and < SCount)
        {
            into.Add(LBase + s / NCount);
            into.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0) into.Add(TBase + s % TCount);
            return;
        }
        var at = point < 0xC0 ? -1 : UnicodeTables.Decomposable.BinarySearch(point);
        if (at < 0)
        {
            into.Add(point);
            return;
        }
        Decompose(UnicodeTables.DecomposedFirst[at], into);
        if (UnicodeTables.DecomposedSecond[at] is var second and not 0) Decompose(second, into);
    }

    public static int CombiningClass(int point)
    {
        if (point < 0x300) return 0;
        var at = UnicodeTables.Combining.BinarySearch(point);
        return at < 0 ? 0 : UnicodeTables.CombiningClass[at];
    }

    /// <summary>Sorts each run of marks by combining class, keeping the order of marks of one class.</summary>
    private static void Order(List<int> points)
    {
        for (var i = 1; i < points.Count; i++)
        {
            var point = points[i];
            var cc = CombiningClass(point);
            if (cc == 0) continue;
            var j = i;
            while (j > 0 && CombiningClass(points[j - 1]) > cc)
            {
                points[j] = points[j - 1];
                j--;
            }
            points[j] = point;
        }
    }

    private static void ComposeInPlace(List<int> points)
    {
        if (points.Count == 0) return;
        var starterAt = 0;
        var starter = points[0];
        var lastClass = CombiningClass(starter) == 0 ? 0 : 256;
        var kept = 1;
        for (var i = 1; i < points.Count; i++)
        {
            var point = points[i];
            var cc = CombiningClass(point);
            // A mark is blocked from the starter by an earlier one of the same or a higher class.
            if ((lastClass < cc || lastClass == 0) && Composite(starter, point) is { } composite)
            {
                points[starterAt] = starter = composite;
                continue;
            }
            if (cc == 0)
            {
                starterAt = kept;
                starter = point;
            }
            lastClass = cc;
            points[kept++] = point;
        }
        points.RemoveRange(kept, points.Count - kept);
    }

    private static int? Composite(int first, int second)
    {
        var l = first - LBase;
        if (l is >= 0 and < LCount && second - VBase is >= 0 and < VCount and var v)
            return SBase + (l * VCount + v) * TCount;
        var s = first - SBase;
        if (s is >= 0 and < SCount && s % TCount == 0 && second - TBase is > 0 and < TCount and var t)
            return first + t;
        // The second of every composing pair is a mark or a later letter, never below U+0300.
        if (second < 0x300) return null;
        var at = UnicodeTables.ComposablePair.BinarySearch(((long)first << 21) | (uint)second);
        return at < 0 ? null : UnicodeTables.Composite[at];
    }

    private static string ToText(List<int> points)
    {
        var sb = new StringBuilder(points.Count);
        foreach (var point in points)
            if (point < 0x10000) sb.Append((char)point);
            else sb.Append(char.ConvertFromUtf32(point));
        return sb.ToString();
    }
}
