using System.Data.Common;
using CsCheck;
using Microsoft.Data.Sqlite;
using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Tests;

/// <summary>
/// Texts of units per name (<see cref="UnitsJson"/>) added by <c>units_merge</c>: exactly the sum of the two, name by name,
/// for values of any width, on both engines; in <see cref="UnitsJson.Write"/>'s form on SQLite.
/// </summary>
public sealed class UnitsJsonTests
{
    // Names that sort differently as UTF-16 and as bytes, or that the writer escapes, take the general path.
    private static readonly Gen<string> Name = Gen.OneOf(
        Gen.String[Gen.Char["abc_:"], 1, 3],
        Gen.Int[0, 6].Select(i => new[] { "input_tokens", "output_tokens", "recharge:credits", "a+b", "é", "中", "\"q\"" }[i]));

    // Values of the long path (at most 18 digits), of the decimal path (wider than a long), and zero, either sign.
    private static readonly Gen<decimal> Value = Gen.OneOf(
        Gen.Long[-999_999_999_999_999_999, 999_999_999_999_999_999].Select(v => (decimal)v),
        Gen.Long.Select(v => v * 1_000_000_000m),
        Gen.Const(0m));

    private static readonly Gen<Dictionary<string, decimal>> Units = Gen.Dictionary(Name, Value)[0, 8];

    private static Dictionary<string, decimal> Sum(Dictionary<string, decimal> a, Dictionary<string, decimal> b)
    {
        var sum = new Dictionary<string, decimal>(a, StringComparer.Ordinal);
        foreach (var (name, value) in b)
        {
            sum[name] = sum.GetValueOrDefault(name) + value;
        }

        return sum;
    }

    [Fact]
    public void Merge_OfTwoWrittenTexts_IsTheWrittenSum()
    {
        Gen.Select(Units, Units).Sample((a, b) =>
        {
            var merged = UnitsJson.Merge(UnitsJson.Write(a), UnitsJson.Write(b));
            Assert.Equal(UnitsJson.Write(Sum(a, b)), merged);
            Assert.Equal(Sum(a, b), UnitsJson.Read(merged));
        }, iter: 5_000);
    }

    [Theory]
    [InlineData("{}", "{}", "{}")]
    [InlineData(null, "{\"a\":\"1\"}", "{\"a\":\"1\"}")]
    [InlineData("{\"a\":\"1\"}", "", "{\"a\":\"1\"}")]
    [InlineData("{\"b\":\"2\",\"a\":5}", "{ \"a\" : \"007\" }", "{\"a\":\"12\",\"b\":\"2\"}")] // out of order, a number, leading zeros, spaces
    [InlineData("{\"a\":\"999999999999999999\"}", "{\"a\":\"1\"}", "{\"a\":\"1000000000000000000\"}")] // past 18 digits
    [InlineData("{\"a\":\"-5\",\"b\":\"1\"}", "{\"a\":\"5\"}", "{\"a\":\"0\",\"b\":\"1\"}")]
    [InlineData("{\"a\":\"1\"}", "{\"a\":\"1.5\"}", "{\"a\":\"2\"}")] // a fraction is truncated, as LedgerAmount.ToText does
    public void Merge_OfTextsInAnyForm_AddsThem(string? left, string? right, string expected) =>
        Assert.Equal(expected, UnitsJson.Merge(left, right));

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task UnitsMerge_InSql_AddsExactly(string engine)
    {
        await using var dialect = await StoreFixture.CreateAsync(engine);
        await new Ledger.LedgerStore(dialect, new TestClock(NodaTime.Instant.FromUtc(2026, 1, 1, 0, 0)), StoreFixture.Books).MigrateAsync();
        await using var connection = await dialect.OpenAsync(default);
        await Gen.Select(Units, Units).SampleAsync(async (a, b) =>
        {
            var merged = await MergeAsync(connection, UnitsJson.Write(a), UnitsJson.Write(b));
            Assert.Equal(Sum(a, b), UnitsJson.Read(merged));
            if (engine == "sqlite")
            {
                Assert.Equal(UnitsJson.Write(Sum(a, b)), merged);
            }
        }, iter: 300, threads: 1);
    }

    [Fact]
    public async Task UnitsMerge_OfText_ThatIsNotUnits_IsTheStatementsError()
    {
        await using var dialect = await StoreFixture.CreateAsync("sqlite");
        await using var connection = await dialect.OpenAsync(default);

        var error = await Assert.ThrowsAsync<SqliteException>(() => MergeAsync(connection, "[1]", "{\"a\":\"1\"}"));

        Assert.Contains("units must be a JSON object", error.Message, StringComparison.Ordinal);
        Assert.Equal("{\"a\":\"1\"}", await MergeAsync(connection, null, "{\"a\":\"1\"}"));
    }

    private static async Task<string> MergeAsync(DbConnection connection, string? a, string? b)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT units_merge(@a, @b)";
        foreach (var (name, value) in new[] { ("a", a), ("b", b) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = (object?)value ?? DBNull.Value;
            parameter.DbType = System.Data.DbType.String;
            command.Parameters.Add(parameter);
        }

        return (string)(await command.ExecuteScalarAsync())!;
    }
}
