using System.Data.Common;
using System.Text.RegularExpressions;

namespace Tollgate.Storage.Tests;

/// <summary>
/// PostgreSQL's plan for a captured statement as the store sends it (named parameters, values bound): prepared with
/// the parameter types PostgreSQL infers, then explained as a custom plan with a tenant id for text and zero for
/// numbers, table scans disabled so that a plan still scanning a table has no usable index.
/// </summary>
internal static partial class Explain
{
    public static async Task<string> CustomPlanAsync(DbConnection connection, string sql, string tenant)
    {
        var names = Parameter().Matches(sql).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        var positional = Parameter().Replace(sql, m => "$" + (names.IndexOf(m.Groups[1].Value) + 1));
        // Only this helper's statement goes: the others are Npgsql's own automatic preparations.
        if (Convert.ToInt64(await ScalarAsync(connection, "SELECT COUNT(*) FROM pg_prepared_statements WHERE name = 'hot'"), System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            await ExecuteAsync(connection, "DEALLOCATE hot");
        }

        await ExecuteAsync(connection, "SET enable_seqscan = off; SET plan_cache_mode = force_custom_plan");
        // A parameter PostgreSQL cannot type from its context ("@tenant IS NULL OR tenant_id = @tenant") is an id: text.
        var declared = Enumerable.Repeat("unknown", names.Count).ToArray();
        while (true)
        {
            try
            {
                await ExecuteAsync(connection, names.Count == 0 ? $"PREPARE hot AS {positional}" : $"PREPARE hot({string.Join(", ", declared)}) AS {positional}");
                break;
            }
            catch (Npgsql.PostgresException ex) when (ex.SqlState == "42P08" && Untyped().Match(ex.MessageText) is { Success: true } m && declared[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1] == "unknown")
            {
                declared[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1] = "text";
            }
        }

        var types = (string)(await ScalarAsync(connection, "SELECT array_to_string(parameter_types, ',') FROM pg_prepared_statements WHERE name = 'hot'"))!;
        var values = types.Length == 0 ? [] : types.Split(',').Select(t => t switch
        {
            "text" or "character varying" => $"'{tenant}'",
            "text[]" => $"ARRAY['{tenant}']",
            "bigint[]" => "ARRAY[0]::bigint[]",
            "boolean" => "false",
            _ => "0",
        }).ToList();
        var lines = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = values.Count == 0 ? "EXPLAIN EXECUTE hot" : $"EXPLAIN EXECUTE hot({string.Join(", ", values)})";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }

        await ExecuteAsync(connection, "DEALLOCATE hot; RESET enable_seqscan; RESET plan_cache_mode");
        return string.Join('\n', lines);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    [GeneratedRegex(@"parameter \$(\d+)")]
    private static partial Regex Untyped();

    [GeneratedRegex(@"@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Parameter();
}
