using System.Text.Json;
using Tollgate.Core.Funding;

namespace Tollgate.Storage.Ledger;

/// <summary>An account scope as stored: JSON lists of types, models and channels (empty: any).</summary>
internal sealed record ScopeDocument(string[]? Types, string[]? Models, string[]? Channels)
{
    // Every transaction reads the scope of each account it locks, and a tenant's accounts share a few scopes: each
    // text is parsed once (a scope is immutable).
    private static readonly Sql.BoundedCache<string, AccountScope> Parsed = new(1024, StringComparer.Ordinal);

    public static string Write(AccountScope scope) =>
        JsonSerializer.Serialize(new ScopeDocument([.. scope.Types], [.. scope.Models], [.. scope.Channels]));

    public static AccountScope Read(string json) => Parsed.GetOrAdd(json, Parse);

    private static AccountScope Parse(string json)
    {
        var doc = JsonSerializer.Deserialize<ScopeDocument>(json) ?? new ScopeDocument(null, null, null);
        return new AccountScope(
            new HashSet<string>(doc.Types ?? [], StringComparer.Ordinal),
            new HashSet<string>(doc.Models ?? [], StringComparer.OrdinalIgnoreCase),
            new HashSet<string>(doc.Channels ?? [], StringComparer.Ordinal));
    }
}
