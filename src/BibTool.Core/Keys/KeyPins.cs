using BibTool.Store;

namespace BibTool.Keys;

/// <summary>
/// Keys already handed out, pinned in the store so that a refresh that changes a title or a year
/// never changes a key someone has cited. keys.tsv holds one work a line: work id, TAB, key, and
/// optionally TAB and flags: "provisional" for a key made while the work was unresolved (from what
/// the survey says), "was=OLD,OLD" for the provisional keys a work had before it resolved.
/// </summary>
public sealed class KeyPins
{
    private const string Provisional = "provisional";
    private const string Was = "was=";

    private sealed record Pinned(string Key, bool IsProvisional, IReadOnlyList<string> Aliases);

    private readonly string _path;
    private readonly Dictionary<string, Pinned> _pins = new(StringComparer.Ordinal);
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
            var columns = line.Split('\t');
            if (columns.Length < 2 || columns[0].Length == 0 || columns[1].Length == 0) throw new FormatException($"{_path}:{number}: expected 'work<TAB>key'");
            var flags = columns.Length > 2 ? columns[2].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
            var aliases = flags.Where(f => f.StartsWith(Was, StringComparison.Ordinal)).SelectMany(f => f[Was.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
            // keys.tsv is a file anyone can edit: a key that could break out of an entry's head is not trusted.
            var bad = new[] { columns[1] }.Concat(aliases).FirstOrDefault(k => !IsValidKey(k));
            if (bad is not null)
            {
                Problems.Add($"{_path}:{number}: ignoring the key '{bad}': a citation key is letters, digits and _ : . - + / only");
                continue;
            }
            _pins[columns[0]] = new Pinned(columns[1], flags.Contains(Provisional), aliases);
        }
    }

    /// <summary>Lines of keys.tsv that were ignored, and why (for warnings).</summary>
    public List<string> Problems { get; } = [];

    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= 200 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':' or '.' or '-' or '+' or '/');

    /// <summary>Every key given out, old provisional ones included: none is ever given to another work.</summary>
    public IEnumerable<string> Keys => _pins.Values.SelectMany(p => p.Aliases.Prepend(p.Key));

    public string? Find(string workId) => _pins.GetValueOrDefault(workId)?.Key;

    public bool IsProvisional(string workId) => _pins.GetValueOrDefault(workId)?.IsProvisional == true;

    /// <summary>The provisional keys the work had before it resolved (cite-able still: BibLaTeX's ids).</summary>
    public IReadOnlyList<string> Aliases(string workId) => _pins.GetValueOrDefault(workId)?.Aliases ?? [];

    public void Pin(string workId, string key, bool provisional = false)
    {
        var existing = _pins.GetValueOrDefault(workId);
        if (existing is not null && existing.Key == key && existing.IsProvisional == provisional) return;
        var aliases = existing?.Aliases ?? [];
        // A provisional key replaced by the work's real one stays an alias, so documents citing it still resolve.
        if (existing is not null && existing.Key != key && existing.IsProvisional) aliases = [.. aliases, existing.Key];
        _pins[workId] = new Pinned(key, provisional, aliases);
        _changed = true;
    }

    public void Save()
    {
        if (!_changed) return;
        AtomicFile.WriteText(_path, writer =>
        {
            writer.Write("# bibtool citation keys: once a work has a key it keeps it (work id<TAB>key[<TAB>provisional][ was=OLD,...])\n");
            foreach (var (work, pin) in _pins.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var flags = string.Join(' ', new[] { pin.IsProvisional ? Provisional : null, pin.Aliases.Count > 0 ? Was + string.Join(',', pin.Aliases) : null }.Where(f => f is not null));
                writer.Write(flags.Length == 0 ? $"{work}\t{pin.Key}\n" : $"{work}\t{pin.Key}\t{flags}\n");
            }
        });
        _changed = false;
    }
}
