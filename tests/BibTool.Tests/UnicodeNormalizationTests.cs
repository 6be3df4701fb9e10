using System.Globalization;
using System.Text;
using BibTool.Tests.Support;
using BibTool.Text;

namespace BibTool.Tests;

/// <summary>
/// bibtool's own NFD and NFC (it runs without ICU), checked against Python's unicodedata.normalize
/// over every character normalization changes and random runs of letters and marks (the oracle
/// file), and against values written here.
/// </summary>
public class UnicodeNormalizationTests
{
    private static string Text(string hex) =>
        string.Concat(hex.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => char.ConvertFromUtf32(int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))));

    [Fact]
    public void AgreesWithPythonsNormalizeOnEveryLineOfTheOracle()
    {
        var lines = File.ReadLines(Path.Combine(TestPaths.Fixtures, "unicode", "normalization.tsv")).Where(l => !l.StartsWith('#')).ToList();
        Assert.True(lines.Count > 5000, $"{lines.Count} lines");
        var wrong = new List<string>();
        foreach (var line in lines)
        {
            var parts = line.Split('\t');
            var (source, nfd, nfc) = (Text(parts[0]), Text(parts[1]), Text(parts[2]));
            if (UnicodeNormalization.Decompose(source) != nfd) wrong.Add($"NFD {parts[0]}");
            if (UnicodeNormalization.Compose(source) != nfc) wrong.Add($"NFC {parts[0]}");
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} differ: {string.Join(", ", wrong.Take(10))}");
    }

    [Theory]
    [InlineData("Gödel", "Go\u0308del", "Gödel")]
    [InlineData("Dvořák", "Dvor\u030Ca\u0301k", "Dvořák")]
    // Marks in canonical order (dot below, class 220, before acute, 230), then composed as far as they go.
    [InlineData("a\u0301\u0323", "a\u0323\u0301", "\u1EA1\u0301")]
    // Vietnamese: two marks on one letter compose into one character.
    [InlineData("Nguye\u0302\u0303n", "Nguye\u0302\u0303n", "Nguyễn")]
    // The Angstrom sign is a singleton: it decomposes, and never comes back.
    [InlineData("\u212B", "A\u030A", "\u00C5")]
    // An excluded composite (Devanagari qa) stays decomposed.
    [InlineData("\u0958", "\u0915\u093C", "\u0915\u093C")]
    // Hangul by arithmetic: a syllable with a final consonant, and its jamo composed again.
    [InlineData("\uD55C", "\u1112\u1161\u11AB", "\uD55C")]
    [InlineData("plain ASCII", "plain ASCII", "plain ASCII")]
    public void KnownValues(string source, string nfd, string nfc)
    {
        Assert.Equal(nfd, UnicodeNormalization.Decompose(source));
        Assert.Equal(nfc, UnicodeNormalization.Compose(source));
    }

    [Fact]
    public void TheToolRunsWithoutIcu()
    {
        // The CLI's runtime configuration says invariant globalization: ICU is neither needed nor loaded,
        // which is why string.Normalize cannot be used and the class above exists.
        var config = Path.Combine(TestPaths.RepoRoot, "src", "BibTool.Cli", "bin", "Release", "net10.0", "bibtool.runtimeconfig.json");
        Assert.True(File.Exists(config), config);
        Assert.Contains("\"System.Globalization.Invariant\": true", File.ReadAllText(config));
        // So does this test run: here, as in the tool, string.Normalize leaves non-ASCII text as it is.
        Assert.Equal("Gödel", "Gödel".Normalize(NormalizationForm.FormD));
    }
}
