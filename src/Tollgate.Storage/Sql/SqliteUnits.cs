using Microsoft.Data.Sqlite;
using SQLitePCL;
using Tollgate.Core.Money;

namespace Tollgate.Storage.Sql;

/// <summary>
/// Exact arithmetic on SQLite amount columns. SQLite's integers stop at 2^63 (its SUM then fails with "integer
/// overflow") and its REAL keeps 15 digits, so amounts are stored as canonical integer text
/// (<see cref="LedgerAmount.ToText"/>) in TEXT columns, and added by these functions, registered on every connection:
/// <c>units_sum(x)</c> (an aggregate) and <c>units_add(a, b)</c>. Both read text or integers and answer canonical text.
/// <c>units_merge(a, b)</c> adds two texts of units per name (<see cref="UnitsJson"/>).
/// </summary>
internal static class SqliteUnits
{
    public static void Register(SqliteConnection connection)
    {
        // units_merge runs once per rollup row a batch adds to (thousands per batch), so it reads and answers SQLite's
        // UTF-8 text as it is, through SQLitePCL: Microsoft.Data.Sqlite's CreateFunction made two strings and one per
        // call, and its argument reader cost more than the merge (docs/benchmarks.md, tenth pass).
        SqliteException.ThrowExceptionForRC(
            raw.sqlite3_create_function(connection.Handle, "units_merge", 2, raw.SQLITE_UTF8 | raw.SQLITE_DETERMINISTIC, null, Merge),
            connection.Handle);
        connection.CreateFunction<string?, string?, string>("units_add", (a, b) => LedgerAmount.ToText(Read(a) + Read(b)), isDeterministic: true);
        connection.CreateAggregate<string?, decimal, string>(
            "units_sum",
            0m,
            (sum, value) => sum + Read(value),
            sum => LedgerAmount.ToText(sum),
            isDeterministic: true);
    }

    private static decimal Read(string? value) => value is null ? 0m : LedgerAmount.Parse(value);

    private static void Merge(sqlite3_context context, object userData, sqlite3_value[] args)
    {
        // An exception must not leave a callback from native code: it is SQLite's error for the statement instead.
        try
        {
            raw.sqlite3_result_text(context, UnitsJson.Merge(Text(args[0]), Text(args[1])));
        }
#pragma warning disable CA1031 // any failure becomes the statement's error
        catch (Exception e)
#pragma warning restore CA1031
        {
            raw.sqlite3_result_error(context, e.Message);
        }
    }

    private static ReadOnlySpan<byte> Text(sqlite3_value value) =>
        raw.sqlite3_value_type(value) == raw.SQLITE_NULL ? default : raw.sqlite3_value_blob(value);
}
