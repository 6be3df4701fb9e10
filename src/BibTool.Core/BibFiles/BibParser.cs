using System.Text;

namespace BibTool.BibFiles;

/// <summary>One field of an entry: its name, its value as BibTeX reads it (macros expanded, parts
/// joined), and where its raw value expression sits in the file, so it can be replaced in place.
/// <paramref name="Known"/> is false when the value uses a macro the file does not define (bibtex
/// reads it as empty; its real text lives in a companion file): such a field is never rewritten.</summary>
public sealed record BibField(string Name, string Value, int NameStart, int ValueStart, int ValueEnd, int Line, bool Known = true);

/// <summary>An entry (@article{key, …}): type, key, fields in file order, and the span of its body.</summary>
public sealed record BibRecord(string Type, string Key, IReadOnlyList<BibField> Fields, int Start, int End, int Line)
{
    /// <summary>The field's value, by case-insensitive name (the first one: BibTeX ignores repeats).</summary>
    public string? this[string name] => Fields.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    public BibField? Field(string name) => Fields.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// A parsed .bib file: the text as read (edits are spans into it), its entries, its @string macros,
/// what bibtex would only warn about (file:line each), and the file's encoding, in which it is
/// written back (UTF-8, with its byte-order mark if it had one, or Latin-1 for any 8-bit file).
/// </summary>
public sealed record BibFile(string Path, string Text, IReadOnlyList<BibRecord> Records, IReadOnlyDictionary<string, string> Strings)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public BibEncoding Encoding { get; init; } = BibEncoding.Utf8;

    /// <summary>The file's bytes for <paramref name="text"/> (this file's text, edited).</summary>
    public byte[] Bytes(string text) => Encoding.GetBytes(text);
}

/// <summary>How a .bib file's bytes become text and back, byte for byte.</summary>
public sealed record BibEncoding(string Name, System.Text.Encoding Text, bool ByteOrderMark)
{
    public static readonly BibEncoding Utf8 = new("UTF-8", new UTF8Encoding(false, throwOnInvalidBytes: true), false);
    public static readonly BibEncoding Latin1 = new("Latin-1", System.Text.Encoding.Latin1, false);

    public bool IsUtf8 => Text is UTF8Encoding;

    /// <summary>Whether a value can be written in this encoding (Latin-1 holds U+0000–U+00FF only).</summary>
    public bool CanWrite(string value) => IsUtf8 || value.All(c => c <= '\u00ff');

    /// <summary>
    /// A user's file as text: UTF-8 (its byte-order mark noted, to be written back), or Latin-1,
    /// which maps every byte to one character and back, where the bytes are not UTF-8; then the
    /// line of the first byte that is not.
    /// </summary>
    public static (string Text, BibEncoding Encoding, int? NotUtf8Line) Decode(byte[] bytes)
    {
        var bom = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        var body = bom ? bytes.AsSpan(3) : bytes;
        try
        {
            return (Utf8.Text.GetString(body), bom ? Utf8 with { ByteOrderMark = true } : Utf8, null);
        }
        catch (DecoderFallbackException e)
        {
            var line = 1 + body[..Math.Clamp(e.Index, 0, body.Length)].Count((byte)'\n');
            return (System.Text.Encoding.Latin1.GetString(body), Latin1, line);
        }
    }

    public byte[] GetBytes(string text)
    {
        var body = Text.GetBytes(text);
        return ByteOrderMark ? [0xEF, 0xBB, 0xBF, .. body] : body;
    }
}

public sealed class BibParseException(string message) : Exception(message);

/// <summary>
/// A small BibTeX reader: @string macros, # concatenation, braced and quoted values (braces counted
/// as BibTeX counts them, backslashes included), numbers, the month macros, @comment and @preamble
/// skipped, text outside entries ignored as BibTeX does. What bibtex reads with a warning is read
/// with a warning (file:line); an entry bibtex could not read is reported and left as it is.
/// </summary>
public sealed class BibParser
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private readonly string _path;
    private readonly string _text;
    private int _pos;
    private readonly Dictionary<string, string> _strings = new(StringComparer.OrdinalIgnoreCase);

    private BibParser(string path, string text)
    {
        _path = path;
        _text = text;
        foreach (var (month, i) in Months.Select((m, i) => (m, i)))
            _strings[month] = System.Globalization.CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(i + 1);
    }

    /// <summary>The largest .bib file read (a bibliography of a million entries is about 500 MB).</summary>
    public const long MaxBytes = 512L * 1024 * 1024;

    /// <summary>
    /// A user's .bib file, read as bibtex and biber read it: UTF-8 (a byte-order mark kept), or, where
    /// the bytes are not UTF-8, Latin-1, which maps every byte to one character and back, so the
    /// file's other bytes stay exactly as they were. <paramref name="macros"/>: @string definitions
    /// from companion files (<c>--macros</c>), which the file's own definitions override.
    /// </summary>
    public static BibFile ReadFile(string path, IReadOnlyDictionary<string, string>? macros = null)
    {
        CheckReadable(path);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new BibParseException($"{path}: cannot read ({e.Message})"); }
        catch (UnauthorizedAccessException) { throw new BibParseException($"{path}: permission denied"); }
        var (text, encoding, badLine) = BibEncoding.Decode(bytes);
        var note = badLine is { } line
            ? $"{path}:{line}: not UTF-8; read as Latin-1 (8-bit), and written back in it: a changed field Latin-1 cannot hold is left as it is"
            : null;
        var file = Parse(text, path, macros);
        return file with { Encoding = encoding, Warnings = note is null ? file.Warnings : [note, .. file.Warnings] };
    }

    private static void CheckReadable(string path)
    {
        switch (Store.FileKind.Of(path, follow: true))
        {
            case Store.FileKindOf.Missing: throw new BibParseException($"{path}: no such file");
            case Store.FileKindOf.Directory: throw new BibParseException($"{path}: is a directory, not a .bib file");
            case Store.FileKindOf.Special: throw new BibParseException($"{path}: not a regular file");
        }
        if (new FileInfo(path).Length > MaxBytes) throw new BibParseException($"{path}: larger than {MaxBytes / (1024 * 1024)} MB");
    }

    /// <summary>A user's bibliography file as text: a regular UTF-8 file of at most <see cref="MaxBytes"/>, or a one-line error.</summary>
    public static string ReadText(string path)
    {
        CheckReadable(path);
        string text;
        try { text = File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true)); }
        catch (DecoderFallbackException) { throw new BibParseException($"{path}: not UTF-8 text"); }
        catch (IOException e) { throw new BibParseException($"{path}: cannot read ({e.Message})"); }
        catch (UnauthorizedAccessException) { throw new BibParseException($"{path}: permission denied"); }
        return text;
    }

    public static BibFile Parse(string text, string path = "(text)", IReadOnlyDictionary<string, string>? macros = null)
    {
        var parser = new BibParser(path, text);
        foreach (var (name, value) in macros ?? new Dictionary<string, string>()) parser._strings[name] = value;
        var records = parser.ReadAll();
        return new BibFile(path, text, records, parser._strings) { Warnings = parser._warnings };
    }

    private readonly List<string> _warnings = [];
    private bool _unknownMacro;

    private void Warn(int at, string message) => _warnings.Add($"{_path}:{LineAt(at)}: {message}");

    private int _countedTo, _countedLines = 1;

    /// <summary>The 1-based line of a position; positions mostly grow, so lines are counted once, onward.</summary>
    private int LineAt(int position)
    {
        if (position < _countedTo) (_countedTo, _countedLines) = (0, 1);
        for (; _countedTo < position && _countedTo < _text.Length; _countedTo++) if (_text[_countedTo] == '\n') _countedLines++;
        return _countedLines;
    }

    private BibParseException Error(string message, int? at = null) => new($"{_path}:{LineAt(at ?? _pos)}: {message}");

    /// <summary>
    /// Every entry, as bibtex reads them: what bibtex only warns about (a field or key given twice, an
    /// undefined macro) is a warning here too, and an entry that cannot be read at all is reported and
    /// skipped (left in the file as it is); reading goes on at the next '@' that starts a line.
    /// </summary>
    private List<BibRecord> ReadAll()
    {
        var records = new List<BibRecord>();
        var keys = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            var at = _text.IndexOf('@', _pos);
            if (at < 0) break;
            _pos = at + 1;
            try
            {
                if (ReadItem(at) is { } record)
                {
                    if (keys.TryGetValue(record.Key, out var first))
                        Warn(at, $"the key '{record.Key}' is used twice (first on line {first}); bibtex uses the first, so this entry is left as it is");
                    else
                    {
                        keys[record.Key] = record.Line;
                        records.Add(record);
                    }
                }
            }
            catch (BibParseException e)
            {
                _warnings.Add($"{e.Message}; the entry on line {LineAt(at)} is left as it is");
                _pos = NextEntryStart(at + 1);
            }
        }
        return records;
    }

    /// <summary>The next '@' at the start of a line (spaces before it allowed), where a new entry probably begins.</summary>
    private int NextEntryStart(int from)
    {
        for (var i = _text.IndexOf('@', from); i >= 0; i = _text.IndexOf('@', i + 1))
        {
            var j = i - 1;
            while (j >= 0 && _text[j] is ' ' or '\t') j--;
            if (j < 0 || _text[j] == '\n' || _text[j] == '\r') return i;
        }
        return _text.Length;
    }

    /// <summary>The item whose '@' is at <paramref name="at"/>: an entry, or null (@comment, @preamble, @string, free text).</summary>
    private BibRecord? ReadItem(int at)
    {
        SkipSpace();
        var type = Identifier();
        if (type.Length == 0) return null; // an '@' in free text (an e-mail address) is not an entry
        SkipSpace();
        // An '@' in free text between entries (an e-mail address) is text, as for BibTeX.
        if (_pos >= _text.Length || _text[_pos] is not ('{' or '(')) return null;
        var close = _text[_pos] == '{' ? '}' : ')';
        _pos++;
        switch (type.ToLowerInvariant())
        {
            case "comment":
                SkipBalanced(at, close);
                return null;
            case "preamble":
                SkipSpace();
                ReadValue();
                Expect(close, at);
                return null;
            case "string":
                SkipSpace();
                var name = Identifier();
                if (name.Length == 0) throw Error("@string needs a macro name");
                SkipSpace();
                Expect('=', at);
                SkipSpace();
                var (value, _, _) = ReadValue();
                _strings[name] = value;
                SkipSpace();
                Expect(close, at);
                return null;
            default:
                return ReadEntry(type, at, close);
        }
    }

    private BibRecord ReadEntry(string type, int start, char close)
    {
        var line = LineAt(start);
        SkipSpace();
        var keyStart = _pos;
        while (_pos < _text.Length && _text[_pos] is not (',' or '}' or ')') && !char.IsWhiteSpace(_text[_pos]))
        {
            if (_text[_pos] is '{' or '"' or '#' or '=') throw Error($"@{type}: a key cannot hold '{_text[_pos]}'");
            _pos++;
        }
        var key = _text[keyStart.._pos];
        if (key.Length == 0) throw Error($"@{type} has no key", start);
        SkipSpace();
        var fields = new List<BibField>();
        if (_pos < _text.Length && _text[_pos] == close) { _pos++; return new BibRecord(type, key, fields, start, _pos, line); }
        Expect(',', start);
        while (true)
        {
            SkipSpace();
            if (_pos >= _text.Length) throw Error($"@{type}{{{key}: the entry is not closed", start);
            if (_text[_pos] == close) { _pos++; break; }
            var nameStart = _pos;
            var name = Identifier();
            if (name.Length == 0) throw Error($"@{type}{{{key}: a field name is expected, not '{_text[_pos]}'");
            SkipSpace();
            Expect('=', start);
            SkipSpace();
            _unknownMacro = false;
            var (value, valueStart, valueEnd) = ReadValue();
            if (fields.Any(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                Warn(nameStart, $"@{type}{{{key}: the field '{name}' is given twice; bibtex uses the first, and so does bibtool (the second is left as it is)");
            fields.Add(new BibField(name, value, nameStart, valueStart, valueEnd, LineAt(nameStart), Known: !_unknownMacro));
            SkipSpace();
            if (_pos < _text.Length && _text[_pos] == ',') { _pos++; continue; }
            if (_pos < _text.Length && _text[_pos] == close) { _pos++; break; }
            throw Error($"@{type}{{{key}: ',' or the end of the entry expected after the field '{name}'");
        }
        return new BibRecord(type, key, fields, start, _pos, line);
    }

    /// <summary>A value expression: parts joined by '#'; returns the joined text and the expression's span.</summary>
    private (string Value, int Start, int End) ReadValue()
    {
        var start = _pos;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length) throw Error("a value is expected", start);
            var c = _text[_pos];
            if (c == '{')
            {
                var end = MatchingBrace(_pos);
                sb.Append(_text, _pos + 1, end - _pos - 1);
                _pos = end + 1;
            }
            else if (c == '"')
            {
                var depth = 0;
                var i = _pos + 1;
                for (; i < _text.Length; i++)
                {
                    if (_text[i] == '{') depth++;
                    else if (_text[i] == '}' && --depth < 0) throw Error("a '}' closes nothing inside a quoted value", i);
                    else if (_text[i] == '"' && depth == 0) break;
                }
                if (i >= _text.Length) throw Error("a quoted value is not closed", _pos);
                sb.Append(_text, _pos + 1, i - _pos - 1);
                _pos = i + 1;
            }
            else if (char.IsAsciiDigit(c))
            {
                var digits = _pos;
                while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
                sb.Append(_text, digits, _pos - digits);
            }
            else
            {
                var macroStart = _pos;
                var macro = Identifier();
                if (macro.Length == 0) throw Error($"a value is expected, not '{c}'");
                if (_strings.TryGetValue(macro, out var expansion)) sb.Append(expansion);
                else
                {
                    // bibtex warns and reads it as empty: such files are used with a companion that defines it.
                    Warn(macroStart, $"the macro '{macro}' is not defined by an @string here (bibtex reads it as empty; --macros FILE.bib reads a file that defines it); its field is left as it is");
                    _unknownMacro = true;
                }
            }
            var end2 = _pos;
            SkipSpace();
            if (_pos < _text.Length && _text[_pos] == '#') { _pos++; SkipSpace(); continue; }
            return (sb.ToString(), start, end2);
        }
    }

    /// <summary>The brace closing the one at <paramref name="open"/>; BibTeX counts every brace, escaped or not.</summary>
    private int MatchingBrace(int open)
    {
        var depth = 0;
        for (var i = open; i < _text.Length; i++)
        {
            if (_text[i] == '{') depth++;
            else if (_text[i] == '}' && --depth == 0) return i;
        }
        throw Error("a '{' is never closed", open);
    }

    private void SkipBalanced(int start, char close)
    {
        var depth = 1;
        for (; _pos < _text.Length; _pos++)
        {
            if (_text[_pos] == '{') depth++;
            else if (_text[_pos] == '}' || _text[_pos] == close) { if (--depth == 0) { _pos++; return; } }
        }
        throw Error("@comment is not closed", start);
    }

    private void Expect(char c, int entryStart)
    {
        if (_pos < _text.Length && _text[_pos] == c) { _pos++; return; }
        throw Error(_pos >= _text.Length ? $"the entry starting on line {LineAt(entryStart)} ends before '{c}'" : $"'{c}' expected, not '{_text[_pos]}'");
    }

    private string Identifier()
    {
        var start = _pos;
        // BibTeX's identifiers: printable characters except those its syntax uses. Beyond ASCII, any
        // letter, mark or soft hyphen biber accepts (a Latin-1 file's bytes read as such characters).
        while (_pos < _text.Length && (_text[_pos] is > ' ' and < (char)127 ? "\"#%'(),={}@".IndexOf(_text[_pos]) < 0 : _text[_pos] >= 160 && !char.IsWhiteSpace(_text[_pos]))) _pos++;
        // A name cannot start with a digit (that is a number value).
        if (_pos > start && char.IsAsciiDigit(_text[start])) { _pos = start; return ""; }
        return _text[start.._pos];
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }
}
