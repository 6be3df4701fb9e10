using BibTool.Store;
using System.Linq;

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
            var key = line[(tab + 1)..];
            // keys.tsv is a file anyone can edit: a key that could break out of an entry's head is not trusted.
            if (!IsValidKey(key))
            {
                Problems.Add($"{_path}:{number}: ignoring the key '{key}': a citation key is letters, digits and _ : . - + / only");
                continue;
            }
            _pins[line[..tab]] = key;
        }
    }

    /// <summary>Lines of keys.tsv that were ignored, and why (for warnings).</summary>
    public List<string> Problems { get; } = [];

    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= 200 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':' or '.' or '-' or '+' or '/');

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
