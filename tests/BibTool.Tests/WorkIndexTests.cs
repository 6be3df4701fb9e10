using System.Collections;
using System.Reflection;
using BibTool.Model;
using BibTool.Resolve;
using BibTool.Store;
using BibTool.Tests.Support;

namespace BibTool.Tests;

/// <summary>
/// The derived index of normalized works: every field comes back as it went in, an export through
/// it is the export without it, and it is used only where it can vouch for a record.
/// </summary>
public class WorkIndexTests(ExportStores stores) : IClassFixture<ExportStores>
{
    /// <summary>Every public property of two works, compared by value (lists item by item, rich text by its runs).</summary>
    private static void SameWork(Work expected, Work actual)
    {
        foreach (var property in typeof(Work).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var (a, b) = (property.GetValue(expected), property.GetValue(actual));
            Assert.True(Describe(a) == Describe(b), $"{expected.Id}: {property.Name}: {Describe(a)} ≠ {Describe(b)}");
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string text => $"'{text}'",
        RichText rich => "[" + string.Join("|", rich.Runs.Select(r => $"{r.Style}:{r.Text}")) + "]",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Describe)) + "]",
        // A part of the work (its provenance): property by property.
        Provenance part => "{" + string.Join(", ", part.GetType().GetProperties().Select(p => $"{p.Name}={Describe(p.GetValue(part))}")) + "}",
        _ => value.ToString() ?? "",
    };

    [Fact]
    public void EveryRecordedWorkComesBackFieldForField()
    {
        var store = new MetadataStore(stores.FixtureStore);
        var works = 0;
        foreach (var file in store.RecordFiles().Concat(new MetadataStore(stores.SeedStore).RecordFiles()))
        {
            var record = StoredRecord.Parse(File.ReadAllBytes(file), out var damage);
            if (damage is not null || record.AliasOf is not null || record.IsNotFound) continue;
            if (record.Source is null) record = record.WithSource(store.SourceOf(file));
            var work = WorkLibrary.Normalize(record.Key, record);
            if (work is null) continue;
            works++;
            SameWork(work, WorkCodec.Decode(WorkCodec.Encode(work)));
        }
        Assert.True(works > 150, $"{works} works");
    }

    [Fact]
    public void AWorkWithEveryPropertySetComesBack()
    {
        // SYNTHETIC: every settable property and every list of a work given a value by reflection,
        // so a property added to Work and forgotten by the codec turns this red.
        var work = new Work { Id = "doi:10.1234/every" };
        var n = 0;
        void Fill(object target)
        {
            foreach (var property in target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                n++;
                var type = property.PropertyType;
                object? value =
                    type == typeof(string) ? $"value {n} ü" :
                    type == typeof(bool) ? !(bool)property.GetValue(target)! :
                    type == typeof(double?) ? 0.5 + n :
                    type == typeof(RichText) ? new RichText([new TextRun("H", TextStyle.None), new TextRun("2", TextStyle.Subscript), new TextRun($"O {n}", TextStyle.Italic)]) :
                    type == typeof(DateParts) ? new DateParts(2000 + n, n % 12 + 1) :
                    type == typeof(Eprint) ? new Eprint("arxiv", "2401.00001", "cs.LG", "v2") : null;
                if (property.CanWrite && value is not null) property.SetValue(target, value);
                else if (property.GetValue(target) is IList list)
                {
                    var item = type.GetGenericArguments()[0];
                    if (item == typeof(string)) list.Add($"item {n}");
                    else if (item == typeof(Name)) { list.Add(new Name("Family", "Given", null, "Jr.", "van")); list.Add(Name.Organisation($"Org {n}")); }
                    else if (item == typeof(Update)) { list.Add(new Update("retraction", "10.1/r", new DateParts(2021, 3, 4))); list.Add(new Update("correction", null)); }
                    else throw new InvalidOperationException($"no test value for a list of {item.Name} ({property.Name})");
                }
                else if (property.GetValue(target) is IDictionary map) { map[$"scheme{n}"] = $"value {n}"; map["a" + n] = "é"; }
                // A part of the work (its provenance): every property of it too.
                else if (property.GetValue(target) is Provenance part) Fill(part);
                else if (property.CanWrite) throw new InvalidOperationException($"no test value for {type.Name} ({property.Name})");
            }
        }
        Fill(work);
        SameWork(work, WorkCodec.Decode(WorkCodec.Encode(work)));
        Assert.NotNull(work.Retraction);
    }

    private string ExportAll(string store, string format = "biblatex")
    {
        var result = CliRunner.Run("export", "--all", "--format", format, "--cache", store);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout;
    }

    [Fact]
    public void AnExportThroughTheIndexIsTheExportWithoutIt()
    {
        using var temp = TestPaths.TempDir();
        stores.CopySeedRecords(temp.Path);
        var first = ExportAll(temp.Path);
        Assert.True(File.Exists(WorkIndex.PathIn(temp.Path)));
        Assert.Contains("*", File.ReadAllText(Path.Combine(temp.Path, ".index", ".gitignore")));
        var built = File.ReadAllBytes(WorkIndex.PathIn(temp.Path));
        var builtAt = File.GetLastWriteTimeUtc(WorkIndex.PathIn(temp.Path));
        Assert.Equal(first, ExportAll(temp.Path));
        // An index that vouched for every record is not written again; no temporary file is left.
        Assert.Equal(builtAt, File.GetLastWriteTimeUtc(WorkIndex.PathIn(temp.Path)));
        Assert.Equal(["works.bin"], Directory.GetFiles(Path.Combine(temp.Path, ".index"), "*.*").Select(Path.GetFileName).Where(n => n != ".gitignore"));

        // A record removed: its work is gone from the export, and from the index written anew.
        var removed = SomeCrossrefRecord(temp.Path);
        var doi = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(removed), "\"DOI\":\"([^\"]+)\"").Groups[1].Value;
        Assert.Contains(doi, first, StringComparison.OrdinalIgnoreCase);
        File.Delete(removed);
        var without = ExportAll(temp.Path);
        Assert.DoesNotContain(doi, without, StringComparison.OrdinalIgnoreCase);
        Assert.True(File.ReadAllBytes(WorkIndex.PathIn(temp.Path)).Length < built.Length);
        File.Copy(Path.Combine(stores.SeedStore, Path.GetRelativePath(temp.Path, removed)), removed);
        Assert.Equal(first, ExportAll(temp.Path));
        // Without the index (and its keys), the same again.
        File.Delete(WorkIndex.PathIn(temp.Path));
        Assert.Equal(first, ExportAll(temp.Path));
        foreach (var format in BibTool.Export.Writers.Formats) Assert.True(ExportAll(temp.Path, format).Length > 10_000, format);
    }

    private static string SomeCrossrefRecord(string store) =>
        new MetadataStore(store).RecordFiles().First(f => f.Contains($"{Path.DirectorySeparatorChar}crossref{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
            File.ReadAllText(f).Contains("\"title\":[\"", StringComparison.Ordinal));

    [Fact]
    public void AnIndexedRecordIsReadFromTheIndexAndAChangedOneFromTheRecord()
    {
        using var temp = TestPaths.TempDir();
        stores.CopySeedRecords(temp.Path);
        var file = SomeCrossrefRecord(temp.Path);
        var original = File.ReadAllText(file);
        var title = System.Text.RegularExpressions.Regex.Match(original, "\"title\":\\[\"([^\"]+)\"").Groups[1].Value;
        var before = ExportAll(temp.Path);
        Assert.Contains(title.Split(' ')[0], before);

        // The same size and time, other bytes (a record damaged behind the store's back): the index
        // still vouches for it, so the export still has the work; proof the record was not read.
        var stamp = File.GetLastWriteTimeUtc(file);
        File.WriteAllText(file, new string('x', new FileInfo(file).Length is var n ? (int)n : 0));
        File.SetLastWriteTimeUtc(file, stamp);
        Assert.Equal(before, ExportAll(temp.Path));

        // A record rewritten (new time): read again, here with a new title (SYNTHETIC change).
        File.WriteAllText(file, original.Replace(title, "Quokka Zebra Observations", StringComparison.Ordinal));
        var changedBody = File.ReadAllText(file);
        File.SetLastWriteTimeUtc(file, stamp.AddMinutes(1));
        var indexBefore = File.ReadAllBytes(WorkIndex.PathIn(temp.Path));
        var after = ExportAll(temp.Path);
        // The index now says what the record says (its new time, and no work): written anew.
        Assert.NotEqual(indexBefore, File.ReadAllBytes(WorkIndex.PathIn(temp.Path)));
        // The body's checksum no longer holds, so the record reads as damaged and is skipped: the work is gone.
        Assert.NotEqual(before, after);
        Assert.DoesNotContain("Quokka Zebra Observations", after);
        Assert.NotEqual(original, changedBody);
    }

    /// <summary>
    /// After any change, the index kept up to date (old entries copied up to the change, the rest
    /// written anew) is byte for byte the index built from nothing over the same records.
    /// </summary>
    [Theory]
    [InlineData("first touched")]
    [InlineData("middle touched")]
    [InlineData("middle removed")]
    [InlineData("middle added")]
    [InlineData("last removed")]
    public void AnIndexKeptUpToDateIsTheIndexBuiltAfresh(string change)
    {
        using var temp = TestPaths.TempDir();
        stores.CopySeedRecords(temp.Path);
        // The index's order, worked out here: record paths under the store, ordinal.
        var records = Directory.GetFiles(temp.Path, "*.rec", SearchOption.AllDirectories)
            .OrderBy(f => Path.GetRelativePath(temp.Path, f), StringComparer.Ordinal).ToList();
        var (where, what) = (change.Split(' ')[0], change.Split(' ')[1]);
        var record = where switch { "first" => records[0], "last" => records[^1], _ => records[records.Count / 2] };
        var saved = File.ReadAllBytes(record);
        if (what == "added") File.Delete(record);
        ExportAll(temp.Path);
        var path = WorkIndex.PathIn(temp.Path);
        var before = File.ReadAllBytes(path);

        switch (what)
        {
            case "touched": File.SetLastWriteTimeUtc(record, File.GetLastWriteTimeUtc(record).AddMinutes(1)); break;
            case "removed": File.Delete(record); break;
            case "added": File.WriteAllBytes(record, saved); break;
        }
        var updated = ExportAll(temp.Path);
        var kept = File.ReadAllBytes(path);
        Assert.NotEqual(before, kept);

        File.Delete(path);
        Assert.Equal(updated, ExportAll(temp.Path));
        Assert.Equal(File.ReadAllBytes(path), kept);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("flipped")]
    [InlineData("foreign")]
    public void ADamagedOrForeignIndexIsNeverTrusted(string damage)
    {
        using var temp = TestPaths.TempDir();
        stores.CopySeedRecords(temp.Path);
        var expected = ExportAll(temp.Path);
        var path = WorkIndex.PathIn(temp.Path);
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncated": bytes = bytes[..(bytes.Length / 2)]; break;
            // A changed byte inside an entry: its checksum no longer holds.
            case "flipped": bytes[bytes.Length / 2] ^= 0x5A; break;
            // Written by another build of bibtool: its mappers may differ.
            case "foreign":
                var build = System.Text.Encoding.UTF8.GetBytes(WorkIndex.Build);
                var at = bytes.AsSpan().IndexOf(build);
                Assert.True(at > 0);
                bytes[at] = (byte)(bytes[at] == (byte)'0' ? '1' : '0');
                break;
        }
        File.WriteAllBytes(path, bytes);
        Assert.Equal(expected, ExportAll(temp.Path));
        // And the index is whole again afterwards.
        Assert.Equal(expected, ExportAll(temp.Path));
    }

    [Fact]
    public void StampsReadFolderByFolderAreThoseOfEachRecordsPath()
    {
        // SYNTHETIC files: two records in two folders, one with an old time, a link, a FIFO, a folder and a gone name.
        using var temp = TestPaths.TempDir();
        Directory.CreateDirectory(Path.Combine(temp.Path, "a", "b"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "c", "folder.rec"));
        File.WriteAllText(Path.Combine(temp.Path, "a", "b", "one.rec"), "twelve bytes");
        File.WriteAllText(Path.Combine(temp.Path, "c", "two.rec"), "");
        File.SetLastWriteTimeUtc(Path.Combine(temp.Path, "c", "two.rec"), new DateTime(2001, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc).AddTicks(1234));
        File.CreateSymbolicLink(Path.Combine(temp.Path, "c", "link.rec"), Path.Combine(temp.Path, "c", "two.rec"));
        Assert.Equal(0, Validators.Run("mkfifo", ["c/fifo.rec"], temp.Path).ExitCode);
        string[] relatives = ["a/b/one.rec", "a/b/gone.rec", "c/fifo.rec", "c/folder.rec", "c/link.rec", "c/two.rec", "d/none.rec"];

        var stamps = FolderStamps.Of(temp.Path, relatives);

        Assert.Equal(new RecordStamp(12, File.GetLastWriteTimeUtc(Path.Combine(temp.Path, "a", "b", "one.rec")).Ticks), stamps[0]);
        Assert.Equal(new RecordStamp(0, new DateTime(2001, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc).AddTicks(1234).Ticks), stamps[5]);
        // Gone, a FIFO (never opened: it would wait for a writer), a folder, a link (the listing never follows one), a missing folder: no stamp.
        Assert.Equal([null, null, null, null, null], new[] { stamps[1], stamps[2], stamps[3], stamps[4], stamps[6] });
    }
}

/// <summary>Writers whose items stand alone format large exports on all cores: the bytes must be those written item by item.</summary>
public class BatchedWritingTests(ExportStores stores) : IClassFixture<ExportStores>
{
    [Theory]
    [InlineData("bibtex")]
    [InlineData("biblatex")]
    [InlineData("ris")]
    public void ItemsFormattedOnAllCoresAreWrittenInOrder(string format)
    {
        // Every recorded work, over and over under new keys, so that full batches and a partial one are written.
        var works = new[] { stores.FixtureStore, stores.SeedStore }.SelectMany(store => BibTool.Export.StoreExport.Items(new MetadataStore(store))).Select(i => i.Work).ToList();
        Assert.True(works.Count > 150, $"{works.Count} works");
        var items = Enumerable.Range(0, 700).Select(n => new BibTool.Export.ExportItem(works[n % works.Count], $"key{n}", [])).ToList();
        var writer = BibTool.Export.Writers.For(format);
        Assert.True(writer.ItemsStandAlone);

        var oneByOne = new StringWriter();
        foreach (var item in items) writer.Write(item, oneByOne);
        var batched = new StringWriter();
        BibTool.Export.Writers.WriteAll(writer, items, batched);
        Assert.Equal(oneByOne.ToString(), batched.ToString());
        // In order: key0 … key699, each once.
        var keys = System.Text.RegularExpressions.Regex.Matches(batched.ToString(), @"\bkey(\d+)\b").Select(m => int.Parse(m.Groups[1].Value)).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, 700), keys);
    }
}
