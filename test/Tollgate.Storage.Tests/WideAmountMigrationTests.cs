using Dapper;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Tests;

/// <summary>Migration 004 turns a database written with 64-bit amounts into one with wide amounts, keeping every balance.</summary>
public sealed class WideAmountMigrationTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Migrate_DatabaseWithIntegerAmounts_KeepsBalancesAndTakesAmountsPastTwoToThe63(string engine)
    {
        var dialect = await StoreFixture.CreateAsync(engine);
        var store = new LedgerStore(dialect, new TestClock(NodaTime.Instant.FromUtc(2025, 3, 1, 2, 0)), StoreFixture.Books);
        await using (var connection = await dialect.OpenAsync(default))
        {
            // The schema before 004, with what the 64-bit code wrote: integer amounts, the old system floor.
            await MigrationScripts.ApplyBeforeAsync(connection, dialect.Name, 4);
        }

        await using (var connection = await dialect.OpenAsync(default))
        {
            var tenant = TenantSettingsDocument.From(new TenantSettings("acme", PriceBook: "test-book")).ToJson();
            await connection.ExecuteAsync($"INSERT INTO tenants (tenant_id, settings, cumulative_recharge, created_at) VALUES ('acme', @tenant, 1000000000, 0)", new { tenant });
            var issuance = await connection.ExecuteScalarAsync<long>("INSERT INTO accounts (tenant_id, owner, kind, unit, floor, posted) VALUES ('acme', '', 'issuance', 'credits', -4000000000000000000, -9000000000000000000) RETURNING account_id");
            var recharge = await connection.ExecuteScalarAsync<long>("INSERT INTO accounts (tenant_id, owner, kind, unit, floor, posted) VALUES ('acme', '', 'recharge', 'credits', 0, 9000000000000000000) RETURNING account_id");
            await connection.ExecuteAsync("INSERT INTO transfers (tenant_id, debit_account, credit_account, amount, unit, kind, created_at) VALUES ('acme', @issuance, @recharge, 9000000000000000000, 'credits', 'topup', 0)", new { issuance, recharge });
            await connection.ExecuteAsync("INSERT INTO usage_rollups (tenant_id, hour, type, model, channel, key_mode, unit, meter, events, quantity, amount) VALUES ('acme', 0, 't', 'm', 'c', 'k', 'credits', '', 1, 0, 9000000000000000000)");
        }

        // 004 and any later migration (020 keys webhook deliveries by tenant).
        Assert.Equal(MigrationScripts.Of(dialect.Name).Count(s => s.Version >= 4), await store.MigrateAsync());

        Assert.True((await store.CheckAsync()).Clean);
        Assert.Equal(90_000_000_000m, (await store.GetBalancesAsync("acme")).Single().Posted);
        Assert.Equal(10m, await store.GetCumulativeRechargeAsync("acme"));
        await store.TopUpAsync(new TopUp("acme", "more", AccountKind.Recharge, "credits", 1_000_000_000_000m));
        var check = await store.CheckAsync();
        Assert.True(check.Clean, string.Join("; ", check.Problems));
        Assert.Equal(1_090_000_000_000m, (await store.GetBalancesAsync("acme")).Single().Posted);
        var usage = await new Usage.UsageStore(dialect).QueryAsync(new Usage.UsageQuery("acme"));
        Assert.Equal(90_000_000_000m, usage.Single().Amounts["credits"]);
    }
}
