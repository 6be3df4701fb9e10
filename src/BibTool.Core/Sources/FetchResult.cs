using BibTool.Identifiers;
using BibTool.Store;

namespace BibTool.Sources;

/// <summary>What one fetch produced: records to store (an alias adds its target), or why it failed.</summary>
public sealed record FetchResult(Identifier Identifier, IReadOnlyList<(Identifier Id, StoredRecord Record)> Records, string? Error, int Requests)
{
    public bool Failed => Error is not null;
    public static FetchResult Fail(Identifier id, string error, int requests) => new(id, [], error, requests);
}
