using Dapper;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>
/// SQLite plans the reads of pack flows and of a hold's transfers with the partial indexes of migration 037, and a
/// recorded event's usage transfer is in none of them (PostgreSQL: <see cref="HotQueryTests.PacksAndHoldTransfers_ArePlannedWithTheirPartialIndexes"/>).
/// </summary>
public sealed class PartialIndexTests
{
    [Fact]
    public async Task Sqlite_PackFlowsAndHoldTransfers_UseThePartialIndexes_WhichHoldNoUsageTransfer()
    {
        var (store, clock) = await StoreFixture.StoreAsync("sqlite", NodaTime.Instant.FromUtc(2026, 3, 1, 8, 0));
        await store.SaveTenantAsync(new Core.Tenants.TenantSettings("acme", PriceBook: "test-book"));
        await store.TopUpAsync(new TopUp("acme", "t1", Core.Funding.AccountKind.Recharge, "credits", 100m));
        await store.TopUpAsync(new TopUp("acme", "p1", Core.Funding.AccountKind.ResourcePack, "credits", 5m));
        await store.RecordAsync([.. Enumerable.Range(0, 20).Select(i => BillingTests.Fee($"e{i}", clock.GetCurrentInstant()))]);
        await using var connection = await store.Dialect.OpenAsync(default);

        var packs = await PlanAsync(connection, LedgerStore.PackFlowsSql(store.Dialect), new { tenant = "acme", no = false, ids = store.Dialect.List(new[] { 1L, 2L }) });
        Assert.Contains(packs, d => d.Contains("USING INDEX transfers_credit", StringComparison.Ordinal));
        Assert.Contains(packs, d => d.Contains("USING INDEX transfers_debit", StringComparison.Ordinal));
        var hold = await PlanAsync(connection, LedgerStore.PendingTransfersSql, new { tenant = "acme", holdId = "h1" });
        Assert.Contains(hold, d => d.Contains("USING INDEX transfers_hold", StringComparison.Ordinal));

        Assert.Equal(20L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM transfers WHERE kind = 'usage'"));
        foreach (var index in new[] { "transfers_credit", "transfers_debit", "transfers_hold" })
        {
            // Entries of an index: the rows its condition admits, counted through the index itself.
            var where = (await connection.ExecuteScalarAsync<string>("SELECT sql FROM sqlite_schema WHERE name = @index", new { index }))!.Split(" WHERE ")[1];
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM transfers INDEXED BY {index} WHERE kind = 'usage' AND {where}"));
        }
    }

    [Fact]
    public async Task Sqlite_RecordedIdsLookUp_IsOneStatementForAnyListLength_SearchingThePrimaryKey()
    {
        var (store, clock) = await StoreFixture.StoreAsync("sqlite", NodaTime.Instant.FromUtc(2026, 3, 1, 8, 0));
        await store.SaveTenantAsync(new Core.Tenants.TenantSettings("acme", PriceBook: "test-book"));
        await store.TopUpAsync(new TopUp("acme", "t1", Core.Funding.AccountKind.Recharge, "credits", 100m));

        // Ids a JSON list must escape: each batch sent again is all duplicates, found by the one look-up statement.
        string[] ids = ["plain", "quote\"d", "back\\slash", "é中😀", "comma,]", "x"];
        for (var n = 1; n <= ids.Length; n++)
        {
            var batch = ids.Take(n).Select(id => BillingTests.Fee($"{id}-{n}", clock.GetCurrentInstant())).ToList();
            Assert.All(await store.RecordAsync(batch), r => Assert.False(r.Duplicate));
            Assert.All(await store.RecordAsync(batch), r => Assert.True(r.Duplicate, r.EventId));
        }

        await using var connection = await store.Dialect.OpenAsync(default);
        var plan = await PlanAsync(connection, LedgerStore.RecordedEventsSql(store.Dialect), new { tenant = "acme", ids = store.Dialect.List(ids) });
        Assert.Contains(plan, d => d.Contains("SEARCH events USING INDEX sqlite_autoindex_events_1 (tenant_id=? AND event_id=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, d => d.StartsWith("SCAN events", StringComparison.Ordinal));

        // Lists of 1, 3 and 6 ids run the one statement text, which the connection keeps prepared (Dapper's expansion
        // of an array made a text per length, compiled at each use).
        var sql = LedgerStore.RecordedEventsSql(store.Dialect);
        foreach (var n in new[] { 1, 3, 6 })
        {
            Assert.Equal(n, (await connection.QueryAsync(sql, new { tenant = "acme", ids = store.Dialect.List(ids.Take(n).Select(id => $"{id}-{ids.Length}")) })).Count());
        }

        Assert.Equal(1, ((Sql.StatementCache)connection).CountOf(sql));
    }

    [Fact]
    public async Task Sqlite_AnOwnersAccounts_AreSearchedByOwner_NotReadAcrossTheTenant()
    {
        // What every recording and hold locks, and what an answer lists: one owner's accounts. Without accounts_owner
        // (migration 038) both read every account of the tenant, each of its end users' wallets too.
        var (store, _) = await StoreFixture.StoreAsync("sqlite", NodaTime.Instant.FromUtc(2026, 3, 1, 8, 0));
        await store.SaveTenantAsync(new Core.Tenants.TenantSettings("acme", PriceBook: "test-book"));
        await store.TopUpAsync(new TopUp("acme", "t1", Core.Funding.AccountKind.Recharge, "credits", 100m));
        foreach (var user in Enumerable.Range(0, 30).Select(i => $"user-{i}"))
        {
            await store.TopUpAsync(new TopUp("acme", $"w-{user}", Core.Funding.AccountKind.Recharge, "credits", 1m, Owner: user));
        }

        await using var connection = await store.Dialect.OpenAsync(default);
        var locked = await PlanAsync(connection, LedgerWork.OwnerAccountsSql(store.Dialect), new { Tenant = "acme", Owner = "user-7" });
        var listed = await PlanAsync(connection, LedgerStore.OwnerBalancesSql(store.Dialect), new { tenant = "acme", owners = store.Dialect.List(new[] { "user-7" }) });
        foreach (var plan in new[] { locked, listed })
        {
            Assert.Contains(plan, d => d.Contains("USING INDEX accounts_owner (tenant_id=? AND owner=?)", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(locked, d => d.Contains("TEMP B-TREE", StringComparison.Ordinal)); // in account order from the index

        var balances = await store.GetOwnerBalancesAsync("acme", ["user-7", string.Empty]);
        Assert.Equal(["", "user-7"], balances.Select(b => b.Owner).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(1m, balances.Single(b => b.Owner == "user-7").Available);
    }

    private static async Task<List<string>> PlanAsync(System.Data.Common.DbConnection connection, string sql, object parameters) =>
        [.. (await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, parameters)).Select(r => r.Detail)];
}
