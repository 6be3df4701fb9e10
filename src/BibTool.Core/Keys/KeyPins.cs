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

    // A value, not an object per work: a store of a million pinned works holds a million of them.
    private readonly record struct Pinned(string Key, bool IsProvisional, IReadOnlyList<string> Aliases);

    private readonly string _path;
    private readonly Dictionary<string, Pinned> _pins = new(StringComparer.Ordinal);
    private bool _changed;

    public KeyPins(string storeDirectory)
    {
        _path = Path.Combine(storeDirectory, "keys.tsv");
        if (!File.Exists(_path)) return;
        // Sized once from the file (about 60 bytes a line): a million pins never regrow the table.
        _pins.EnsureCapacity((int)Math.Min(new FileInfo(_path).Length / 48, 50_000_000));
        var number = 0;
        using var reader = new StreamReader(_path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        while (reader.ReadLine() is { } text)
        {
            number++;
            var line = text.AsSpan();
            if (line.Length == 0 || line[0] == '#') continue;
            // work<TAB>key[<TAB>flags[<TAB>…]]: sliced, not split, since a store may pin millions of keys.
            var tab = line.IndexOf('\t');
            var rest = tab < 0 ? [] : line[(tab + 1)..];
            var end = rest.IndexOf('\t');
            var key = end < 0 ? rest : rest[..end];
            if (tab <= 0 || key.Length == 0) throw new FormatException($"{_path}:{number}: expected 'work<TAB>key'");
            var flagText = end < 0 ? [] : rest[(end + 1)..];
            if (flagText.IndexOf('\t') is var more and >= 0) flagText = flagText[..more];
            string[] flags = flagText.IsEmpty ? [] : flagText.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var aliases = flags.Length == 0 ? [] : flags.Where(f => f.StartsWith(Was, StringComparison.Ordinal)).SelectMany(f => f[Was.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
            // keys.tsv is a file anyone can edit: a key that could break out of an entry's head is not trusted.
            var bad = !IsValidKey(key) ? key.ToString() : aliases.FirstOrDefault(k => !IsValidKey(k));
            if (bad is not null)
            {
                Problems.Add($"{_path}:{number}: ignoring the key '{bad}': a citation key is letters, digits and _ : . - + / only");
                continue;
            }
            _pins[line[..tab].ToString()] = new Pinned(key.ToString(), flags.Contains(Provisional), aliases.Count == 0 ? [] : aliases);
        }
    }

    /// <summary>Lines of keys.tsv that were ignored, and why (for warnings).</summary>
    public List<string> Problems { get; } = [];

    public static bool IsValidKey(ReadOnlySpan<char> key) => key.Length is > 0 and <= 200 && key.IndexOfAnyExcept(KeyCharacters) < 0;

    private static readonly System.Buffers.SearchValues<char> KeyCharacters =
        System.Buffers.SearchValues.Create(BibTool.Text.Ascii.LettersAndDigits + "_:.-+/");

    /// <summary>Every key given out, old provisional ones included: none is ever given to another work.</summary>
    public IReadOnlyCollection<string> Keys
    {
        get
        {
            var keys = new List<string>(_pins.Count);
            foreach (var pin in _pins.Values)
            {
                keys.Add(pin.Key);
                keys.AddRange(pin.Aliases);
            }
            return keys;
        }
    }

    public string? Find(string workId) => _pins.TryGetValue(workId, out var pin) ? pin.Key : null;

    public bool IsProvisional(string workId) => _pins.TryGetValue(workId, out var pin) && pin.IsProvisional;

    /// <summary>The provisional keys the work had before it resolved (cite-able still: BibLaTeX's ids).</summary>
    public IReadOnlyList<string> Aliases(string workId) => _pins.TryGetValue(workId, out var pin) ? pin.Aliases : [];

    public void Pin(string workId, string key, bool provisional = false)
    {
        Pinned? existing = _pins.TryGetValue(workId, out var pin) ? pin : null;
        if (existing is { } same && same.Key == key && same.IsProvisional == provisional) return;
        var aliases = existing?.Aliases ?? [];
        // A provisional key replaced by the work's real one stays an alias, so documents citing it still resolve.
        if (existing is { } old && old.Key != key && old.IsProvisional) aliases = [.. aliases, old.Key];
        _pins[workId] = new Pinned(key, provisional, aliases);
        _changed = true;
    }

    public void Save()
    {
        if (!_changed) return;
        AtomicFile.WriteText(_path, writer =>
        {
            writer.Write("# bibtool citation keys: once a work has a key it keeps it (work id<TAB>key[<TAB>provisional][ was=OLD,...])\n");
            // Sorted by work id (diffable); the ids alone are sorted, not a copy of every pin.
            var works = _pins.Keys.ToArray();
            Array.Sort(works, StringComparer.Ordinal);
            foreach (var work in works)
            {
                var pin = _pins[work];
                writer.Write(work);
                writer.Write('\t');
                writer.Write(pin.Key);
                if (pin.IsProvisional || pin.Aliases.Count > 0)
                {
                    writer.Write('\t');
                    if (pin.IsProvisional) writer.Write(Provisional);
                    if (pin.Aliases.Count > 0) writer.Write((pin.IsProvisional ? " " : "") + Was + string.Join(',', pin.Aliases));
                }
                writer.Write('\n');
            }
        });
        _changed = false;
    }
}
