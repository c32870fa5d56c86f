namespace Tollgate.Core.Catalogs.Import;

/// <summary>An entry of the price map that is not in the book, and why.</summary>
public sealed record SkippedEntry(string Name, string Reason);

/// <summary>An imported entry that has prices the book cannot express (each field with its reason).</summary>
public sealed record PartialEntry(string Name, IReadOnlyList<string> Fields);

/// <summary>
/// What an import produced: the price book document (YAML), how many entries the map has, which were imported
/// (some only partly) and which were not, each with the reason.
/// </summary>
public sealed record LiteLlmImportResult(string Yaml, int Entries, int Imported, IReadOnlyList<PartialEntry> Partial, IReadOnlyList<SkippedEntry> Skipped);
