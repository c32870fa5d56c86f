using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using NodaTime;
using Tollgate.Core.Events;
using Tollgate.Core.Funding;
using Tollgate.Core.Money;
using Tollgate.Core.Rating;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Sql;
using Tollgate.Storage.Usage;

namespace Tollgate.Storage.Ledger;

public sealed partial class LedgerStore
{
    /// <summary>A rated event ready to be funded and posted.</summary>
    internal sealed record Prepared(int Index, UsageEvent Event, TenantSettings Settings, RatedCharge Charge, string Owner, Payer Payer, string Unit, decimal Amount, string Hash);

    /// <summary>
    /// Records a batch of usage events in one transaction (group commit): each is rated, funded and posted, or
    /// rejected with its reason; a result per event, in order. Events that fail validation or rating are not
    /// stored, so the client may correct and resend them with the same id.
    /// </summary>
    public async Task<IReadOnlyList<RecordResult>> RecordAsync(IReadOnlyList<UsageEvent> events, CancellationToken cancel = default)
    {
        var results = new RecordResult[events.Count];
        var tenants = new Dictionary<string, ChargedTenant?>(StringComparer.Ordinal);
        await using (var connection = await dialect.OpenAsync(cancel))
        {
            foreach (var tenant in events.Select(e => e.Tenant).Distinct(StringComparer.Ordinal))
            {
                tenants[tenant] = await LoadChargedTenantAsync(connection, tenant);
            }
        }

        // The bodies to store are written here, before the batch waits for the writer, not while it holds it.
        var prepared = new List<Prepared>(events.Count);
        var bodies = new Utf8Text[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var settings = tenants[e.Tenant];

            var outcome = Prepare(i, e, settings);
            if (outcome.Prepared is { } p)
            {
                prepared.Add(p);
                bodies[i] = Body(e);
            }
            else
            {
                results[i] = outcome.Rejected!;
            }
        }

        if (prepared.Count == 0)
        {
            return results;
        }

        // A concurrent transaction may record one of these ids between our look-up and our insert (PostgreSQL, when
        // the same id comes with a different payer); then nothing is committed and the batch is recorded again.
        var recorded = await dialect.WithWriterAsync(async connection =>
        {
            for (var attempt = 1; attempt <= MaxRecordAttempts; attempt++)
            {
                if (await TryRecordAsync(connection, prepared, bodies, results, cancel))
                {
                    return true;
                }
            }

            return false;
        }, cancel);

        return recorded ? results : throw new TimeoutException($"the batch lost {MaxRecordAttempts} races with concurrent recordings of the same event ids; nothing was recorded, retry it");
    }

    private const int MaxRecordAttempts = 5;

    private static readonly string[] EventColumns = ["tenant_id", "event_id", "body_hash", "status", "event_time", "recorded_at", "result", "body"];

    /// <summary>One transaction: look up recorded ids, charge the new events, insert them all; false on a lost race.</summary>
    private async Task<bool> TryRecordAsync(System.Data.Common.DbConnection connection, List<Prepared> prepared, Utf8Text[] bodies, RecordResult[] results, CancellationToken cancel)
    {
        await using var tx = await dialect.BeginWriteAsync(connection, cancel);
        var work = new LedgerWork(connection, tx, dialect, Now());
        await work.LockAsync(prepared.Select(p => (p.Event.Tenant, p.Owner)));
        var recorded = await RecordedEventsAsync(work, prepared);
        var firstInBatch = new Dictionary<(string, string), Prepared>();
        var written = new List<(Prepared P, RecordResult R)>();
        foreach (var p in prepared)
        {
            var key = (p.Event.Tenant, p.Event.Id);
            if (firstInBatch.TryGetValue(key, out var first))
            {
                results[p.Index] = first.Hash == p.Hash
                    ? results[first.Index] with { Duplicate = true }
                    : Conflict(p.Event.Id);
                continue;
            }

            firstInBatch[key] = p;
            if (recorded.TryGetValue(key, out var existing))
            {
                results[p.Index] = SameBody(existing.Hash, p)
                    ? StoredAnswer.Read(existing.Result, p.Event.Id) with { Duplicate = true }
                    : Conflict(p.Event.Id);
                continue;
            }

            var result = await ChargeAsync(work, p);
            results[p.Index] = result;
            written.Add((p, result));
        }

        var rollup = new UsageRollup();
        foreach (var (p, r) in written)
        {
            rollup.Add(p.Settings, p.Event, r);
        }

        await work.FlushAsync();
        await rollup.FlushAsync(dialect, connection, tx);
        var inserted = await Bulk.InsertAsync(
            dialect,
            connection,
            tx,
            "events",
            EventColumns,
            [.. written.Select(w => EventRow(work, w.P.Event, w.P.Hash, w.R, bodies[w.P.Index]))],
            "ON CONFLICT (tenant_id, event_id) DO NOTHING");
        if (inserted != written.Count)
        {
            await tx.RollbackAsync(cancel);
            return false;
        }

        await tx.CommitAsync(cancel);
        AddPayerBalances(work, prepared, results);
        return true;
    }

    /// <summary>Gives each charged answer its payer's balances as the transaction left them, computed once per payer.</summary>
    private static void AddPayerBalances(LedgerWork work, List<Prepared> prepared, RecordResult[] results)
    {
        var byPayer = new Dictionary<(string Tenant, string Owner), IReadOnlyList<AccountBalance>?>();
        foreach (var p in prepared)
        {
            if (results[p.Index] is { Status: RecordResult.Charged } result)
            {
                var payer = (Tenant: p.Event.Tenant, Owner: result.PayerOwner);
                if (!byPayer.TryGetValue(payer, out var balances))
                {
                    byPayer[payer] = balances = work.BalancesOf(payer.Tenant, payer.Owner);
                }

                results[p.Index] = result with { PayerBalances = balances };
            }
        }
    }

    /// <summary>The already recorded events among the batch's ids: (tenant, id) -> (body hash, result).</summary>
    private async Task<Dictionary<(string, string), (string Hash, string Result)>> RecordedEventsAsync(LedgerWork work, List<Prepared> prepared)
    {
        var found = new Dictionary<(string, string), (string, string)>();
        foreach (var tenant in prepared.GroupBy(p => p.Event.Tenant, StringComparer.Ordinal))
        {
            var rows = await work.Connection.QueryAsync<(string Id, string Hash, string Result)>(
                RecordedEventsSql(dialect),
                new { tenant = tenant.Key, ids = dialect.List(tenant.Select(p => p.Event.Id).Distinct(StringComparer.Ordinal)) },
                work.Transaction);
            foreach (var (id, hash, result) in rows)
            {
                found[(tenant.Key, id)] = (hash, result);
            }
        }

        return found;
    }

    /// <summary>A tenant's recorded events among the list @ids: one text whatever the list's length, so it stays prepared.</summary>
    internal static string RecordedEventsSql(SqlDialect dialect) =>
        $"SELECT event_id, body_hash, result FROM events WHERE tenant_id = @tenant AND {dialect.AnyOf("event_id", "@ids")}";

    /// <summary>What recording the event would charge and who would pay, without writing anything.</summary>
    public async Task<RecordResult> QuoteAsync(UsageEvent e, CancellationToken cancel = default)
    {
        var outcome = Prepare(0, e, await LoadChargedTenantAsync(e.Tenant, cancel));
        return outcome.Prepared is { } p
            ? new RecordResult(e.Id, RecordResult.Quoted, p.Charge, PayerName(p.Payer, p.Owner), p.Unit, p.Payer == Payer.Nobody ? 0m : p.Amount)
            : outcome.Rejected!;
    }

    private (Prepared? Prepared, RecordResult? Rejected) Prepare(int index, UsageEvent e, ChargedTenant? tenant)
    {
        if (tenant is not { Settings: var settings })
        {
            return (null, RecordResult.Reject(e.Id, LedgerErrors.UnknownTenant, $"no tenant '{e.Tenant}'", "tenant"));
        }

        if (priceBooks(settings.PriceBook) is not { } book)
        {
            return (null, RecordResult.Reject(e.Id, LedgerErrors.UnknownPriceBook, $"tenant '{e.Tenant}' uses price book '{settings.PriceBook}', which does not exist"));
        }

        var rating = Rater.Rate(e, book, tenant.Rating);
        if (!rating.IsSuccess)
        {
            return (null, new RecordResult(e.Id, RecordResult.Rejected, Error: rating.Error));
        }

        var routes = settings.EffectiveRoutes;
        var payer = routes.PayerFor(e);
        if (routes.UnitFor(e.Channel, rating.Charge.Unit) is not { } route)
        {
            return (null, RecordResult.Reject(e.Id, LedgerErrors.NoRouteRate, $"channel {e.Channel} pays in {routes.ChannelUnits[e.Channel]} but no rate from {rating.Charge.Unit} is configured", "channel"));
        }

        var owner = payer == Payer.EndUser ? e.Subject! : string.Empty;
        var amount = LedgerAmount.Round(rating.Charge.Total * route.Rate);
        if (!LedgerAmount.InRange(amount))
        {
            return (null, RecordResult.Reject(e.Id, LedgerErrors.AmountOutOfRange, string.Create(CultureInfo.InvariantCulture, $"the charge, {amount} {route.Unit}, is more than the largest single amount, {LedgerAmount.MaxAmount}"), "usage"));
        }

        return (new Prepared(index, e, settings, rating.Charge, owner, payer, route.Unit, amount, EventFingerprint.Of(e)), null);
    }

    private async Task<RecordResult> ChargeAsync(LedgerWork work, Prepared p)
    {
        var payerName = PayerName(p.Payer, p.Owner);
        if (p.Payer == Payer.Nobody || p.Amount == 0m)
        {
            return new RecordResult(p.Event.Id, RecordResult.Charged, p.Charge, payerName, p.Unit, 0m, []);
        }

        var plan = await PlanAsync(work, p.Settings, p.Owner, p.Unit, p.Amount, p.Event.Type, p.Event.Model, p.Event.Channel, Tokens(p.Event), p.Event.Instant);
        if (!plan.FullyCovered && p.Settings.Strict)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"balances cover {plan.Charge - plan.Uncovered} of {plan.Charge} {p.Unit}; the tenant is in strict mode");
            return new RecordResult(p.Event.Id, RecordResult.Rejected, p.Charge, payerName, p.Unit, p.Amount, [], 0m, new RatingError(LedgerErrors.InsufficientFunds, message));
        }

        var payments = await PostPlanAsync(work, p.Event.Tenant, p.Owner, p.Unit, plan, p.Event.Id, null);
        return new RecordResult(p.Event.Id, RecordResult.Charged, p.Charge, payerName, p.Unit, p.Amount, payments, plan.Uncovered);
    }

    /// <summary>
    /// Funds <paramref name="amount"/> from the owner's (locked) accounts with the tenant's policy. Daily free quotas
    /// count on the local day of <paramref name="usageTime"/> (the event's time); without one (a hold), on today's.
    /// </summary>
    private static async Task<FundingPlan> PlanAsync(
        LedgerWork work, TenantSettings settings, string owner, string unit, decimal amount, string type, string model, string channel, decimal tokens, Instant? usageTime = null)
    {
        var accounts = work.Accounts(settings.Id, owner);
        var late = work.QuotaDays.Late;
        late.Clear();
        Dictionary<long, decimal>? remaining = null; // late quotas only: what the event's own day left
        foreach (var quota in accounts.Where(a => a.QuotaLimit is not null).ToList())
        {
            var at = usageTime ?? Instant.FromUnixTimeMilliseconds(work.Now);
            if (await ResetQuotaAsync(work, settings, quota, at, allowLate: usageTime is not null) is { } day)
            {
                // The next local day's start: a day is 23 to 25 hours, so 36 hours on is always inside the next one.
                var end = Core.Calendar.TenantCalendar.DayStart(Instant.FromUnixTimeMilliseconds(day) + Duration.FromHours(36), settings.TimeZone).ToUnixTimeMilliseconds();
                late[quota.AccountId] = day;
                (remaining ??= [])[quota.AccountId] = Math.Max(0m, quota.QuotaLimit!.Value - await work.QuotaDays.UsedAsync(work, quota, day, end));
            }
        }

        decimal Available(AccountRow a) => remaining is not null && remaining.TryGetValue(a.AccountId, out var left) ? left : a.Available;
        var sources = accounts
            .Where(a => AccountKinds.Funding(a.Kind) is not null && Available(a) > 0)
            .Select(a => new FundingSource(
                a.AccountId,
                AccountKinds.Funding(a.Kind)!.Value,
                a.Unit,
                Dec(Available(a)),
                a.ParsedScope,
                a.ExpiresAt is { } ms ? Instant.FromUnixTimeMilliseconds(ms) : null,
                (int)a.Priority))
            .ToList();
        var request = new FundingRequest(amount, unit, type, model, channel, tokens, Instant.FromUnixTimeMilliseconds(work.Now));
        return Funder.Plan(request, sources, settings.FundingOrder, LedgerAmount.Scale);
    }

    /// <summary>
    /// Posts a plan: each allocation to the revenue account of its unit, and any uncovered rest from the payer's
    /// arrears, unless the payer never <paramref name="owes"/> (strict mode: the caller reports the rest as uncollected).
    /// </summary>
    private static async Task<List<Payment>> PostPlanAsync(LedgerWork work, string tenant, string owner, string unit, FundingPlan plan, string? eventId, string? holdId, bool owes = true)
    {
        var payments = new List<Payment>(plan.Allocations.Count + 1);
        foreach (var allocation in plan.Allocations)
        {
            var account = work.Find(tenant, allocation.AccountId);
            var revenue = await work.SystemAsync(tenant, owner, AccountKinds.Revenue, account.Unit);
            var units = LedgerAmount.ToUnits(allocation.Amount);
            if (holdId is null && work.QuotaDays.Late.TryGetValue(account.AccountId, out var day))
            {
                // A late event's free use is its own day's: given back to the quota first, so today's balance is unchanged.
                var issuance = await work.SystemAsync(tenant, owner, AccountKinds.Issuance, account.Unit);
                work.Post(issuance, account, units, TransferKinds.QuotaReset);
                work.QuotaDays.Use(account.AccountId, day, units);
            }

            if (holdId is null)
            {
                work.Post(account, revenue, units, TransferKinds.Usage, eventId);
            }
            else
            {
                work.Hold(account, revenue, units, holdId);
            }

            payments.Add(new Payment(account.AccountId, account.Kind, account.Unit, allocation.Amount, allocation.Covers));
        }

        if (plan.Uncovered > 0m && holdId is null && owes)
        {
            var arrears = await work.SystemAsync(tenant, owner, AccountKinds.Arrears, unit);
            var revenue = await work.SystemAsync(tenant, owner, AccountKinds.Revenue, unit);
            work.Post(arrears, revenue, LedgerAmount.ToUnits(plan.Uncovered), TransferKinds.Arrears, eventId);
            payments.Add(new Payment(arrears.AccountId, arrears.Kind, unit, plan.Uncovered, plan.Uncovered));
        }

        return payments;
    }

    /// <summary>Inserts the event row with its answer; false when (tenant, id) is already recorded.</summary>
    private async Task<bool> InsertEventAsync(LedgerWork work, UsageEvent e, string hash, RecordResult result) =>
        await Bulk.InsertAsync(dialect, work.Connection, work.Transaction, "events", EventColumns, [EventRow(work, e, hash, result, Body(e))], "ON CONFLICT (tenant_id, event_id) DO NOTHING") == 1;

    /// <summary>An events row, in <see cref="EventColumns"/> order.</summary>
    private static object?[] EventRow(LedgerWork work, UsageEvent e, string hash, RecordResult result, Utf8Text body) =>
        [e.Tenant, e.Id, hash, result.Status, e.Instant.ToUnixTimeMilliseconds(), work.Now, StoredAnswer.WriteUtf8(result, e.Id), body];

    /// <summary>The event as stored (the events table's body).</summary>
    private static Utf8Text Body(UsageEvent e) => new(UsageEventWriter.WriteUtf8(e));

    private static string PayerName(Payer payer, string owner) => payer switch
    {
        Payer.Nobody => "nobody",
        Payer.EndUser => $"end_user:{owner}",
        _ => "developer",
    };

    private static decimal Tokens(UsageEvent e) => e.Quantity(Meters.InputTokens) + e.Quantity(Meters.OutputTokens);

    private static RecordResult Conflict(string id) =>
        RecordResult.Reject(id, LedgerErrors.IdempotencyConflict, $"event '{id}' was already recorded with a different body; an id is unique forever", "id");

    /// <summary>The stored fingerprint of a recorded event (empty when there is none).</summary>
    private static async Task<string> EventFingerprintAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, string tenant, string eventId) =>
        await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT body_hash FROM events WHERE tenant_id = @tenant AND event_id = @eventId", new { tenant, eventId }, tx) ?? string.Empty;

    /// <summary>
    /// Whether a stored fingerprint is the prepared event's: fingerprints of <see cref="EventFingerprint"/> are
    /// compared as they are; a fingerprint stored before it (no prefix) with the old encoding, so a retry of an event
    /// recorded before an upgrade is still a duplicate.
    /// </summary>
    private static bool SameBody(string stored, Prepared p) =>
        stored.StartsWith(EventFingerprint.Prefix, StringComparison.Ordinal) ? stored == p.Hash : stored == Hash(LegacyCanonical(p.Event));

    /// <summary>The encoding of fingerprints stored before <see cref="EventFingerprint"/>; not injective, read only for old rows.</summary>
    private static string LegacyCanonical(UsageEvent e)
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

        if (e.Content is { } c)
        {
            sb.Append(c.InputText).Append('\n').Append(c.OutputText).Append('\n').Append(c.Language).Append('\n').Append(c.Tokenizer).Append('\n');
            foreach (var image in c.Images)
            {
                sb.Append(image.Width).Append('x').Append(image.Height).Append('\n');
            }
        }

        return sb.ToString();
    }
}
