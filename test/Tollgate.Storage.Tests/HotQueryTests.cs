using System.Collections.Concurrent;
using System.Diagnostics;
using NodaTime;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Billing;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Usage;

namespace Tollgate.Storage.Tests;

/// <summary>
/// The statements the store really sends to PostgreSQL on the hot paths (recording, reserving and settling, top-ups,
/// balances, events, transfers, usage, bills), captured from Npgsql's tracing: each one that touches a
/// distributed table filters by tenant (or inserts rows that carry their tenant_id), so on Citus it is routed to
/// one tenant's shard; and PostgreSQL plans each with an index that leads with tenant_id. See docs/scaling.md.
/// </summary>
public sealed partial class HotQueryTests
{
    private static readonly ActivitySource Source = new("Tollgate.Tests.HotQueries");

    [Fact]
    public async Task HotPaths_EveryStatementOnADistributedTable_FiltersByTenantAndJoinsOnIt()
    {
        var (_, statements) = await CaptureAsync();

        Assert.True(statements.Count >= 20, string.Join("\n", statements));
        Assert.Contains(statements, s => s.StartsWith("INSERT INTO events", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.StartsWith("UPDATE bill_lines", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.Contains(" JOIN accounts", StringComparison.Ordinal));
        var unrouted = statements.Where(s => !SqlTenancy.RoutedByTenant(s)).ToList();
        Assert.True(unrouted.Count == 0, "not routed by tenant:\n" + string.Join("\n", unrouted));
    }

    [Fact]
    public async Task HotPaths_EveryReadAndUpdate_IsPlannedWithAnIndexNotATableScan()
    {
        var (store, statements) = await CaptureAsync();
        await using var connection = await store.Dialect.OpenAsync(default);

        var tenantIndexes = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0] " +
                                  "WHERE i.relnamespace = current_schema()::regnamespace AND a.attname = 'tenant_id'";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tenantIndexes.Add(reader.GetString(0));
            }
        }

        var plans = new List<string>();
        foreach (var sql in statements.Where(s => s.StartsWith("SELECT", StringComparison.Ordinal) || s.StartsWith("UPDATE", StringComparison.Ordinal)).Where(s => SqlTenancy.Tables(s).Any()))
        {
            var plan = await Explain.CustomPlanAsync(connection, sql, "acme");
            plans.Add(plan);
            Assert.True(!plan.Contains("Seq Scan", StringComparison.Ordinal), $"{sql}\nscans a table:\n{plan}");
            var used = IndexUsed().Matches(plan).Select(m => m.Groups[1].Value).ToList();
            Assert.True(used.Count > 0 && used.All(tenantIndexes.Contains), $"{sql}\nuses no index that leads with tenant_id:\n{plan}");
        }

        Assert.True(plans.Count >= 15, $"{plans.Count} statements explained");
    }

    [Fact]
    public async Task EventLog_NewestFirstPage_WalksTheTimeIndexWithoutASort()
    {
        var (store, statements) = await CaptureAsync();
        await using var connection = await store.Dialect.OpenAsync(default);

        var pages = statements.Where(s => s.StartsWith("SELECT event_id, status, event_time", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, pages.Count);
        foreach (var sql in pages)
        {
            // A sort would mean reading every event of the tenant to show 50 (issue 14: 10 million events a month).
            var plan = await Explain.CustomPlanAsync(connection, sql, "acme");
            Assert.True(plan.Contains("events_time", StringComparison.Ordinal) && !plan.Contains("Sort", StringComparison.Ordinal), $"{sql}\n{plan}");
        }
    }

    [Fact]
    public async Task PacksAndHoldTransfers_ArePlannedWithTheirPartialIndexes()
    {
        // Usage transfers are left out of transfers_credit, transfers_debit and transfers_hold (migration 037); the
        // statements that read them must still name each index's condition, or they would scan the tenant's transfers.
        var (store, statements) = await CaptureAsync();
        await using var connection = await store.Dialect.OpenAsync(default);

        var packs = Assert.Single(statements, s => s.Contains("kind IN ('topup', 'grant', 'adjustment')", StringComparison.Ordinal));
        var packsPlan = await Explain.CustomPlanAsync(connection, packs, "acme");
        Assert.True(packsPlan.Contains("transfers_credit", StringComparison.Ordinal) && packsPlan.Contains("transfers_debit", StringComparison.Ordinal), $"{packs}\n{packsPlan}");
        var hold = Assert.Single(statements, s => s.StartsWith(LedgerStore.PendingTransfersSql, StringComparison.Ordinal));
        var holdPlan = await Explain.CustomPlanAsync(connection, hold, "acme");
        Assert.True(holdPlan.Contains("transfers_hold", StringComparison.Ordinal), $"{hold}\n{holdPlan}");
    }

    /// <summary>Runs the hot paths for one tenant and returns the distinct statements they sent (Npgsql's activities under this test's own).</summary>
    internal static async Task<(LedgerStore Store, List<string> Statements)> CaptureAsync()
    {
        var (store, clock) = await StoreFixture.StoreAsync("postgres", Instant.FromUtc(2026, 3, 1, 8, 0));
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book"));
        var statements = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" or "Tollgate.Tests.HotQueries",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using (var workload = Source.StartActivity("hot paths")!)
        {
            var trace = workload.TraceId;
            listener.ActivityStopped = a =>
            {
                if (a.Source.Name == "Npgsql" && a.TraceId == trace && (a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement")) is string sql)
                {
                    statements.Enqueue(sql);
                }
            };
            await store.TopUpAsync(new TopUp("acme", "t1", AccountKind.Recharge, "credits", 100m));
            await store.TopUpAsync(new TopUp("acme", "p1", AccountKind.ResourcePack, "credits", 5m, ExpiresAt: clock.GetCurrentInstant() + Duration.FromDays(30)));
            await store.RecordAsync([.. Enumerable.Range(0, 20).Select(i => BillingTests.Fee($"e{i}", clock.GetCurrentInstant() - Duration.FromHours(i)))]);
            await store.RecordAsync([BillingTests.Fee("e0", clock.GetCurrentInstant())]);
            await store.RecordAsync([BillingTests.Fee("single", clock.GetCurrentInstant())]);
            await store.HoldAsync(new HoldRequest("acme", "h1", Duration.FromMinutes(5), Amount: 2m, Unit: "credits", Type: Core.Events.BillingTypes.Tool, Model: "one"));
            await store.SettleAsync("acme", "h1", BillingTests.Fee("h1-usage", clock.GetCurrentInstant()));
            await store.HoldAsync(new HoldRequest("acme", "h2", Duration.FromMinutes(5), Amount: 2m, Unit: "credits", Type: Core.Events.BillingTypes.Tool, Model: "one"));
            await store.ReleaseAsync("acme", "h2");
            await store.GetBalancesAsync("acme");
            await store.GetEventAsync("acme", "e3");
            await store.ListTransfersAsync("acme", null, null, null, 100);
            await store.ListEventsAsync("acme", new EventFilter(), null, 10);
            await store.ListEventsAsync("acme", new EventFilter(Status: "charged", Model: "one", Type: "tool"), new EventCursor(clock.GetCurrentInstant().ToUnixTimeMilliseconds(), "e5"), 10);
            await store.ListGrantsAndPacksAsync("acme");
            await new UsageStore(store.Dialect).QueryAsync(new UsageQuery("acme"));
            var bills = new BillingStore(store.Dialect, clock);
            clock.Advance(Duration.FromDays(2));
            await bills.IssueThroughAsync("acme", new LocalDate(2026, 3, 1));
            await bills.ListAsync("acme", null, null, 100, null);
            await bills.GetAsync("acme", "2026-03-01");
        }

        return (store, [.. statements.Distinct(StringComparer.Ordinal)]);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?:Index Scan(?: Backward)? using|Index Only Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)")]
    private static partial System.Text.RegularExpressions.Regex IndexUsed();
}
