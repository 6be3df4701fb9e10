using System.Text;

namespace BibTool.Tests.Support;

/// <summary>
/// Replays the real recorded responses in tests/fixtures: bodies byte for byte, with the
/// status and response headers of their .headers.txt sidecars (minus framing headers, which the
/// server sets itself, and a recorded Content-Encoding the recorder had already undone).
/// </summary>
public static class FixtureReplay
{
    public sealed record Recording(int Status, string Reason, List<(string Name, string Value)> Headers, byte[] Body, string File);

    private static readonly HashSet<string> Framing = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive",
    };

    public static Recording Load(string dataFile)
    {
        var body = File.ReadAllBytes(dataFile);
        var status = 200;
        var reason = "OK";
        var headers = new List<(string, string)>();
        var sidecar = dataFile + ".headers.txt";
        if (File.Exists(sidecar))
        {
            var first = true;
            foreach (var line in File.ReadAllLines(sidecar))
            {
                if (!line.StartsWith("< ", StringComparison.Ordinal)) continue;
                var text = line[2..];
                if (first)
                {
                    first = false;
                    var parts = text.Split(' ', 2);
                    if (int.TryParse(parts[0], out var code)) { status = code; reason = parts.Length > 1 ? parts[1] : ""; continue; }
                }
                var colon = text.IndexOf(':');
                if (colon <= 0) continue;
                var name = text[..colon].Trim();
                if (!Framing.Contains(name)) headers.Add((name, text[(colon + 1)..].Trim()));
            }
        }
        return new Recording(status, reason, headers, body, dataFile);
    }

    public static Reply ToReply(Recording recording) => new()
    {
        Status = recording.Status,
        Reason = recording.Reason.Length == 0 ? "OK" : recording.Reason,
        Headers = recording.Headers,
        Body = recording.Body,
    };

    /// <summary>Decodes a fixture file name (Python quote(x, safe='._-')) back to the identifier.</summary>
    public static string Unquote(string name) => Uri.UnescapeDataString(name);

    /// <summary>Every recorded Crossref work: DOI (lower case) → data file.</summary>
    public static Dictionary<string, string> CrossrefWorks() =>
        Directory.GetFiles(TestPaths.Fixture("crossref", "works"), "*.json")
            .ToDictionary(f => Unquote(Path.GetFileNameWithoutExtension(f)).ToLowerInvariant(), f => f);

    /// <summary>Every recorded arXiv id_list feed: the id_list as requested → data file.</summary>
    public static Dictionary<string, string> ArxivFeeds()
    {
        var feeds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(TestPaths.Fixture("arxiv", "current-format-2026"), "id_*.atom.xml"))
        {
            var name = Path.GetFileName(file)["id_".Length..^".atom.xml".Length];
            foreach (var suffix in new[] { "_empty", "_error-400" })
                if (name.EndsWith(suffix, StringComparison.Ordinal)) name = name[..^suffix.Length];
            feeds[Unquote(name)] = file;
        }
        foreach (var file in Directory.GetFiles(TestPaths.Fixture("arxiv", "legacy-format-2019"), "id_list-*.atom.xml"))
        {
            var name = Path.GetFileName(file)["id_list-".Length..^".atom.xml".Length];
            if (name.EndsWith("_error-400", StringComparison.Ordinal)) name = name[..^"_error-400".Length];
            feeds.TryAdd(Unquote(name), file);
        }
        return feeds;
    }

    /// <summary>
    /// A Crossref stand-in serving the recorded works, the recorded 301 for the one recorded alias
    /// DOI, and the recorded 404 for anything else.
    /// </summary>
    public static Func<RecordedRequest, Reply> Crossref()
    {
        var works = CrossrefWorks();
        var notFound = Load(TestPaths.Fixture("crossref", "errors", "works-404_10.1371-notarealdoi.txt"));
        var alias = Load(TestPaths.Fixture("crossref", "errors", "works-301_alias-doi_10.26434-chemrxiv.5406907.txt"));
        return request =>
        {
            if (!request.Path.StartsWith("/works/", StringComparison.Ordinal)) return Reply.Text(404, "Resource not found.");
            var doi = Uri.UnescapeDataString(request.Path["/works/".Length..]).ToLowerInvariant();
            if (doi == "10.26434/chemrxiv.5406907") return ToReply(alias);
            return works.TryGetValue(doi, out var file) ? ToReply(Load(file)) : ToReply(notFound);
        };
    }

    /// <summary>An arXiv stand-in serving the recorded feeds by their exact id_list.</summary>
    public static Func<RecordedRequest, Reply> Arxiv()
    {
        var feeds = ArxivFeeds();
        return request =>
        {
            var idList = request.QueryValue("id_list") ?? "";
            return feeds.TryGetValue(idList, out var file)
                ? ToReply(Load(file))
                : Reply.Text(500, $"test replay has no recording for id_list={idList}");
        };
    }

    /// <summary>A DataCite stand-in serving the recorded /dois/ documents, and the recorded 404 for anything else.</summary>
    public static Func<RecordedRequest, Reply> DataCite()
    {
        var dois = Directory.GetFiles(TestPaths.Fixture("datacite", "rest"), "*.json")
            .ToDictionary(f => Unquote(Path.GetFileNameWithoutExtension(f)).ToLowerInvariant(), f => f);
        var notFound = Load(TestPaths.Fixture("datacite", "errors", "dois-404_10.4124-05f6c379.json"));
        return request =>
        {
            var doi = Uri.UnescapeDataString(request.Path["/dois/".Length..]).ToLowerInvariant();
            return dois.TryGetValue(doi, out var file) ? ToReply(Load(file)) : ToReply(notFound);
        };
    }

    /// <summary>
    /// OpenAlex stand-in: a work by DOI answers with its recording (GET /works/https://doi.org/DOI),
    /// any other DOI with the recorded 404 page, as OpenAlex answers a DOI it does not know.
    /// </summary>
    public static Func<RecordedRequest, Reply> OpenAlex()
    {
        const string prefix = "/works/https://doi.org/";
        var works = Directory.GetFiles(TestPaths.Fixture("openalex", "works"), "doi_*.json").Where(f => !f.Contains("_select-"))
            .ToDictionary(f => Unquote(Path.GetFileNameWithoutExtension(f)["doi_".Length..]).ToLowerInvariant(), f => f);
        var notFound = Load(Directory.GetFiles(TestPaths.Fixture("openalex", "works"), "*_404.html").Single());
        var search = Load(Directory.GetFiles(TestPaths.Fixture("openalex", "works"), "filter-title.search_*.json").Single());
        return request =>
        {
            // The recorded title search for its own title; any other search finds nothing (SYNTHETIC empty list, the recorded shape).
            if (request.Path == "/works")
                return request.QueryValue("filter") == "title.search:PaperQA: Retrieval-Augmented Generative Agent for Scientific Research"
                    ? ToReply(search)
                    : new Reply { Body = """{"meta":{"count":0,"page":1,"per_page":5},"results":[],"group_by":[]}"""u8.ToArray(), Headers = [("Content-Type", "application/json")] };
            var doi = request.Path.StartsWith(prefix, StringComparison.Ordinal) ? Uri.UnescapeDataString(request.Path[prefix.Length..]).ToLowerInvariant() : "";
            return works.TryGetValue(doi, out var file) ? ToReply(Load(file)) : ToReply(notFound);
        };
    }

    /// <summary>
    /// NCBI stand-in: efetch answers with the recording made for exactly that id list; the PMC ID
    /// converter with the recorded record of the PMCID asked (recorded answers to the old endpoint,
    /// one of them asked by DOI: the record is the same whichever of its ids is asked), else the
    /// recorded per-record error.
    /// </summary>
    public static Func<RecordedRequest, Reply> Ncbi()
    {
        var eutils = TestPaths.Fixture("ncbi", "eutils");
        var idconv = TestPaths.Fixture("ncbi", "idconv");
        var conversions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["PMC3292175"] = Path.Combine(idconv, "v1.0_ids-3292175_idtype-pmcid.json"),
            ["PMC3051412"] = Path.Combine(idconv, "v1.0_ids-3051412_idtype-pmcid_no-doi.json"),
            ["PMC1762313"] = Path.Combine(idconv, "v1.0_ids-10.1371%2Fjournal.pone.0000030_idtype-doi.json"),
        };
        var conversionError = Path.Combine(idconv, "v1.0_ids-10.1371%2Fjournal.pone.0000030x_idtype-doi_error-record.json");
        return request =>
        {
            if (request.Path == "/entrez/eutils/efetch.fcgi")
            {
                var ids = request.QueryValue("id") ?? "";
                var file = Directory.GetFiles(eutils, $"efetch_db-pubmed_id-{ids}*.xml").FirstOrDefault();
                return file is null ? Reply.Text(404, $"test replay has no efetch recording for id={ids}") : ToReply(Load(file));
            }
            if (request.Path.StartsWith("/tools/idconv/", StringComparison.Ordinal))
                return ToReply(Load(conversions.GetValueOrDefault(request.QueryValue("ids") ?? "", conversionError)));
            return Reply.Text(404, "not an NCBI path in this replay");
        };
    }

    /// <summary>
    /// Landing pages through the gateway (/HOST/PATH): the recorded pages (golden files saved
    /// without headers, so the replay says text/html itself), else 404.
    /// </summary>
    public static Func<RecordedRequest, Reply> Landing()
    {
        static string Flat(string text) => text.Replace('/', '_');
        var pages = Directory.GetFiles(TestPaths.Fixture("landing"), "*.html")
            .ToDictionary(f => Flat(Unquote(Path.GetFileNameWithoutExtension(f))), f => f, StringComparer.Ordinal);
        return request =>
        {
            var key = Flat(Uri.UnescapeDataString(request.Path.TrimStart('/')).TrimEnd('/'));
            if (key.StartsWith("www.", StringComparison.Ordinal)) key = key[4..];
            return pages.TryGetValue(key, out var file)
                ? new Reply { Body = File.ReadAllBytes(file), Headers = [("Content-Type", "text/html; charset=utf-8")] }
                : Reply.Text(404, "no such page", "text/html");
        };
    }

    public static string BodyText(string file) => Encoding.UTF8.GetString(File.ReadAllBytes(file));
}
