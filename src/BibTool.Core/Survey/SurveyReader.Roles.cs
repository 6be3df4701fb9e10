using System.Text.RegularExpressions;

namespace BibTool.Survey;

/// <summary>Which column is the name, the paper and the code: by header name and link shape, never by position.</summary>
public static partial class SurveyReader
{
    [GeneratedRegex(@"^(model|models|name|dataset|datasets|method|tool|title|project|benchmark|resource|algorithm|system|library|software)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NameHeader();

    [GeneratedRegex(@"\b(paper|papers|publication|article|reference|pdf|arxiv|doi)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PaperHeader();

    [GeneratedRegex(@"\b(code|github|repo|repository|implementation|source)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CodeHeader();

    [GeneratedRegex(@"^https?://([a-z0-9-]+\.)*(github\.com|gitlab\.com|bitbucket\.org|huggingface\.co|codeberg\.org)(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex CodeHost();

    [GeneratedRegex(@"\(\s*\)|\[\s*\]")]
    private static partial Regex EmptyBrackets();

    private sealed record TableRoles(int Name, int? Paper, int? Code)
    {
        public static TableRoles Find(IReadOnlyList<string> headers)
        {
            int? Index(Regex pattern, int? except = null)
            {
                for (var i = 0; i < headers.Count; i++)
                    if (i != except && pattern.IsMatch(headers[i])) return i;
                return null;
            }
            var name = Index(NameHeader()) ?? 0;
            // A separate paper column wins; a name header like "Dataset (Paper)" holds the link itself.
            var paper = Index(PaperHeader(), except: name) ?? (PaperHeader().IsMatch(headers[name]) ? name : null);
            var code = Index(CodeHeader(), except: name);
            return new TableRoles(name, paper, code);
        }
    }
}
