using System.Diagnostics;
using BibTool.Identifiers;
using BibTool.Sources;
using BibTool.Store;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>
/// Hostile inputs and a hostile file system: pipes, devices, links and deep nesting where a survey
/// or a record should be; exports racing each other; signals in the middle of a run.
/// </summary>
public class StoreHardeningTests
{
    private static void MakeFifo(string path) => Assert.Equal(0, Validators.Run("mkfifo", [path], Path.GetDirectoryName(path)!).ExitCode);

    [Fact]
    public async Task SurveysThatAreNotRegularFilesOrNestTooDeepAreOneLineErrors()
    {
        using var temp = TestPaths.TempDir();
        MakeFifo(temp.File("pipe.md"));
        File.WriteAllText(temp.File("quotes.md"), "| Name | Paper |\n|---|---|\n| a | [p](https://doi.org/10.1234/abc) |\n\n" + new string('>', 128) + " deep\n");
        File.WriteAllText(temp.File("stars.md"), "| Name | Paper |\n|---|---|\n| a | " + string.Concat(Enumerable.Repeat("*a ", 50_000)) + string.Concat(Enumerable.Repeat(" a*", 50_000)) + " |\n");
        // Nesting spread over many short lines reaches Markdig, which refuses it: still one line, exit 2.
        File.WriteAllText(temp.File("spread.md"), "| Name | Paper |\n|---|---|\n| a | [p](https://doi.org/10.1234/abc) |\n\n" +
            string.Join("\n", Enumerable.Repeat(string.Concat(Enumerable.Repeat("*a ", 1000)), 50)) + "\n" + string.Join("\n", Enumerable.Repeat(string.Concat(Enumerable.Repeat(" a*", 1000)), 50)) + "\n");
        var cases = new (string File, string Message)[]
        {
            (temp.File("pipe.md"), "pipe.md: not a regular file"),
            ("/dev/zero", "/dev/zero: not a regular file"),
            (temp.Path, "is a directory"),
            (temp.File("quotes.md"), "quotes.md:5: nested more than 64 levels deep"),
            (temp.File("stars.md"), "stars.md:3: more than 4096 emphasis, link or code delimiters on one line"),
            (temp.File("spread.md"), "spread.md: cannot be read as Markdown"),
        };
        foreach (var (file, message) in cases)
        {
            var result = await CliRunner.RunAsync("list", file).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(2, result.ExitCode);
            Assert.Contains(message, result.Stderr);
            Assert.Single(result.Stderr.Trim().Split('\n'));
        }
    }

    [Fact]
    public void TheStoreFollowsNoLinksAndOpensNoSpecialFiles()
    {
        using var temp = TestPaths.TempDir();
        using var outside = TestPaths.TempDir();
        var store = new MetadataStore(temp.File("store"));
        var doi = IdentifierParser.Parse("doi:10.1234/abc");
        var record = Records.Make("crossref", doi, "https://api.crossref.org/works/x", 200, "application/json", Synthetic.CrossrefWork("10.1234/abc"), "bibtool/test");

        // A shard that is a link to a folder outside the store: nothing is written there, nothing read from it.
        Directory.CreateDirectory(temp.File("store/crossref"));
        File.CreateSymbolicLink(temp.File("store/crossref/10.1234"), outside.Path);
        var refused = Assert.Throws<IOException>(() => store.Write(doi, record));
        Assert.Contains("symbolic link", refused.Message);
        Assert.Empty(Directory.GetFileSystemEntries(outside.Path));
        File.WriteAllBytes(Path.Combine(outside.Path, "abc.rec"), File.ReadAllBytes(WriteElsewhere(record, doi)));
        Assert.Equal(MetadataStore.ReadState.Damaged, store.TryRead(doi, out _, out var problem));
        Assert.Contains("symbolic link", problem);
        Assert.Empty(store.RecordFiles());

        // A record that is a FIFO or a link is damaged, never opened.
        File.Delete(temp.File("store/crossref/10.1234"));
        Directory.CreateDirectory(temp.File("store/crossref/10.1234"));
        MakeFifo(temp.File("store/crossref/10.1234/abc.rec"));
        Assert.Equal(MetadataStore.ReadState.Damaged, store.TryRead(doi, out _, out problem));
        Assert.Contains("not a regular file", problem);

        // A record that is a link, even to a sound record inside the store, is damaged and not read.
        File.Delete(temp.File("store/crossref/10.1234/abc.rec"));
        File.Copy(WriteElsewhere(record, doi), temp.File("store/crossref/10.1234/kept.rec"));
        File.CreateSymbolicLink(temp.File("store/crossref/10.1234/abc.rec"), "kept.rec");
        Assert.Equal(MetadataStore.ReadState.Damaged, store.TryRead(doi, out _, out problem));
        Assert.Contains("not a regular file", problem);

        // A lock file that is a link is refused: its target is never truncated.
        var target = outside.File("precious.txt");
        File.WriteAllText(target, "keep me");
        File.CreateSymbolicLink(temp.File("store/.lock"), target);
        var locked = Assert.Throws<IOException>(() => store.Lock(TimeSpan.FromSeconds(1)));
        Assert.Contains(".lock is not a regular file", locked.Message);
        Assert.Equal("keep me", File.ReadAllText(target));
    }

    private static string WriteElsewhere(StoredRecord record, Identifier id)
    {
        // Removed when the test process ends (the record is read after this returns).
        var elsewhere = new MetadataStore(TestPaths.TempDir().Path);
        elsewhere.Write(id, record);
        return elsewhere.PathFor(id);
    }

    [Fact]
    public void OnlyDeadBibtoolWritersTempFilesAreSwept()
    {
        using var temp = TestPaths.TempDir();
        var store = new MetadataStore(temp.Path);
        Directory.CreateDirectory(temp.File("crossref/10.1234"));
        var guid = Guid.NewGuid().ToString("N");
        var dead = temp.File($"crossref/10.1234/.abc.rec.999999.{guid}.tmp");
        var alive = temp.File($"crossref/10.1234/.abc.rec.{Environment.ProcessId}.{guid}.tmp");
        var users = temp.File("crossref/.notes.tmp");
        foreach (var file in new[] { dead, alive, users }) File.WriteAllText(file, "x");
        using (store.Lock(TimeSpan.FromSeconds(1))) { }
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(alive));
        Assert.True(File.Exists(users));
    }

    [Fact]
    public void TheStoreIsSweptAfterAHolderThatNeverReleasedTheLock()
    {
        using var temp = TestPaths.TempDir();
        var store = new MetadataStore(temp.Path);
        Directory.CreateDirectory(temp.File("crossref/10.1234"));
        var leftover = temp.File($"crossref/10.1234/.abc.rec.999999.{Guid.NewGuid():N}.tmp");

        // A holder that let go: the lock file says so.
        using (store.Lock(TimeSpan.FromSeconds(1))) { }
        Assert.Equal("released\n", File.ReadAllText(temp.File(".lock")));

        // A holder killed while writing (SYNTHETIC: its process id and its temporary file, as a kill leaves them).
        File.WriteAllText(temp.File(".lock"), "999999\n");
        File.WriteAllText(leftover, "half a record");
        using (store.Lock(TimeSpan.FromSeconds(1))) { }
        Assert.False(File.Exists(leftover));
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "bibtool.dll"), .. args])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        return Process.Start(start)!;
    }

    [Fact]
    public async Task ConcurrentExportsLoseNoPinAndShareNoKey()
    {
        using var temp = TestPaths.TempDir();
        var settings = new BibTool.Resolve.BibToolSettings { CacheDirectory = temp.Path };
        var first = new BibTool.Export.ExportService(settings, "test");
        var second = new BibTool.Export.ExportService(settings, "test");

        // The first export holds its keys; the second waits for them instead of reading a stale file.
        var session = first.OpenKeys(TimeSpan.FromSeconds(5));
        session.Pins.Pin("doi:10.1234/a", "zhou2023foundation");
        var waiting = Task.Run(() => second.OpenKeys(TimeSpan.FromSeconds(20)));
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted, "a second export handed out keys while the first held them");
        session.Save();
        session.Dispose();
        using var later = await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("zhou2023foundation", later.Pins.Find("doi:10.1234/a"));

        // So a key the first gave is never given again, and the first's pins survive the second's save.
        var keys = new BibTool.Keys.CitationKeys(reserved: later.Pins.Keys);
        var work = new BibTool.Model.Work { Id = "doi:10.1234/b", Title = BibTool.Model.RichText.FromPlain("Foundation"), Issued = new BibTool.Model.DateParts(2023), Authors = { new BibTool.Model.Name("Zhou") } };
        var key = keys.Assign(work);
        Assert.Equal("zhou2023foundationa", key);
        later.Pins.Pin(work.Id, key);
        later.Save();
        Assert.Equal(["doi:10.1234/a\tzhou2023foundation", "doi:10.1234/b\tzhou2023foundationa"], File.ReadAllLines(temp.File("keys.tsv")).Where(l => !l.StartsWith('#')));
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task SignalsCancelCleanlyWithTheShellsExitCodes(string signal, int expected)
    {
        using var temp = TestPaths.TempDir();
        // SYNTHETIC Crossref that answers slowly, so the run is still fetching when signalled.
        await using var crossref = new LoopbackServer(Synthetic.Crossref(limit: 50, concurrency: 5, latency: TimeSpan.FromSeconds(1)));
        await using var arxiv = new LoopbackServer(Synthetic.Arxiv());
        using var run = Start(["resolve", TestPaths.SeedSurvey, "--cache", temp.File("store"), "--crossref-url", crossref.BaseUrl, "--arxiv-url", arxiv.BaseUrl,
            "--mailto", "ci@example.org", "--quiet", .. Synthetic.OtherSourceArgs(Synthetic.Others)]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        // Signalled once some records are stored and while a slow answer is still on its way (asked
        // under half a second ago): on a busy machine the whole run could otherwise end first.
        bool MidFetch() => crossref.Requests.Any(r => DateTime.UtcNow - r.Arrived < TimeSpan.FromMilliseconds(500));
        while (!(Directory.GetFiles(temp.Path, "*.rec", SearchOption.AllDirectories).Length >= 1 && MidFetch()) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.False(run.HasExited, "the run ended before it could be signalled");
        Assert.Equal(0, Validators.Run("kill", [$"-{signal}", run.Id.ToString()], temp.Path).ExitCode);
        var clock = Stopwatch.StartNew();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(expected, run.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed} to stop");
        Assert.Contains("cancelled", await run.StandardError.ReadToEndAsync());
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp", SearchOption.AllDirectories));
        foreach (var file in Directory.GetFiles(temp.Path, "*.rec", SearchOption.AllDirectories))
        {
            StoredRecord.Parse(File.ReadAllBytes(file), out var damage);
            Assert.Null(damage);
        }
    }
}

public class StoreLayoutTests
{
    [Fact]
    public async Task ALinkedShardIsSaidBeforeAnyRequestWithTheFix()
    {
        using var temp = TestPaths.TempDir();
        using var outside = TestPaths.TempDir();
        var store = temp.File("store");
        Directory.CreateDirectory(Path.Combine(store, "crossref"));
        var shard = Path.Combine(store, "crossref", "10.1038");
        File.CreateSymbolicLink(shard, outside.Path);
        var requests = 0;
        await using var crossref = new LoopbackServer(_ => { Interlocked.Increment(ref requests); return Reply.Text(404, "Resource not found."); });
        var result = await CliRunner.RunAsync("resolve", TestPaths.SeedSurvey, "--cache", store, "--crossref-url", crossref.BaseUrl, "--quiet", "--wait", "0");
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(0, requests);
        var line = Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.StartsWith($"bibtool: {shard} is a symbolic link where a folder belongs: bibtool neither reads nor writes through it; replace it with a real folder", line);
        Assert.Empty(Directory.GetFileSystemEntries(outside.Path));
    }

    [Fact]
    public void AStoreFolderMovedAndMadeAgainIsReadWhereItIsNow()
    {
        // One store object for a whole run, its folder moved away and made again meanwhile: records
        // are read at the folder's path, never from the folder that moved.
        using var temp = TestPaths.TempDir();
        var store = new MetadataStore(temp.File("store"));
        var doi = IdentifierParser.Parse("doi:10.1234/again");
        Record(store, doi, "10.1234/again");
        Assert.Equal(MetadataStore.ReadState.Ok, store.TryRead(doi, out _, out _));
        Directory.Move(temp.File("store"), temp.File("moved"));
        Assert.Equal(MetadataStore.ReadState.Missing, store.TryRead(doi, out _, out _));
        Record(store, doi, "10.1234/again");
        Assert.Equal(MetadataStore.ReadState.Ok, store.TryRead(doi, out var record, out _));
        Assert.Equal(doi.WorkKey, record!.Key);
    }

    private static void Record(MetadataStore store, Identifier id, string doi) =>
        store.Write(id, Records.Make("crossref", id, "https://api.crossref.org/works/" + doi, 200, "application/json", Synthetic.CrossrefWork(doi), "bibtool/test"));

    [Fact]
    public void ALinkedRecordIsFoundToo()
    {
        using var temp = TestPaths.TempDir();
        Directory.CreateDirectory(temp.File("crossref/10.1038"));
        File.WriteAllText(temp.File("elsewhere.rec"), "x");
        File.CreateSymbolicLink(temp.File("crossref/10.1038/x.rec"), temp.File("elsewhere.rec"));
        var problem = Assert.Single(new MetadataStore(temp.Path).LayoutProblems(), p => p.Contains("x.rec"));
        Assert.Contains("a symbolic link where a record file belongs", problem);
    }
}
