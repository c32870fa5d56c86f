using System.Text.RegularExpressions;

namespace Tollgate.Storage.Tests;

/// <summary>Whether a statement would be routed to one tenant's shard on Citus: it names a tenant, or touches only reference tables.</summary>
internal static partial class SqlTenancy
{
    public static bool RoutedByTenant(string sql) => Parts(sql).All(part => !TouchesDistributed(part) || (NamesTenant(part) && JoinsOnTenant(part)));

    /// <summary>Every join of a distributed table pairs its tenant_id with the other side's (a co-located join).</summary>
    private static bool JoinsOnTenant(string part) =>
        Join().Matches(part).All(j => TenancyTests.ReferenceTables.Contains(j.Groups[1].Value)
            || Regex.IsMatch(j.Groups[3].Value, $@"\b{j.Groups[2].Value}\.tenant_id\s*=\s*\w+\.tenant_id\b|\b\w+\.tenant_id\s*=\s*{j.Groups[2].Value}\.tenant_id\b"));

    /// <summary>Distributed tables the statement reads or writes.</summary>
    public static IEnumerable<string> Tables(string sql) =>
        TableName().Matches(sql).Select(m => m.Groups[1].Value.ToLowerInvariant()).Where(t => !TenancyTests.ReferenceTables.Contains(t)).Distinct();

    private static IEnumerable<string> Parts(string sql) => sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool TouchesDistributed(string part) => Tables(part).Any();

    /// <summary>A tenant_id equality or list in the filter, or an INSERT whose rows carry tenant_id (Citus routes each row by it).</summary>
    private static bool NamesTenant(string part) =>
        TenantFilter().IsMatch(part) || (InsertColumns().Match(part) is { Success: true } insert && insert.Groups[1].Value.Contains("tenant_id", StringComparison.Ordinal));

    [GeneratedRegex(@"\b(?:FROM|JOIN|INTO|UPDATE)\s+([a-z_]+)", RegexOptions.IgnoreCase)]
    private static partial Regex TableName();

    [GeneratedRegex(@"\bJOIN\s+([a-z_]+)\s+([a-z_]+)\s+ON\s+(.*?)(?=\bJOIN\b|\bWHERE\b|$)", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Join();

    [GeneratedRegex(@"\btenant_id\s*(?:=\s*(?:@|\$|:|ANY)|IN\s*\()", RegexOptions.IgnoreCase)]
    private static partial Regex TenantFilter();

    [GeneratedRegex(@"^\s*INSERT\s+INTO\s+[a-z_]+\s*\(([^)]*)\)", RegexOptions.IgnoreCase)]
    private static partial Regex InsertColumns();
}
