using System.Globalization;
using System.Text.RegularExpressions;
using BibTool.Model;

namespace BibTool.Text;

/// <summary>Dates as services and pages write them: "2023", "2023-05", "2023-05-07T10:00:00Z", "2021/6", "2019/02/07".</summary>
public static partial class Dates
{
    [GeneratedRegex(@"^\s*(?<y>\d{4})(?:[-/.](?<m>\d{1,2})(?:[-/.](?<d>\d{1,2}))?)?(?:[T\s].*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Numeric();

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>1–12 for a month's English name or its first three letters ("Jun", "June"), else null.</summary>
    public static int? MonthNumber(string? word) =>
        word is { Length: >= 3 } && Array.IndexOf(Months, word[..3].ToLowerInvariant()) is >= 0 and var index ? index + 1 : null;

    public static DateParts? ParseIso(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var m = Numeric().Match(text);
        if (m.Success)
        {
            var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
            int? month = m.Groups["m"].Success ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) : null;
            int? day = m.Groups["d"].Success ? int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture) : null;
            if (month is not (>= 1 and <= 12)) return new DateParts(year);
            return new DateParts(year, month, day is >= 1 and <= 31 ? day : null);
        }
        // "2023 Dec 10", "Dec 2023", "10 December 2023" (PubMed, some pages).
        var words = text.Split([' ', ',', '-'], StringSplitOptions.RemoveEmptyEntries);
        var y = words.Select(w => int.TryParse(w, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1000 and <= 2999 ? n : 0).FirstOrDefault(n => n > 0);
        if (y == 0) return null;
        var named = words.Select(MonthNumber).FirstOrDefault(m => m is not null);
        if (named is null) return new DateParts(y);
        var dayWord = words.Select(w => int.TryParse(w, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 31 ? n : 0).FirstOrDefault(n => n > 0);
        return new DateParts(y, named, dayWord > 0 ? dayWord : null);
    }
}
