using System.Text;
using BibTool.Identifiers;
using BibTool.Resolve;
using BibTool.Store;
using BibTool.Survey;

namespace BibTool.Tests.Support;

/// <summary>
/// Two stores built once for the export tests: the seed survey resolved against SYNTHETIC
/// responders (its works were never recorded), and every recorded Crossref work and arXiv entry
/// resolved against the replay of the real recordings, listed in a survey generated here.
/// </summary>
public sealed class ExportStores : IAsyncLifetime
{
    private readonly TempDir _temp = TestPaths.TempDir();

    public string SeedStore => Path.Combine(_temp.Path, "seed-store");
    public string FixtureStore => Path.Combine(_temp.Path, "fixture-store");
    public string FixtureSurvey => Path.Combine(_temp.Path, "recorded-works.md");
    public int FixtureWorks { get; private set; }
    public string Directory => _temp.Path;

    public async Task InitializeAsync()
    {
        await using (var crossref = new LoopbackServer(Synthetic.Crossref(limit: 100, concurrency: 8)))
        await using (var arxiv = new LoopbackServer(Synthetic.Arxiv()))
        {
            var requests = BibTool.Sources.Survey.SurveySource.Requests(SurveyReader.ReadFile(TestPaths.SeedSurvey).Entries);
            var report = await new Resolver(new MetadataStore(SeedStore), BibTool.Sources.SourceRegistry.Default, Clients.All(crossref, arxiv, Synthetic.Others)).ResolveAsync(requests, false);
            if (!report.Complete) throw new InvalidOperationException("seed store incomplete: " + string.Join("; ", report.Failures.Select(f => $"{f.Identifier} {f.Message}")));
        }

        // A survey of every recorded work: one table of DOIs, one of arXiv ids (those with an entry).
        var dois = FixtureReplay.CrossrefWorks().Keys.Order(StringComparer.Ordinal).ToList();
        var arxivIds = new[] { "1605.08386", "1707.08567", "2104.12255v1", "astro-ph/0601001", "quant-ph/0201082v1", "1710.08557", "astro-ph/9812133", "math/0211159", "math/9501234" };
        var markdown = new StringBuilder("# Recorded works\n\n## Crossref\n\n### Works\n\n| Name | Paper |\n|---|---|\n");
        foreach (var doi in dois) markdown.Append($"| {doi.Replace("|", "\\|")} | [paper](https://doi.org/{Uri.EscapeDataString(doi).Replace("%2F", "/")}) |\n");
        markdown.Append("\n## arXiv\n\n### Preprints\n\n| Name | Paper |\n|---|---|\n");
        foreach (var id in arxivIds) markdown.Append($"| {id} | [arXiv](https://arxiv.org/abs/{id}) |\n");
        File.WriteAllText(FixtureSurvey, markdown.ToString());

        var replayArxiv = FixtureReplay.Arxiv();
        await using (var crossref = new LoopbackServer(FixtureReplay.Crossref()))
        await using (var arxiv = new LoopbackServer(r => replayArxiv(r)))
        {
            var entries = SurveyReader.ReadFile(FixtureSurvey).Entries;
            var store = new MetadataStore(FixtureStore);
            var resolver = Clients.Resolver(store, Clients.Crossref(crossref), null);
            var report = await resolver.ResolveAsync(entries.Select(e => e.Identifier).Where(i => i.Type == IdentifierType.Doi), false);
            if (!report.Complete) throw new InvalidOperationException("fixture store incomplete: " + string.Join("; ", report.Failures.Select(f => f.Message)));
            // arXiv ids one request each: the recordings are single-id feeds (batch size 1, paced 10 ms apart).
            var source = Clients.Arxiv(arxiv, TimeSpan.FromMilliseconds(10), batch: 1);
            var arxivReport = await Clients.Resolver(store, null, source).ResolveAsync(entries.Select(e => e.Identifier).Where(i => i.Type == IdentifierType.Arxiv), false);
            if (!arxivReport.Complete) throw new InvalidOperationException("fixture arXiv incomplete: " + string.Join("; ", arxivReport.Failures.Select(f => f.Identifier + " " + f.Message)));
            FixtureWorks = entries.Select(e => e.Identifier).Distinct().Count();
        }
    }

    /// <summary>Copies the seed store's records (not its keys) to <paramref name="directory"/>, for tests that change a store.</summary>
    public void CopySeedRecords(string directory)
    {
        foreach (var file in System.IO.Directory.GetFiles(SeedStore, "*.rec", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(directory, Path.GetRelativePath(SeedStore, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    public Task DisposeAsync()
    {
        // BIBTOOL_KEEP_TEST_FILES=DIR keeps the stores and exports for a look by hand.
        if (Environment.GetEnvironmentVariable("BIBTOOL_KEEP_TEST_FILES") is { Length: > 0 } keep)
        {
            System.IO.Directory.CreateDirectory(keep);
            foreach (var file in System.IO.Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(keep, Path.GetRelativePath(_temp.Path, file));
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
            }
        }
        _temp.Dispose();
        return Task.CompletedTask;
    }
}
