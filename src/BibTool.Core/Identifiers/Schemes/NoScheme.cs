namespace BibTool.Identifiers.Schemes;

/// <summary>No identifier: a row that names no paper. Nothing resolves it and no work key names it.</summary>
public sealed class NoScheme : IdentifierType
{
    public static NoScheme Instance { get; } = new();

    public override string Name => "none";

    public override Identifier? FromKey(string value) => null;

    public override (string Shard, string Name) StoreParts(Identifier id) => throw new ArgumentException("no identifier");
}
