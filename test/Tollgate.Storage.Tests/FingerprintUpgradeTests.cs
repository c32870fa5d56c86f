using System.Security.Cryptography;
using System.Text;
using Dapper;
using NodaTime;
using Tollgate.Core.Events;
using Tollgate.Core.Funding;
using Tollgate.Core.Money;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>
/// Events recorded before the injective fingerprint (issue 11, item 9) carry a hash of the old encoding: a retry of
/// such an event is still a duplicate, and another body under its id still a conflict.
/// </summary>
public sealed class FingerprintUpgradeTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task An_event_stored_with_the_old_fingerprint_is_a_duplicate_when_retried(string engine)
    {
        var dialect = await StoreFixture.CreateAsync(engine);
        var store = new LedgerStore(dialect, new TestClock(Instant.FromUtc(2025, 3, 1, 2, 0)), StoreFixture.Books);
        await store.MigrateAsync();
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book"));
        await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 100m));
        var e = Events.Fee("e1") with { Attributes = new Dictionary<string, string> { ["k"] = "v=w" } };
        var first = Assert.Single(await store.RecordAsync([e]));

        // What the previous version stored: no prefix, the old line-separated encoding.
        await using (var connection = await dialect.OpenAsync(CancellationToken.None))
        {
            Assert.StartsWith(EventFingerprint.Prefix, await connection.QuerySingleAsync<string>("SELECT body_hash FROM events WHERE event_id = 'e1'"), StringComparison.Ordinal);
            await connection.ExecuteAsync("UPDATE events SET body_hash = @hash WHERE event_id = 'e1'", new { hash = LegacyHash(e) });
        }

        var again = Assert.Single(await store.RecordAsync([e]));
        Assert.True(again.Duplicate);
        Assert.Equal(first.Amount, again.Amount);
        var other = Assert.Single(await store.RecordAsync([e with { Usage = new Dictionary<string, decimal> { [Meters.Calls] = 2m } }]));
        Assert.Equal(LedgerErrors.IdempotencyConflict, other.Error?.Code);
    }

    /// <summary>The fingerprint of the version before issue 11, frozen here as a fixture.</summary>
    private static string LegacyHash(UsageEvent e)
    {
        var sb = new StringBuilder();
        sb.Append(e.Id).Append('\n').Append(e.Tenant).Append('\n').Append(e.Subject).Append('\n')
          .Append(e.Instant.ToUnixTimeTicks()).Append('\n').Append(e.Type).Append('\n').Append(e.Model).Append('\n')
          .Append(e.KeyMode).Append('\n').Append(e.Channel).Append('\n');
        foreach (var (k, v) in e.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            sb.Append(k).Append('=').Append(v).Append('\n');
        }

        foreach (var (k, v) in e.Usage.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            sb.Append(k).Append('=').Append(DecimalText.Format(v)).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
