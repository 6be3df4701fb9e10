using BibTool.Identifiers;

namespace BibTool.Sources.OpenReview;

/// <summary>OpenReview forum ids, from openreview.net links that name one (?id=…).</summary>
public sealed class OpenReviewScheme : IdentifierType
{
    public static OpenReviewScheme Instance { get; } = new();

    public override string Name => "openreview";

    /// <summary>A forum gives no venue for a paper published elsewhere: the title searches look for it.</summary>
    public override bool FoundBySearch => true;

    public override Identifier? FromLink(WebLink link) =>
        link.Host == "openreview.net" && link.Query("id") is { Length: > 0 } forum ? new Identifier(Instance, forum, forum) : null;

    public override Identifier? FromKey(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? new Identifier(Instance, value, value) : Identifier.None;

    public override void Describe(Model.Work work, Identifier id) => work.Publisher = "OpenReview";
}
