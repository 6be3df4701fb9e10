using System.Globalization;
using System.Text.RegularExpressions;
using BibTool.Model;
using BibTool.Survey;

namespace BibTool.Filtering;

/// <summary>
/// Selects survey rows by place (--category, --table, --name: any of the given values, as
/// case-insensitive substrings) and by --where conditions on survey columns or resolved fields
/// (all must hold). Operators: = != ~ (contains) !~ &gt;= &lt;= &gt; &lt; (numeric when both sides are numbers).
/// </summary>
public sealed partial class EntryFilter
{
    public static readonly string[] EntryFields =
        ["category", "table", "name", "paper_title", "paper_url", "id_type", "id", "code_url", "line"];

    public static readonly string[] WorkFields =
        ["title", "author", "year", "type", "venue", "container_title", "publisher", "doi", "volume", "issue", "arxiv", "primary_class", "resolved", "source"];

    private readonly List<string> _categories, _tables, _names;
    private readonly List<Condition> _conditions;

    private sealed record Condition(string Field, string Op, string Value, string Text);

    [GeneratedRegex(@"^\s*(?<field>[^=!~<>]+?)\s*(?<op>!=|!~|>=|<=|=|~|>|<)\s*(?<value>.*?)\s*$")]
    private static partial Regex ConditionPattern();

    private EntryFilter(List<string> categories, List<string> tables, List<string> names, List<Condition> conditions)
    {
        _categories = categories; _tables = tables; _names = names; _conditions = conditions;
    }

    public static EntryFilter Parse(IEnumerable<string> categories, IEnumerable<string> tables, IEnumerable<string> names, IEnumerable<string> wheres)
    {
        var conditions = new List<Condition>();
        foreach (var where in wheres)
        {
            var m = ConditionPattern().Match(where);
            if (!m.Success || m.Groups["value"].Value.Length == 0)
                throw new FilterException($"--where '{where}' is not FIELD=VALUE (operators: = != ~ !~ >= <= > <)");
            conditions.Add(new Condition(FieldKey(m.Groups["field"].Value), m.Groups["op"].Value, Unquote(m.Groups["value"].Value), where));
        }
        return new EntryFilter(categories.ToList(), tables.ToList(), names.ToList(), conditions);
    }

    public bool IsEmpty => _categories.Count + _tables.Count + _names.Count + _conditions.Count == 0;

    /// <summary>True when there are --where conditions (only they name fields that must be checked).</summary>
    public bool HasConditions => _conditions.Count > 0;

    /// <summary>True when a condition needs resolved metadata, so the caller must read the store.</summary>
    public bool NeedsWorks => _conditions.Any(c => WorkFields.Contains(c.Field) && !EntryFields.Contains(c.Field));

    /// <summary>Rejects a field that is neither built in nor a column of this survey, naming it.</summary>
    public void Validate(IEnumerable<string> surveyColumns)
    {
        var columns = surveyColumns.Select(FieldKey).ToHashSet();
        foreach (var condition in _conditions)
        {
            if (EntryFields.Contains(condition.Field) || WorkFields.Contains(condition.Field) || columns.Contains(condition.Field)) continue;
            var known = EntryFields.Concat(columns).Concat(WorkFields).Distinct();
            throw new FilterException($"unknown field '{condition.Field}' in --where '{condition.Text}' (known: {string.Join(", ", known)})");
        }
    }

    /// <summary>For a whole store (no survey): only conditions on resolved fields make sense; anything else is named.</summary>
    public void ValidateWorksOnly()
    {
        if (_categories.Count + _tables.Count + _names.Count > 0) throw new FilterException("--category, --table and --name select survey rows; with --all there is no survey (use --where on resolved fields)");
        foreach (var condition in _conditions.Where(c => !WorkFields.Contains(c.Field)))
            throw new FilterException($"--where '{condition.Text}': with --all only resolved fields can be used ({string.Join(", ", WorkFields)})");
    }

    /// <summary>A work of a whole store against conditions on resolved fields (see <see cref="ValidateWorksOnly"/>).</summary>
    public bool MatchesWork(Work work) => _conditions.All(c => Holds(c, WorkValues(work, c.Field).ToList()));

    /// <summary>The place filters and survey-field conditions alone: which rows can be in the result at all.</summary>
    public bool MatchesSurveyFields(SurveyEntry entry) => Matches(entry, null, skipWorkFields: true);

    public bool Matches(SurveyEntry entry, Work? work) => Matches(entry, work, skipWorkFields: false);

    private bool Matches(SurveyEntry entry, Work? work, bool skipWorkFields)
    {
        if (_categories.Count > 0 && !_categories.Any(c => Contains(entry.Category, c))) return false;
        if (_tables.Count > 0 && !_tables.Any(t => Contains(entry.Table, t))) return false;
        if (_names.Count > 0 && !_names.Any(n => Contains(entry.Name, n))) return false;
        return _conditions.All(c => (skipWorkFields && IsWorkField(c.Field, entry)) || Holds(c, Values(entry, work, c.Field).ToList()));
    }

    /// <summary>A resolved field, unless a survey column of this row has the same name (the column wins).</summary>
    private static bool IsWorkField(string field, SurveyEntry entry) =>
        WorkFields.Contains(field) && !EntryFields.Contains(field) && !entry.Cells.Any(c => FieldKey(c.Key) == field);

    private static bool Holds(Condition condition, List<string> values)
    {
        // Negations hold when no value matches, so "venue!~Nature" keeps works without a venue.
        return condition.Op switch
        {
            "!=" => !values.Any(v => Equal(v, condition.Value)),
            "!~" => !values.Any(v => Contains(v, condition.Value)),
            "=" => values.Any(v => Equal(v, condition.Value)),
            "~" => values.Any(v => Contains(v, condition.Value)),
            _ => values.Any(v => Compare(v, condition.Value) is { } cmp && condition.Op switch
            {
                ">=" => cmp >= 0, "<=" => cmp <= 0, ">" => cmp > 0, _ => cmp < 0,
            }),
        };
    }

    private static int? Compare(string left, string right)
    {
        if (double.TryParse(left, NumberStyles.Float, CultureInfo.InvariantCulture, out var l) &&
            double.TryParse(right, NumberStyles.Float, CultureInfo.InvariantCulture, out var r))
            return l.CompareTo(r);
        return left.Length == 0 ? null : string.Compare(left, right, StringComparison.OrdinalIgnoreCase);
    }

    private static bool Equal(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
    private static bool Contains(string a, string b) => a.Contains(b.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>"Pre-Training Data", "pre_training data" and "pre-training-data" name one field.</summary>
    public static string FieldKey(string field) =>
        Regex.Replace(Unquote(field).ToLowerInvariant(), @"[\s\-]+", "_");

    /// <summary>A column name or value as a shell user may quote it inside the expression ("Pre-Training Data"~MIMIC).</summary>
    private static string Unquote(string text)
    {
        var t = text.Trim();
        return t.Length >= 2 && (t[0] is '"' or '\'') && t[^1] == t[0] ? t[1..^1].Trim() : t;
    }

    private static IEnumerable<string> Values(SurveyEntry e, Work? w, string field)
    {
        switch (field)
        {
            case "category": yield return e.Category; yield break;
            case "table": yield return e.Table; yield break;
            case "name": yield return e.Name; yield break;
            case "paper_title": yield return e.PaperTitle; yield break;
            case "paper_url": yield return e.PaperUrl; yield break;
            case "id_type": yield return e.Identifier.TypeName; yield break;
            case "id": yield return e.Identifier.Value; yield break;
            case "code_url": yield return e.CodeUrl; yield break;
            case "line": yield return e.Line.ToString(CultureInfo.InvariantCulture); yield break;
        }
        foreach (var (header, cell) in e.Cells)
            if (FieldKey(header) == field) { yield return cell.IsNone ? "" : cell.Text; yield break; }
        if (w is null) yield break;
        foreach (var value in WorkValues(w, field)) yield return value;
    }

    private static IEnumerable<string> WorkValues(Work w, string field)
    {
        switch (field)
        {
            case "title": if (w.Title is not null) yield return w.Title.Plain; break;
            case "author": foreach (var a in w.Authors) yield return a.Display; break;
            case "year": if (w.Year is { } y) yield return y.ToString(CultureInfo.InvariantCulture); break;
            case "type":
                yield return w.Type;
                if (w.IsPreprint) yield return "preprint";
                break;
            case "venue":
                foreach (var v in new[] { w.ContainerTitle, w.ContainerTitleShort, w.EventTitle, w.IsPreprint ? w.Publisher : null })
                    if (!string.IsNullOrEmpty(v)) yield return v;
                break;
            case "container_title": if (w.ContainerTitle is not null) yield return w.ContainerTitle; break;
            case "publisher": if (w.Publisher is not null) yield return w.Publisher; break;
            case "doi": if (w.Doi is not null) yield return w.Doi; break;
            case "volume": if (w.Volume is not null) yield return w.Volume; break;
            case "issue": if (w.Issue is not null) yield return w.Issue; break;
            case "arxiv": if (w.Eprint is { Server: "arxiv" } arxiv) yield return arxiv.Id; break;
            case "primary_class": if (w.Eprint?.Class is { } primary) yield return primary; break;
            case "resolved": yield return w.Provenance.IsResolved ? "true" : "false"; break;
            case "source": yield return w.Provenance.Source; break;
        }
    }
}

public sealed class FilterException(string message) : Exception(message);
