namespace BibTool.Survey;

/// <summary>What a survey may be: its size, its nesting, its delimiters per line (past them Markdig could exhaust the stack or take forever).</summary>
public static partial class SurveyReader
{
    /// <summary>The largest survey read (a million-row list is about 150 MB).</summary>
    public const long MaxBytes = 512L * 1024 * 1024;

    /// <summary>Deeper nesting than any survey needs; past it Markdig's recursion could exhaust the stack.</summary>
    public const int MaxNesting = 64;
    public const int MaxDelimitersPerLine = 4096;

    /// <summary>Rejects block quotes or lists nested deeper than <see cref="MaxNesting"/>, and lines crowded with emphasis or bracket delimiters, naming the line.</summary>
    private static void CheckLine(string text, int line, string file)
    {
        var depth = 0;
        var delimiters = 0;
        var atStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (atStart)
            {
                // A quote marker, or a list marker followed by a space (a rule of dashes is no nesting).
                var next = i + 1 < text.Length ? text[i + 1] : '\n';
                if (c == '>' || (c is '-' or '+' or '*' && next is ' ' or '\t'))
                {
                    if (++depth > MaxNesting) throw new SurveyException($"{file}:{line}: nested more than {MaxNesting} levels deep");
                }
                else if (c is not (' ' or '\t')) atStart = false;
            }
            if (c is '*' or '_' or '[' or ']' or '(' or ')' or '`' or '<' or '~' && ++delimiters > MaxDelimitersPerLine)
                throw new SurveyException($"{file}:{line}: more than {MaxDelimitersPerLine} emphasis, link or code delimiters on one line");
        }
    }
}

public sealed class SurveyException(string message) : Exception(message);
