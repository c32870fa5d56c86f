using Microsoft.Data.Sqlite;
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
        connection.CreateFunction<string?, string?, string>("units_merge", UnitsJson.Merge, isDeterministic: true);
        connection.CreateFunction<string?, string?, string>("units_add", (a, b) => LedgerAmount.ToText(Read(a) + Read(b)), isDeterministic: true);
        connection.CreateAggregate<string?, decimal, string>(
            "units_sum",
            0m,
            (sum, value) => sum + Read(value),
            sum => LedgerAmount.ToText(sum),
            isDeterministic: true);
    }

    private static decimal Read(string? value) => value is null ? 0m : LedgerAmount.Parse(value);
}
