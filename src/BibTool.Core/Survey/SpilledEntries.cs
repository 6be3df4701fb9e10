using System.Text;
using BibTool.Identifiers;

namespace BibTool.Survey;

/// <summary>
/// A large survey's entries kept in a temporary file instead of memory: written once as they are
/// read, then read back (as often as a command needs) one entry at a time, so a survey of a
/// million rows costs the memory of one entry. The file is removed when this is disposed.
/// </summary>
public sealed class SpilledEntries : IReadOnlyCollection<SurveyEntry>, IDisposable
{
    private readonly string _path;
    private readonly FileStream _file;
    private BinaryWriter? _writer;
    private string _survey = "";

    private const string Prefix = "bibtool-survey-";

    public SpilledEntries()
    {
        RemoveLeftovers();
        _path = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        // Removed when closed, whichever way the process ends short of a kill.
        _file = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose);
        _writer = new BinaryWriter(_file, Encoding.UTF8, leaveOpen: true);
    }

    /// <summary>
    /// Spilled surveys of bibtool processes that were killed (a kill skips every clean-up): only
    /// files named as this class names them, and only those of processes that are gone.
    /// </summary>
    private static void RemoveLeftovers()
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(Path.GetTempPath(), Prefix + "*.tmp"))
            {
                var name = Path.GetFileNameWithoutExtension(file)[Prefix.Length..].Split('-');
                if (name.Length != 2 || name[1].Length != 32 || !int.TryParse(name[0], out var pid)) continue;
                if (pid == Environment.ProcessId || Store.MetadataStore.IsRunning(pid)) continue;
                try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    public int Count { get; private set; }

    private readonly List<string> _columns = [];
    private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every column header, in first-seen order (as <see cref="Inventory.SurveyColumns"/> finds them).</summary>
    public IReadOnlyList<string> Columns => _columns;

    public void Add(SurveyEntry entry)
    {
        var w = _writer ?? throw new InvalidOperationException("the spilled survey is complete");
        _survey = entry.File;
        w.Write(entry.Line);
        w.Write(entry.Category);
        w.Write(entry.Table);
        w.Write(entry.Name);
        w.Write(entry.PaperTitle);
        w.Write(entry.PaperUrl);
        w.Write(entry.CodeUrl);
        w.Write(entry.Identifier.TypeName);
        w.Write(entry.Identifier.Value);
        w.Write(entry.Identifier.Display);
        w.Write(entry.Identifier.Version ?? "");
        w.Write(entry.Cells.Count);
        foreach (var (header, cell) in entry.Cells)
        {
            if (_seen.Add(header)) _columns.Add(header);
            w.Write(header);
            w.Write(cell.Text);
            w.Write(cell.Links.Count);
            foreach (var link in cell.Links)
            {
                w.Write(link.Text);
                w.Write(link.Url);
                w.Write(link.Line);
            }
        }
        Count++;
    }

    /// <summary>Ends writing; from now on the entries can be read.</summary>
    public void Complete()
    {
        _writer?.Flush();
        _writer?.Dispose();
        _writer = null;
    }

    public IEnumerator<SurveyEntry> GetEnumerator()
    {
        if (_writer is not null) throw new InvalidOperationException("the spilled survey is still being written");
        // A reader of its own, so two enumerations may overlap.
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        // Headers repeat on every row of a table: one string each.
        var headers = new Dictionary<string, string>();
        string category = "", table = "";
        for (var n = 0; n < Count; n++)
        {
            var line = r.ReadInt32();
            category = Same(category, r.ReadString());
            table = Same(table, r.ReadString());
            var name = r.ReadString();
            var title = r.ReadString();
            var paperUrl = r.ReadString();
            var codeUrl = r.ReadString();
            var type = IdentifierParser.Scheme(r.ReadString()) ?? IdentifierType.None;
            var value = r.ReadString();
            var display = r.ReadString();
            var version = r.ReadString();
            var cells = new KeyValuePair<string, Cell>[r.ReadInt32()];
            for (var c = 0; c < cells.Length; c++)
            {
                var header = r.ReadString();
                header = headers.TryGetValue(header, out var known) ? known : headers[header] = header;
                var text = r.ReadString();
                var links = new Link[r.ReadInt32()];
                for (var l = 0; l < links.Length; l++) links[l] = new Link(r.ReadString(), r.ReadString(), r.ReadInt32());
                cells[c] = new(header, links.Length == 0 && text.Length == 0 ? Cell.Empty : new Cell(text, links));
            }
            yield return new SurveyEntry
            {
                File = _survey,
                Line = line,
                Category = category,
                Table = table,
                Name = name,
                PaperTitle = title,
                PaperUrl = paperUrl,
                CodeUrl = codeUrl,
                Identifier = type == IdentifierType.None ? Identifier.None : new Identifier(type, value, display, version.Length == 0 ? null : version),
                Cells = cells,
            };
        }
    }

    private static string Same(string previous, string read) => previous == read ? previous : read;

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        _writer?.Dispose();
        _file.Dispose();
    }
}
