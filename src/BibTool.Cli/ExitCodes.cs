namespace BibTool.Cli;

/// <summary>Exit codes, documented in the README.</summary>
public static class ExitCode
{
    public const int Ok = 0;
    public const int Unresolved = 1;
    public const int BadInput = 2;
    public const int StoreError = 3;
    public const int OutputError = 4;
    public const int Cancelled = 130;
    public const int Internal = 70;

    /// <summary>
    /// What an exception that ends a command tells the user, and the exit code: a one-line message
    /// for everything the user's input, the store or the output can cause; null for a bug of ours.
    /// </summary>
    public static (string Message, int Code)? For(Exception e) => e switch
    {
        UsageException or BibTool.Survey.SurveyException => (e.Message, BadInput),
        BibToolException failure => (failure.Message, failure.ExitCode),
        BibTool.Export.UnresolvedWorksException => (e.Message, Unresolved),
        OperationCanceledException => ("cancelled; everything fetched so far is in the store", Cancelled),
        BibTool.Store.OutputException => (e.Message, OutputError),
        IOException or UnauthorizedAccessException => (e.Message, StoreError),
        _ => null,
    };
}

/// <summary>A failure the user can act on, with the exit code it ends the command with.</summary>
public class BibToolException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
