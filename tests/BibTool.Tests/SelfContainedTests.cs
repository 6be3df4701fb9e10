using System.Security.Cryptography;
using System.Text.RegularExpressions;
using BibTool.Sources.Crossref;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>
/// A clone of the repository alone runs the suite: every recording, schema and survey the tests
/// read lies inside it, and every recording kept there is accounted for in its provenance.
/// </summary>
public class SelfContainedTests
{
    [Fact]
    public void DataFoldersLieInsideTheRepository()
    {
        Assert.True(TestPaths.InsideRepository(TestPaths.SeedSurvey), TestPaths.SeedSurvey);
        // An environment variable may point elsewhere on purpose; nothing defaults outside.
        if (Environment.GetEnvironmentVariable("BIBTOOL_FIXTURES") is not { Length: > 0 })
            Assert.True(TestPaths.InsideRepository(TestPaths.Fixtures), TestPaths.Fixtures);
        if (Environment.GetEnvironmentVariable("BIBTOOL_SCHEMAS") is not { Length: > 0 })
            Assert.True(TestPaths.InsideRepository(TestPaths.Schemas), TestPaths.Schemas);
        // A sibling of the repository is outside it.
        Assert.False(TestPaths.InsideRepository(Path.Combine(Path.GetDirectoryName(TestPaths.RepoRoot)!, "fixtures")));
    }

    [Fact]
    public void AFixturePathCannotLeaveTheFixturesFolder() =>
        Assert.Throws<ArgumentException>(() => TestPaths.Fixture("..", "..", "..", "README.md"));

    [Fact]
    public void NoTestSourceNamesAFolderBesideTheRepository()
    {
        // Paths leave the repository through ".." segments.
        var escape = new Regex(@"""\.\.""|""\.\./");
        var offenders = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => Path.GetFileName(f) != nameof(SelfContainedTests) + ".cs")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => escape.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(TestPaths.RepoRoot, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.Empty(offenders);
    }

    /// <summary>The provenance table's rows: file → sha256 of the file as kept here ("same" = as recorded).</summary>
    private static Dictionary<string, (string Recorded, string Here)> ProvenanceRows()
    {
        var rows = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "PROVENANCE.md")))
        {
            var match = Regex.Match(line, @"^\| `([^`]+)` \|.*\| `([0-9a-f]{16})…` \| (same|`([0-9a-f]{16})…`) \| [^|]+ \|$");
            if (match.Success)
                rows[match.Groups[1].Value] = (match.Groups[2].Value, match.Groups[3].Value == "same" ? match.Groups[2].Value : match.Groups[4].Value);
        }
        return rows;
    }

    private static string Sha256Prefix(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)))[..16];

    [Fact]
    public void EveryKeptRecordingHasItsProvenanceAndIsUnchangedSince()
    {
        var folder = Path.Combine(TestPaths.RepoRoot, "tests", "fixtures");
        var rows = ProvenanceRows();
        var data = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f.Contains('/') && !f.StartsWith("schemas/", StringComparison.Ordinal) && !f.StartsWith("unicode/", StringComparison.Ordinal) && !f.EndsWith(".headers.txt", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(data.Count > 100, $"{data.Count} recordings");
        Assert.Equal(data, rows.Keys.Order(StringComparer.Ordinal).ToList());
        foreach (var file in data)
            Assert.True(rows[file].Here == Sha256Prefix(Path.Combine(folder, file)), $"{file} differs from what standin.py wrote (see PROVENANCE.md)");
    }

    [Fact]
    public void TheSchemaIsTheRecordedCopy()
    {
        // The sha256 of citation-style-language/schema's csl-data.json at e3ce254 (tests/fixtures/schemas/README.md).
        Assert.Equal("23b2c062d7526060", Sha256Prefix(Path.Combine(TestPaths.Schemas, "csl-data.json")));
    }

    [Fact]
    public void AbstractsAreTheStandInsNotTheAuthorsProse()
    {
        // The stand-in words standin.py put in place of the recorded abstract, with the recorded
        // markup around them (the U+2010 hyphen, the degree sign, the numbers).
        var work = CrossrefMapper.Map("doi:x", File.ReadAllBytes(TestPaths.Fixture("crossref", "works", "10.1002%2Fjor.1100150407.json")));
        Assert.StartsWith("People\u2010and written such already with all facts before, can did plain consider up come course now identifiers as 105\u00b0", work.Abstract!.Plain);
    }
}

public class TempDirTests
{
    [Fact]
    public void TempFoldersNameTheirProcessAndDisposeRemovesThem()
    {
        string path;
        using (var temp = TestPaths.TempDir())
        {
            path = temp.Path;
            File.WriteAllText(temp.File("x"), "x");
            Assert.StartsWith($"bibtool-test-{Environment.ProcessId}-", Path.GetFileName(path));
        }
        Assert.False(Directory.Exists(path));
    }
}
