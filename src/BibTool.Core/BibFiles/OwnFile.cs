using BibTool.Identifiers;
using BibTool.Model;

namespace BibTool.BibFiles;

/// <summary>
/// A user's own bibliography file (.bib, .ris or CSL-JSON) as `refresh` handles it: read by the
/// reader of its kind, the identifiers its entries name, refreshed against works, and written back
/// in its own encoding after a .bak of the original.
/// </summary>
public sealed class OwnFile
{
    private readonly Func<Func<Identifier, Work?>, BibRefreshResult> _refresh;
    private readonly BibFile? _bib;

    private OwnFile(string path, List<Identifier> identifiers, int entries, IReadOnlyList<string> warnings, Func<Func<Identifier, Work?>, BibRefreshResult> refresh, BibFile? bib)
    {
        Path = path;
        Identifiers = identifiers;
        Entries = entries;
        Warnings = warnings;
        _refresh = refresh;
        _bib = bib;
    }

    public string Path { get; }

    /// <summary>What each entry names (Identifier.None where it names nothing bibtool can look up).</summary>
    public IReadOnlyList<Identifier> Identifiers { get; }

    public int Entries { get; }

    /// <summary>What reading found (a duplicate key, an undefined macro), each with file:line.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Whether <paramref name="path"/> is a file `refresh` reads as a bibliography rather than a survey.</summary>
    public static bool IsBibliography(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() is ".bib" or ".json" or ".ris";

    /// <summary>Reads the file; <paramref name="macroFiles"/> (.bib only) lend their @string definitions. Throws <see cref="BibParseException"/> naming file:line.</summary>
    public static OwnFile Read(string path, IReadOnlyList<string> macroFiles)
    {
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (extension != ".bib" && macroFiles.Count > 0) throw new ArgumentException("--macros is for a .bib file: it reads @string definitions the file uses");
        if (extension == ".bib")
        {
            var macros = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            // A companion file's own problems are not this refresh's: only its @string definitions are read.
            foreach (var companion in macroFiles)
                foreach (var (name, value) in BibParser.ReadFile(companion).Strings) macros[name] = value;
            var file = BibParser.ReadFile(path, macros);
            return new OwnFile(path, file.Records.Select(BibRefresher.IdentifierOf).ToList(), file.Records.Count, file.Warnings.ToList(), find => BibRefresher.Refresh(file, find), file);
        }
        var text = BibParser.ReadText(path);
        if (extension == ".ris")
        {
            var ids = RisRefresher.Identifiers(path, text);
            return new OwnFile(path, ids, ids.Count, [], find => RisRefresher.Refresh(path, text, find), null);
        }
        var items = CslJsonRefresher.Identifiers(path, text);
        return new OwnFile(path, items, items.Count, [], find => CslJsonRefresher.Refresh(path, text, find), null);
    }

    public BibRefreshResult Refresh(Func<Identifier, Work?> find) => _refresh(find);

    /// <summary>Writes a refresh's text: the original to PATH.bak first (a crash in between never leaves the user without either), then the new text atomically, in the file's own encoding.</summary>
    public void Write(BibRefreshResult result)
    {
        var original = File.ReadAllBytes(Path);
        Store.AtomicFile.WriteOutput(Path + ".bak", s => s.Write(original));
        // Latin-1 stays Latin-1 and a byte-order mark stays (a .bib); RIS and CSL-JSON are UTF-8.
        var bytes = _bib is not null ? _bib.Bytes(result.Text) : new System.Text.UTF8Encoding(false).GetBytes(result.Text);
        Store.AtomicFile.WriteOutput(Path, s => s.Write(bytes));
    }
}
