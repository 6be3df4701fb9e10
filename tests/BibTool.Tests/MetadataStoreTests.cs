using System.Text;
using BibTool.Identifiers;
using BibTool.Store;
using BibTool.Tests.Support;

namespace BibTool.Tests;

public class MetadataStoreTests
{
    private static StoredRecord Record(Identifier id, string body, int status = 200) => new()
    {
        Key = id.WorkKey, Url = "https://api.crossref.org/works/x", Status = status, ContentType = "application/json",
        Fetched = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), Tool = "bibtool/0.1.0", Body = Encoding.UTF8.GetBytes(body),
    };

    [Theory]
    [InlineData("doi:10.1038/s41586-023-06555-x", "crossref/10.1038/s41586-023-06555-x.rec")]
    [InlineData("doi:10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v", "crossref/10.1002/1096-9861%2820010212%29430%3A3%3C283%3A%3Aaid-cne1031%3E3.0.co%3B2-v.rec")]
    [InlineData("doi:10.18653/v1/2024.findings-emnlp.989", "crossref/10.18653/v1%2F2024.findings-emnlp.989.rec")]
    [InlineData("arXiv:2401.02458", "arxiv/2401/2401.02458.rec")]
    [InlineData("arXiv:astro-ph/0601001", "arxiv/astro-ph/astro-ph%2F0601001.rec")]
    public void ShardedHumanReadableLayout(string identifier, string relative)
    {
        var store = new MetadataStore("/tmp/store");
        Assert.Equal(Path.Combine("/tmp/store", relative), store.PathFor(IdentifierParser.Parse(identifier)));
    }

    [Fact]
    public void RecordRoundTripsByteForByte()
    {
        using var temp = TestPaths.TempDir();
        var store = new MetadataStore(temp.Path);
        var id = IdentifierParser.Parse("doi:10.1038/srep16696");
        var body = File.ReadAllBytes(TestPaths.Fixture("crossref", "works", "10.1038%2Fsrep16696.json"));
        store.Write(id, Record(id, "") with { Body = body, Extra = new Dictionary<string, string> { ["location"] = "/works/x" } });
        Assert.Equal(MetadataStore.ReadState.Ok, store.TryRead(id, out var read, out _));
        Assert.Equal(body, read!.Body);
        Assert.Equal("https://api.crossref.org/works/x", read.Url);
        Assert.Equal(200, read.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), read.Fetched);
        Assert.Equal("/works/x", read.Extra["location"]);
        var text = File.ReadAllText(store.PathFor(id));
        Assert.StartsWith("# bibtool metadata record v1\nkey: doi:10.1038/srep16696\nurl: https://api.crossref.org/works/x\nstatus: 200\n", text);
        Assert.Contains("\nfetched: 2026-11-28T12:00:00Z\ntool: bibtool/0.1.0\n", text);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(store.PathFor(id))!, "*.tmp"));
    }

    public static TheoryData<string> Damages() => ["truncated", "flipped", "header", "empty", "other-key"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void DamagedRecordsAreDetectedNotMisread(string damage)
    {
        using var temp = TestPaths.TempDir();
        var store = new MetadataStore(temp.Path);
        var id = IdentifierParser.Parse("doi:10.1234/abc");
        store.Write(id, Record(id, "{\"message\":{}}"));
        var path = store.PathFor(id);
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncated": File.WriteAllBytes(path, bytes[..^5]); break;
            case "flipped": bytes[^3] ^= 0x20; File.WriteAllBytes(path, bytes); break;
            case "header": File.WriteAllBytes(path, bytes[..20]); break;
            case "empty": File.WriteAllBytes(path, []); break;
            case "other-key":
                var other = IdentifierParser.Parse("doi:10.1234/other");
                var elsewhere = new MetadataStore(temp.File("x"));
                elsewhere.Write(other, Record(other, "{}"));
                File.Copy(elsewhere.PathFor(other), path, overwrite: true);
                break;
        }
        Assert.Equal(MetadataStore.ReadState.Damaged, store.TryRead(id, out var record, out var problem));
        Assert.Null(record);
        Assert.Contains("damaged record", problem);
    }

    [Fact]
    public void TheLockIsExclusive()
    {
        using var temp = TestPaths.TempDir();
        var store = new MetadataStore(temp.Path);
        using (store.Lock(TimeSpan.Zero))
        {
            var told = new List<string>();
            var e = Assert.Throws<StoreLockedException>(() => new MetadataStore(temp.Path).Lock(TimeSpan.FromMilliseconds(300), told.Add));
            // The holder is named: its process, its command line, since when.
            Assert.Contains($"in use by bibtool process {Environment.ProcessId} (bibtool ", e.Message);
            Assert.Contains(" UTC; try again when it has finished, or wait longer with --wait SECONDS", e.Message);
            // The waiter was told once, before waiting.
            var waiting = Assert.Single(told);
            Assert.StartsWith($"{temp.Path} is in use by bibtool process {Environment.ProcessId} (", waiting);
        }
        // Released: the holder's note is gone, and the lock is free.
        Assert.False(File.Exists(temp.File(".lock.holder")));
        using (store.Lock(TimeSpan.Zero)) { }
    }

    [Fact]
    public void WaitZeroFailsAtOnceNamingTheHolder()
    {
        using var temp = TestPaths.TempDir();
        using (new MetadataStore(temp.Path).Lock(TimeSpan.Zero))
        {
            var result = CliRunner.Run("resolve", TestPaths.SeedSurvey, "--cache", temp.Path, "--crossref-url", "http://127.0.0.1:9", "--wait", "0", "--quiet");
            Assert.Equal(3, result.ExitCode);
            Assert.StartsWith($"bibtool: {temp.Path} is in use by bibtool process {Environment.ProcessId} (", result.Stderr.Trim());
        }
    }

    [Fact]
    public void AtomicWriteLeavesTheOldFileWhenWritingFails()
    {
        using var temp = TestPaths.TempDir();
        var path = temp.File("out.bib");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s => { s.Write("new"u8); throw new InvalidOperationException("boom"); }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path));
    }
}

/// <summary>Timestamps in the store's and arXiv's shape are read without the general parser; the values are the calendar's.</summary>
public class TimestampsTests
{
    [Theory]
    [InlineData("2024-05-01T12:34:56Z", 2024, 5, 1, 12, 34, 56)]
    [InlineData("2000-02-29T00:00:00Z", 2000, 2, 29, 0, 0, 0)]
    [InlineData("2023-10-02T17:59:59Z", 2023, 10, 2, 17, 59, 59)]
    // Other shapes go through the general parser: an offset is turned into UTC.
    [InlineData("2024-05-01T12:00:00+02:00", 2024, 5, 1, 10, 0, 0)]
    [InlineData("2024-05-01", 2024, 5, 1, 0, 0, 0)]
    public void ReadsUtc(string text, int year, int month, int day, int hour, int minute, int second) =>
        Assert.Equal(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero), BibTool.Text.Timestamps.ParseUtc(text)!.Value.ToUniversalTime());

    [Theory]
    [InlineData("2023-02-29T00:00:00Z")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-05-01T24:00:01Z")]
    [InlineData("not a date")]
    [InlineData(null)]
    public void RejectsWhatIsNoDate(string? text) => Assert.Null(BibTool.Text.Timestamps.ParseUtc(text));
}

public class Sha256Tests
{
    [Fact]
    public void TheManagedDigestIsThePlatformsOnEveryLengthAroundTheBlocks()
    {
        var random = new Random(20261202);
        foreach (var length in Enumerable.Range(0, 200).Concat([1000, 4095, 4096, 65537]))
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(data), BibTool.Store.Sha256.HashData(data));
        }
        // FIPS 180-4's own example: "abc".
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(BibTool.Store.Sha256.HashData("abc"u8)));
    }
}
