using BibTool.Store;

namespace BibTool.Keys;

/// <summary>
/// Keys already handed out, pinned in the store (keys.tsv: work id, tab, key) so that a refresh
/// that changes a title or a year never changes a key someone has cited.
/// </summary>
public sealed class KeyPins
{
    private readonly string _path;
    private readonly Dictionary<string, string> _pins = new(StringComparer.Ordinal);
    private bool _changed;

    public KeyPins(string storeDirectory)
    {
        _path = Path.Combine(storeDirectory, "keys.tsv");
        if (!File.Exists(_path)) return;
        var number = 0;
        foreach (var line in File.ReadLines(_path))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var tab = line.IndexOf('\t');
            if (tab <= 0 || tab == line.Length - 1) throw new FormatException($"{_path}:{number}: expected 'work<TAB>key'");
            _pins[line[..tab]] = line[(tab + 1)..];
        }
    }

    public IEnumerable<string> Keys => _pins.Values;
    public string? Find(string workId) => _pins.GetValueOrDefault(workId);

    public void Pin(string workId, string key)
    {
        if (_pins.TryGetValue(workId, out var existing) && existing == key) return;
        _pins[workId] = key;
        _changed = true;
    }

    public void Save()
    {
        if (!_changed) return;
        AtomicFile.WriteText(_path, writer =>
        {
            writer.Write("# bibtool citation keys: once a work has a key it keeps it (work id<TAB>key)\n");
            foreach (var (work, key) in _pins.OrderBy(p => p.Key, StringComparer.Ordinal)) writer.Write($"{work}\t{key}\n");
        });
        _changed = false;
    }
}
