using Dapper;
using NodaTime;
using Tollgate.Core.Events;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;
using Tollgate.Storage.Usage;

namespace Tollgate.Storage.Tests;

/// <summary>
/// Usage per end user alone (migration 035): kept by the recording transaction beside the full per-end-user rollups,
/// filled from them when a database is upgraded, and answering exactly what the full rollups answer.
/// </summary>
public sealed class SubjectTotalsTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Query_BySubjectAlone_AnswersFromTotalsWhatTheFullRollupsSum(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine, BillingTests.Local("Asia/Shanghai", 2026, 11, 22, 12, 0));
        await store.SaveTenantAsync(new TenantSettings("acme", TimeZone: "Asia/Shanghai", PriceBook: "test-book"));
        var events = new List<UsageEvent>();
        string[] models = ["fee", "one"];
        string[] channels = [Channels.Editor, Channels.Api, Channels.WebSdk];
        string?[] subjects = ["u-1", "u-2", null];
        for (var i = 0; i < 24; i++)
        {
            var at = BillingTests.Local("Asia/Shanghai", 2026, 11, 20 + (i % 2), 7 + (i % 17), 0);
            events.Add(Events.Fee($"e{i}", model: models[i % 2], channel: channels[i % 3], subject: subjects[i % 3], calls: 1 + (i % 4)) with { Time = at.WithOffset(Offset.Zero) });
        }

        events.Add(Events.Tokens("t1", 1500, 500) with { Subject = "u-1", Time = BillingTests.Local("Asia/Shanghai", 2026, 11, 21, 9, 0).WithOffset(Offset.Zero) });
        await store.RecordAsync(events);
        var usage = new UsageStore(store.Dialect);

        // Every dimension grouped reads the full rollups; folded to (day, end user) they are what the totals must say.
        var full = await usage.QueryAsync(new UsageQuery("acme", GroupBy: ["subject", "type", "model", "channel", "key_mode"], Bucket: UsageBucket.Day));
        var folded = full.GroupBy(r => (r.Bucket, Subject: r.Group["subject"]))
            .Select(g => Describe(g.Key.Bucket, g.Key.Subject, g.Sum(r => r.Events), Merge(g.Select(r => r.Quantities)), Merge(g.Select(r => r.Amounts))))
            .Order(StringComparer.Ordinal);
        var alone = await usage.QueryAsync(new UsageQuery("acme", GroupBy: ["subject"], Bucket: UsageBucket.Day));
        Assert.Equal(folded, alone.Select(r => Describe(r.Bucket, r.Group["subject"], r.Events, r.Quantities, r.Amounts)).Order(StringComparer.Ordinal));
        Assert.Equal(6, alone.Count);

        var one = Assert.Single(await usage.QueryAsync(new UsageQuery("acme", Subject: "u-1", Bucket: UsageBucket.Month)));
        Assert.Equal(
            full.Where(r => r.Group["subject"] == "u-1").Sum(r => r.Amounts["credits"]),
            one.Amounts["credits"]);
        Assert.Equal(1500m, one.Quantities[Meters.InputTokens]);

        // Rows of the end user's day alone: one per day and end user (2 x 3), its meters in it.
        await using var connection = await store.Dialect.OpenAsync(default);
        Assert.Equal(6, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM usage_subject_totals WHERE tenant_id = 'acme'"));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Migrate_DatabaseWithSubjectRollupsOnly_FillsTotalsFromThem(string engine)
    {
        var dialect = await StoreFixture.CreateAsync(engine);
        var store = new LedgerStore(dialect, new TestClock(Instant.FromUtc(2026, 11, 22, 4, 0)), StoreFixture.Books);
        var scripts = MigrationScripts.Of(dialect.Name).ToList();
        await using (var connection = await dialect.OpenAsync(default))
        {
            await MigrationScripts.ApplyBeforeAsync(connection, dialect.Name, 35);

            var tenant = TenantSettingsDocument.From(new TenantSettings("acme", PriceBook: "test-book")).ToJson();
            await connection.ExecuteAsync("INSERT INTO tenants (tenant_id, settings, cumulative_recharge, created_at) VALUES ('acme', @tenant, 0, 0)", new { tenant });
            // What the code before 035 wrote for u-1 on one UTC day: two models, their event rows and their calls.
            var day = Instant.FromUtc(2026, 11, 21, 0, 0).ToUnixTimeMilliseconds();
            foreach (var (model, events, calls, amount) in new[] { ("fee", 2, 3_000_000L, 3_000_000_000L), ("one", 1, 1_000_000L, 100_000_000L) })
            {
                await connection.ExecuteAsync(
                    "INSERT INTO usage_subject_rollups (tenant_id, day, subject, type, model, channel, key_mode, unit, meter, events, quantity, amount) VALUES " +
                    "('acme', @day, 'u-1', 'tool', @model, 'editor', 'platform', 'credits', '', @events, 0, @amount), ('acme', @day, 'u-1', 'tool', @model, 'editor', 'platform', 'credits', 'calls', 0, @calls, 0)",
                    new { day, model, events, calls, amount = dialect.Units(amount) });
            }
        }

        Assert.Equal(scripts.Count(s => s.Version >= 35), await store.MigrateAsync());

        var usage = new UsageStore(dialect);
        var row = Assert.Single(await usage.QueryAsync(new UsageQuery("acme", GroupBy: ["subject"], Bucket: UsageBucket.Day)));
        Assert.Equal(("2026-11-21", "u-1", 3L, 4m, 31m), (row.Bucket, row.Group["subject"], row.Events, row.Quantities[Meters.Calls], row.Amounts["credits"]));

        // Recording after the upgrade adds to the filled rows.
        await store.RecordAsync([Events.Fee("after", model: "one", subject: "u-1") with { Time = Instant.FromUtc(2026, 11, 21, 10, 0).WithOffset(Offset.Zero) }]);
        row = Assert.Single(await usage.QueryAsync(new UsageQuery("acme", GroupBy: ["subject"], Bucket: UsageBucket.Day)));
        Assert.Equal((4L, 5m, 32m), (row.Events, row.Quantities[Meters.Calls], row.Amounts["credits"]));
    }

    private static string Describe(string? bucket, string subject, long events, IReadOnlyDictionary<string, decimal> quantities, IReadOnlyDictionary<string, decimal> amounts) =>
        $"{bucket} {subject} {events} " +
        string.Join(",", quantities.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => $"{q.Key}={q.Value}")) + " " +
        string.Join(",", amounts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));

    private static Dictionary<string, decimal> Merge(IEnumerable<IReadOnlyDictionary<string, decimal>> all) =>
        all.SelectMany(d => d).GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(p => p.Value), StringComparer.Ordinal);
}
