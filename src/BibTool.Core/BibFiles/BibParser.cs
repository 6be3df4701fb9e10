using System.Text;

namespace BibTool.BibFiles;

/// <summary>One field of an entry: its name, its value as BibTeX reads it (macros expanded, parts
/// joined), and where its raw value expression sits in the file, so it can be replaced in place.</summary>
public sealed record BibField(string Name, string Value, int NameStart, int ValueStart, int ValueEnd, int Line);

/// <summary>An entry (@article{key, …}): type, key, fields in file order, and the span of its body.</summary>
public sealed record BibRecord(string Type, string Key, IReadOnlyList<BibField> Fields, int Start, int End, int Line)
{
    /// <summary>The field's value, by case-insensitive name (the first one: BibTeX ignores repeats).</summary>
    public string? this[string name] => Fields.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    public BibField? Field(string name) => Fields.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A parsed .bib file: the text as read (edits are spans into it), its entries, and its @string macros.</summary>
public sealed record BibFile(string Path, string Text, IReadOnlyList<BibRecord> Records, IReadOnlyDictionary<string, string> Strings);

public sealed class BibParseException(string message) : Exception(message);

/// <summary>
/// A small, strict BibTeX reader: @string macros, # concatenation, braced and quoted values
/// (braces counted as BibTeX counts them, backslashes included), numbers, the month macros,
/// @comment and @preamble skipped, text outside entries ignored as BibTeX does. Anything else is
/// an error naming the file and line, never a guess.
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

    public static BibFile ReadFile(string path) => Parse(ReadText(path), path);

    /// <summary>A user's bibliography file as text: a regular UTF-8 file of at most <see cref="MaxBytes"/>, or a one-line error.</summary>
    public static string ReadText(string path)
    {
        switch (Store.FileKind.Of(path, follow: true))
        {
            case Store.FileKindOf.Missing: throw new BibParseException($"{path}: no such file");
            case Store.FileKindOf.Directory: throw new BibParseException($"{path}: is a directory, not a .bib file");
            case Store.FileKindOf.Special: throw new BibParseException($"{path}: not a regular file");
        }
        if (new FileInfo(path).Length > MaxBytes) throw new BibParseException($"{path}: larger than {MaxBytes / (1024 * 1024)} MB");
        string text;
        try { text = File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true)); }
        catch (DecoderFallbackException) { throw new BibParseException($"{path}: not UTF-8 text"); }
        catch (IOException e) { throw new BibParseException($"{path}: cannot read ({e.Message})"); }
        catch (UnauthorizedAccessException) { throw new BibParseException($"{path}: permission denied"); }
        return text;
    }

    public static BibFile Parse(string text, string path = "(text)")
    {
        var parser = new BibParser(path, text);
        var records = parser.ReadAll();
        return new BibFile(path, text, records, parser._strings);
    }

    private int _countedTo, _countedLines = 1;

    /// <summary>The 1-based line of a position; positions mostly grow, so lines are counted once, onward.</summary>
    private int LineAt(int position)
    {
        if (position < _countedTo) (_countedTo, _countedLines) = (0, 1);
        for (; _countedTo < position && _countedTo < _text.Length; _countedTo++) if (_text[_countedTo] == '\n') _countedLines++;
        return _countedLines;
    }

    private BibParseException Error(string message, int? at = null) => new($"{_path}:{LineAt(at ?? _pos)}: {message}");

    private List<BibRecord> ReadAll()
    {
        var records = new List<BibRecord>();
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            var at = _text.IndexOf('@', _pos);
            if (at < 0) break;
            _pos = at + 1;
            SkipSpace();
            var type = Identifier();
            if (type.Length == 0) continue; // an '@' in free text (an e-mail address) is not an entry
            SkipSpace();
            // An '@' in free text between entries (an e-mail address) is text, as for BibTeX.
            if (_pos >= _text.Length || _text[_pos] is not ('{' or '(')) continue;
            var close = _text[_pos] == '{' ? '}' : ')';
            _pos++;
            switch (type.ToLowerInvariant())
            {
                case "comment":
                    SkipBalanced(at, close);
                    break;
                case "preamble":
                    SkipSpace();
                    ReadValue();
                    Expect(close, at);
                    break;
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
                    break;
                default:
                    var record = ReadEntry(type, at, close);
                    if (!keys.Add(record.Key)) throw Error($"the key '{record.Key}' is used twice", at);
                    records.Add(record);
                    break;
            }
        }
        return records;
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
            var (value, valueStart, valueEnd) = ReadValue();
            if (fields.Any(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                throw Error($"@{type}{{{key}: the field '{name}' is given twice", nameStart);
            fields.Add(new BibField(name, value, nameStart, valueStart, valueEnd, LineAt(nameStart)));
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
                if (!_strings.TryGetValue(macro, out var expansion)) throw Error($"the macro '{macro}' is not defined by an @string", macroStart);
                sb.Append(expansion);
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
        // BibTeX's identifiers: printable ASCII except the characters its syntax uses.
        while (_pos < _text.Length && _text[_pos] > ' ' && _text[_pos] < 127 && "\"#%'(),={}@".IndexOf(_text[_pos]) < 0) _pos++;
        // A name cannot start with a digit (that is a number value).
        if (_pos > start && char.IsAsciiDigit(_text[start])) { _pos = start; return ""; }
        return _text[start.._pos];
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }
}
