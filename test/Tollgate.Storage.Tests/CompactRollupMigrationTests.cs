using System.Text.Json;
using Dapper;
using NodaTime;
using Tollgate.Core.Billing;
using Tollgate.Core.Events;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Billing;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;
using Tollgate.Storage.Usage;

namespace Tollgate.Storage.Tests;

/// <summary>
/// Migration 039 folds the rollups and bill lines that the code before it wrote (a row per meter, a bill line per
/// meter and per payer) into one row per set of dimensions, which answers every usage question and issues every bill
/// exactly as a database written by today's code does, and takes new events on top.
/// </summary>
public sealed class CompactRollupMigrationTests
{
    private static readonly Instant Start = BillingTests.Local("Asia/Shanghai", 2026, 11, 20, 9, 0);

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Migrate_RowsPerMeterAndPayer_AnswerAndBillAsTodaysRows(string engine)
    {
        // Today's code: two days of fees and tokens over models, channels and end users, paid from bonus and recharge
        // credits and (on the API channel) api_tokens; the first day's bill issued.
        var (store, clock) = await StoreFixture.StoreAsync(engine, Start);
        var settings = new TenantSettings("acme", TimeZone: "Asia/Shanghai", PriceBook: "test-book",
            Routes: FundingRoutes.Default with
            {
                ChannelUnits = new Dictionary<string, string> { [Channels.Api] = "api_tokens" },
                UnitRates = new Dictionary<string, decimal> { ["credits->api_tokens"] = 1000m },
            });
        await store.SaveTenantAsync(settings);
        await store.TopUpAsync(new TopUp("acme", "t1", AccountKind.Recharge, "credits", 50m));
        await store.TopUpAsync(new TopUp("acme", "t2", AccountKind.Recharge, "api_tokens", 9_000m));
        await store.TopUpAsync(new TopUp("acme", "b1", AccountKind.Bonus, "credits", 2m));
        string[] channels = [Channels.Editor, Channels.Api, Channels.WebSdk];
        string?[] subjects = ["u-1", "u-2", null];
        var events = new List<UsageEvent>();
        for (var i = 0; i < 30; i++)
        {
            var at = (Start + Duration.FromHours(i % 2 == 0 ? 1 : 25) + Duration.FromMinutes(i)).WithOffset(Offset.Zero);
            events.Add(i % 3 == 0
                ? Events.Tokens($"t{i}", 100 + (i * 37), 10 + i, channel: channels[i % 3]) with { Subject = subjects[i % 3], Time = at }
                : Events.Fee($"f{i}", model: i % 2 == 0 ? "fee" : "one", channel: channels[i % 3], subject: subjects[(i / 3) % 3], calls: 1 + (i % 4)) with { Time = at });
        }

        await store.RecordAsync(events);
        clock.Advance(Duration.FromDays(1));
        var bills = new BillingStore(store.Dialect, clock);
        var firstDay = new LocalDate(2026, 11, 20);
        await bills.IssueThroughAsync("acme", firstDay);

        // The same rows as the code before 039 kept them, in a database migrated to 038, then upgraded.
        var old = new LedgerStore(await StoreFixture.CreateAsync(engine), new TestClock(clock.GetCurrentInstant()), StoreFixture.Books);
        await using (var to = await old.Dialect.OpenAsync(default))
        await using (var from = await store.Dialect.OpenAsync(default))
        {
            await MigrationScripts.ApplyBeforeAsync(to, old.Dialect.Name, 39);
            await CopyLedgerAsync(old.Dialect, from, to);
            await ExpandAsync(old.Dialect, from, to);
        }

        Assert.Equal(MigrationScripts.Of(old.Dialect.Name).Count(s => s.Version >= 39), await old.MigrateAsync());
        var oldBills = new BillingStore(old.Dialect, new TestClock(clock.GetCurrentInstant()));

        await AssertSameUsageAsync(store.Dialect, old.Dialect);

        // New events add to the folded rows; the second day's bill (with a late line of the first) is the same.
        UsageEvent[] more =
        [
            Events.Tokens("late", 400, 40) with { Subject = "u-1", Time = (Start + Duration.FromHours(2)).WithOffset(Offset.Zero) },
            Events.Fee("next", model: "one", channel: Channels.Api, subject: "u-2", calls: 3) with { Time = (Start + Duration.FromHours(26)).WithOffset(Offset.Zero) },
        ];
        Assert.Equal(
            Json(await store.RecordAsync(more)),
            Json(await new LedgerStore(old.Dialect, new TestClock(clock.GetCurrentInstant()), StoreFixture.Books).RecordAsync(more)));
        await AssertSameUsageAsync(store.Dialect, old.Dialect);
        clock.Advance(Duration.FromDays(1));
        var secondDay = firstDay.PlusDays(1);
        var bill = await bills.IssueThroughAsync("acme", secondDay);
        var oldBill = await new BillingStore(old.Dialect, clock).IssueThroughAsync("acme", secondDay);
        Assert.Equal(Json(bill), Json(oldBill));
        Assert.Contains(bill.Units.SelectMany(u => u.Lines), l => l.LateFrom is not null && l.Quantities.Count > 0);
        Assert.True(bill.Units.SelectMany(u => u.Paid).Select(p => p.Kind).Distinct().Count() >= 2);
        Assert.Contains(bill.Units, u => u.Unit == "api_tokens");
        Assert.Equal(Json(await bills.GetAsync("acme", "2026-11-20")), Json(await oldBills.GetAsync("acme", "2026-11-20")));
    }

    private static async Task AssertSameUsageAsync(SqlDialect today, SqlDialect migrated)
    {
        UsageQuery[] questions =
        [
            new("acme"),
            new("acme", GroupBy: ["type", "model", "channel", "key_mode"], Bucket: UsageBucket.Hour),
            new("acme", GroupBy: ["subject", "model"], Bucket: UsageBucket.Day),
            new("acme", GroupBy: ["subject"], Bucket: UsageBucket.Day),
            new("acme", Subject: "u-1", Bucket: UsageBucket.Month),
        ];
        foreach (var question in questions)
        {
            var expected = await new UsageStore(today).QueryAsync(question);
            Assert.NotEmpty(expected);
            Assert.Equal(Json(expected), Json(await new UsageStore(migrated).QueryAsync(question)));
        }
    }

    /// <summary>Every row of every table that 039 does not change, as it is (tenants, accounts, transfers, events, bills ...).</summary>
    private static async Task CopyLedgerAsync(SqlDialect dialect, System.Data.Common.DbConnection from, System.Data.Common.DbConnection to)
    {
        string[] folded = ["schema_migrations", "usage_rollups", "usage_subject_rollups", "usage_subject_totals", "bill_lines"];
        var tables = await from.QueryAsync<string>(dialect.Name == "sqlite"
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
        var overriding = dialect.Name == "sqlite" ? "" : " OVERRIDING SYSTEM VALUE";
        foreach (var table in tables.Except(folded))
        {
            foreach (IDictionary<string, object> row in await from.QueryAsync($"SELECT * FROM {table}"))
            {
                await to.ExecuteAsync(
                    $"INSERT INTO {table} ({string.Join(", ", row.Keys)}){overriding} VALUES ({string.Join(", ", row.Keys.Select(k => "@" + k))})",
                    new DynamicParameters(row));
            }
        }

        if (dialect.Name != "sqlite")
        {
            // Serial ids (accounts, transfers) go on from the copied ones.
            foreach (var (table, column) in await to.QueryAsync<(string, string)>(
                         "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval%')"))
            {
                await to.ExecuteAsync($"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE(MAX({column}), 0) + 1, false) FROM {table}");
            }
        }
    }

    /// <summary>Today's rows written as before 039: meter '' (events, charge) and a row per meter; bill items '', 'meter:m', 'paid:payer'.</summary>
    private static async Task ExpandAsync(SqlDialect dialect, System.Data.Common.DbConnection from, System.Data.Common.DbConnection to)
    {
        (string Table, string Keys)[] rollups =
        [
            ("usage_rollups", "tenant_id, hour, type, model, channel, key_mode, unit"),
            ("usage_subject_rollups", "tenant_id, day, subject, type, model, channel, key_mode, unit"),
            ("usage_subject_totals", "tenant_id, day, subject, unit"),
        ];
        foreach (var (table, keys) in rollups)
        {
            var insert = $"INSERT INTO {table} ({keys}, meter, events, quantity, amount) VALUES ({string.Join(", ", keys.Split(", ").Select(k => "@" + k))}, @meter, @events, @quantity, @amount)";
            foreach (IDictionary<string, object> row in await from.QueryAsync($"SELECT * FROM {table}"))
            {
                var key = keys.Split(", ").ToDictionary(k => k, k => row[k]);
                await to.ExecuteAsync(insert, Values(key, "", row["events"], 0m, Units(row["amount"]), dialect));
                foreach (var (meter, quantity) in UnitsJson.Read((string)row["quantities"]))
                {
                    await to.ExecuteAsync(insert, Values(key, meter, 0L, quantity, 0m, dialect));
                }
            }
        }

        const string lineKeys = "tenant_id, cycle, type, model, channel, price_book, unit, bill_id";
        var line = $"INSERT INTO bill_lines ({lineKeys}, item, events, quantity, amount, paid) VALUES (@tenant_id, @cycle, @type, @model, @channel, @price_book, @unit, @bill_id, @item, @events, @quantity, @amount, @paid)";
        foreach (IDictionary<string, object> row in await from.QueryAsync("SELECT * FROM bill_lines"))
        {
            var key = lineKeys.Split(", ").ToDictionary(k => k, k => row[k]);
            await to.ExecuteAsync(line, Item(key, "", row["events"], 0m, Units(row["amount"]), 0m, dialect));
            foreach (var (meter, quantity) in UnitsJson.Read((string)row["quantities"]))
            {
                await to.ExecuteAsync(line, Item(key, BillSource.MeterPrefix + meter, 0L, quantity, 0m, 0m, dialect));
            }

            var paid = UnitsJson.Read((string)row["paid"]);
            foreach (var (payer, covers) in UnitsJson.Read((string)row["covers"]))
            {
                await to.ExecuteAsync(line, Item(key, BillSource.PaidPrefix + payer, 0L, 0m, covers, paid[payer], dialect));
            }
        }
    }

    private static decimal Units(object value) => Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture);

    private static DynamicParameters Values(Dictionary<string, object> key, string meter, object events, decimal quantity, decimal amount, SqlDialect dialect)
    {
        var values = new DynamicParameters(key);
        values.AddDynamicParams(new { meter, events, quantity = dialect.Units(quantity), amount = dialect.Units(amount) });
        return values;
    }

    private static DynamicParameters Item(Dictionary<string, object> key, string item, object events, decimal quantity, decimal amount, decimal paid, SqlDialect dialect)
    {
        var values = new DynamicParameters(key);
        values.AddDynamicParams(new { item, events, quantity = dialect.Units(quantity), amount = dialect.Units(amount), paid = dialect.Units(paid) });
        return values;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
