using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Tollgate.Storage.Sql;

/// <summary>
/// Inserts many rows. On PostgreSQL, multi-row INSERT statements (a round trip per row was most of the cost of
/// recording a batch); on SQLite, which has no round trips, one statement prepared once and run per row, which is
/// faster there than long statements that SQLite must compile each time.
/// </summary>
internal static class Bulk
{
    /// <summary>Parameters per multi-row statement, under PostgreSQL's limit of 65,535.</summary>
    private const int MaxParameters = 30_000;

    /// <summary>Inserts the rows and returns how many were inserted; <paramref name="suffix"/> (ON CONFLICT ...) follows the values.</summary>
    public static async Task<int> InsertAsync(SqlDialect dialect, DbConnection connection, DbTransaction transaction, string table, string[] columns, IReadOnlyList<object?[]> rows, string suffix = "")
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        var perStatement = dialect.MultiRowInserts ? Math.Max(1, MaxParameters / columns.Length) : 1;
        if (perStatement == 1 && connection is StatementCache writer)
        {
            return writer.InsertRows(RowStatement(table, columns, suffix), rows);
        }

        var head = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ";

        if (perStatement == 1)
        {
            // One prepared command whose parameter values change per row: no re-binding of names and no Dapper
            // parameter objects per row (they were a tenth of a warm SQLite batch in the issue 13 profile).
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = head + "(" + string.Join(", ", columns.Select((_, c) => Name(0, c))) + ") " + suffix;
            var parameters = new DbParameter[columns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                parameters[c] = command.CreateParameter();
                parameters[c].ParameterName = Name(0, c);
                command.Parameters.Add(parameters[c]);
            }

            var count = 0;
            foreach (var row in rows)
            {
                for (var c = 0; c < columns.Length; c++)
                {
                    parameters[c].Value = Value(row[c]);
                }

                count += await command.ExecuteNonQueryAsync();
            }

            return count;
        }

        // PostgreSQL: positional parameters ($1, $2, ...) without names, so that Npgsql sends the statement as it is
        // instead of parsing it to rewrite thousands of named parameters; no Dapper parameter objects either.
        var inserted = 0;
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            var count = Math.Min(perStatement, rows.Count - start);
            var sql = new StringBuilder(head);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            for (var r = 0; r < count; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Length; c++)
                {
                    sql.Append(c == 0 ? "$" : ", $").Append(((r * columns.Length) + c + 1).ToString(CultureInfo.InvariantCulture));
                    var parameter = command.CreateParameter();
                    parameter.Value = Value(rows[start + r][c]);
                    command.Parameters.Add(parameter);
                }

                sql.Append(')');
            }

            command.CommandText = sql.Append(' ').Append(suffix).ToString();
            inserted += await command.ExecuteNonQueryAsync();
        }

        return inserted;
    }

    /// <summary>
    /// The single-row INSERT with positional parameters for a table, its columns and its suffix: built once, not for every
    /// call (a gateway call's transfers, events and rollups built six texts, 6% of what the call allocated).
    /// </summary>
    internal static string RowStatement(string table, string[] columns, string suffix) =>
        RowStatements.GetOrAdd(new Shape(table, columns, suffix), static shape =>
            $"INSERT INTO {shape.Table} ({string.Join(", ", shape.Columns)}) VALUES ({string.Join(", ", shape.Columns.Select((_, c) => $"?{c + 1}"))}) {shape.Suffix}");

    /// <summary>Texts kept: the code has a few dozen shapes of insert.</summary>
    private static readonly BoundedCache<Shape, string> RowStatements = new(256);

    /// <summary>A table, its columns and its suffix, equal by their texts (callers build a new column array each time).</summary>
    private readonly record struct Shape(string Table, string[] Columns, string Suffix)
    {
        public bool Equals(Shape other) =>
            Table == other.Table && Suffix == other.Suffix && Columns.AsSpan().SequenceEqual(other.Columns);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Table);
            hash.Add(Suffix);
            foreach (var column in Columns)
            {
                hash.Add(column);
            }

            return hash.ToHashCode();
        }
    }

    /// <summary>A row's value as a parameter of Microsoft.Data.Sqlite or Npgsql.</summary>
    private static object Value(object? value) => value switch
    {
        null => DBNull.Value,
        Utf8Text utf8 => utf8.ToString(),
        _ => value,
    };

    private static string Name(int row, int column) => string.Create(CultureInfo.InvariantCulture, $"@p{row}_{column}");
}
