using Microsoft.Extensions.Logging;
using NodaTime;
using Tollgate.Core.Events;
using Tollgate.Gateway.Keys;
using Tollgate.Storage.Alerts;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;

namespace Tollgate.Gateway.Charging;

/// <summary>
/// Reserve before, settle after: every call through the gateway is one hold on the ledger, settled with the real
/// usage or released when the upstream produced nothing.
/// </summary>
/// <remarks>
/// The hold id is derived from the event id, so two calls with one Idempotency-Key meet on the hold's primary key:
/// the second sees the first's hold (in flight, or settled: never charged again). A released attempt (an upstream
/// error) leaves the key free for a retry, under the next attempt number.
/// </remarks>
public sealed class CallCharger(LedgerStore ledger, KeyLimits limits, IClock clock, GatewayOptions options, ILogger<CallCharger> log)
{
    private const int MaxAttempts = 20;

    /// <summary>The alert kind a key's soft limit raises.</summary>
    public const string SoftLimitAlert = AlertKinds.GatewayBudgetSoftLimit;

    /// <summary>End users' budgets; null in a host without them.</summary>
    public UserBudgetStore? UserBudgets { get; init; }

    /// <summary>Where soft-limit alerts are raised; null in a host without alerts.</summary>
    public AlertStore? Alerts { get; init; }

    /// <summary>
    /// Reserves the call's most expensive outcome. When the caller cannot afford it (funds or the key's hard budget) but
    /// can afford the input plus at least one output token, the output limit is capped to what fits and that is reserved
    /// instead: the reservation says the cap, and the handler rewrites the body's output limit, so the call cannot overspend.
    /// </summary>
    public async Task<Reservation> ReserveAsync(GatewayCall call, CancellationToken cancel)
    {
        var reservation = await ReserveOnceAsync(call, cancel);

        // Funds and budget may both bind: a second cap meets the other limit, a third is a race lost to other calls.
        for (var round = 0; round < 3 && reservation is { Status: Reservation.InsufficientFunds or Reservation.BudgetExceeded, Affordable: { } affordable }; round++)
        {
            if (await AffordableOutputAsync(call, affordable, cancel) is not { } cap)
            {
                break;
            }

            var capped = call with { Reserve = new Dictionary<string, decimal>(call.Reserve) { [Meters.OutputTokens] = cap } };
            var again = await ReserveOnceAsync(capped, cancel);
            reservation = again.IsHeld ? again with { MaxOutput = cap } : again with { Message = reservation.Message };
            call = capped;
        }

        return reservation;
    }

    /// <summary>
    /// The most output tokens (at least 1, less than the call reserved) whose cost with the input is within
    /// <paramref name="affordable"/>; null when the call reserves no output tokens or not even one fits. Quotes are
    /// rated without writing; prices may be tiered, so the largest fitting count is searched for, not divided out.
    /// </summary>
    private async Task<long?> AffordableOutputAsync(GatewayCall call, decimal affordable, CancellationToken cancel)
    {
        if (!call.Reserve.TryGetValue(Meters.OutputTokens, out var reserved) || reserved <= 1)
        {
            return null;
        }

        var content = call.InputText is null ? null : new EventContent(call.InputText, null, null, null, call.InputImages);
        async Task<bool> FitsAsync(long output)
        {
            var quote = await ledger.QuoteAsync(Event(call, new Dictionary<string, decimal>(call.Reserve) { [Meters.OutputTokens] = output }, content), cancel);
            return quote.Error is null && quote.Amount <= affordable;
        }

        long low = 1, high = (long)reserved - 1;
        if (!await FitsAsync(low))
        {
            return null;
        }

        while (low < high)
        {
            var middle = low + ((high - low + 1) / 2);
            if (await FitsAsync(middle))
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    /// <summary>
    /// One try at reserving: the ledger hold and the budget counters in one group-committed write, so a call either holds
    /// its funds and its budgets, or nothing (a budget that cannot cover the held amount rolls the hold back with it).
    /// </summary>
    /// <remarks>
    /// The write is not durable where the database is in the process (SQLite; <see cref="Storage.Sql.SqlDialect.LazyCommits"/>):
    /// it is visible to every other call at once, and reaches the disk with the next durable commit, at the latest the
    /// call's own settlement, which answers the client only once it is durable. Only a power cut can lose such a hold,
    /// and it takes the process, and with it the call the hold was for, down with it: nothing was answered, nothing is
    /// owed, and a hold lost that way would only have been released. So a call waits for one fsync, not two.
    /// </remarks>
    private async Task<Reservation> ReserveOnceAsync(GatewayCall call, CancellationToken cancel)
    {
        var estimate = Event(call, call.Reserve, call.InputText is null ? null : new EventContent(call.InputText, null, null, null, call.InputImages));
        var budgets = await BudgetsAsync(call, cancel);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var holdId = attempt == 0 ? $"gw:{call.EventId}" : $"gw:{call.EventId}:{attempt}";
            // Priced (its input tokens counted) before it queues for the writer, which then only writes.
            var prepared = await ledger.PrepareHoldAsync(new HoldRequest(call.Key.Tenant, holdId, options.HoldTimeout, Estimate: estimate), cancel);
            var (held, refusedBy) = prepared.Refusal is { } refusal ? (refusal, -1) : await ledger.Writes.WriteAsync(call.Key.Tenant, async scope =>
            {
                var held = await ledger.HoldAsync(scope, prepared);
                if (held.Status != HoldResult.Held || held.Payments is null)
                {
                    return (held, -1);
                }

                for (var i = 0; i < budgets.Count; i++)
                {
                    if (!await KeyLimits.TryReserveAsync(scope, call.Key.Tenant, budgets[i].Counter, budgets[i].Budget.Limit, budgets[i].Period, held.Amount))
                    {
                        scope.Discard();
                        return (held, i);
                    }
                }

                return (held, -1);
            }, cancel, durable: false);

            if (refusedBy >= 0)
            {
                var (counter, budget, whose, period) = budgets[refusedBy];
                return new Reservation(Reservation.BudgetExceeded, holdId, held.Amount, held.Unit, Reservation.BudgetExceeded,
                    $"{whose} {budget.Period} budget of {budget.Limit} {held.Unit} cannot cover this call ({held.Amount} {held.Unit} reserved for it)")
                {
                    Affordable = await limits.RoomAsync(call.Key.Tenant, counter, budget.Limit, period, CancellationToken.None),
                };
            }

            // A new hold lists what pays for it; a hold that already existed is returned as stored, without payments.
            if (held.Status == HoldResult.Held && held.Payments is not null)
            {
                return new Reservation(Reservation.Held, holdId, held.Amount, held.Unit) { Budgets = [.. budgets.Select(b => (b.Counter, b.Period))] };
            }

            switch (held.Status)
            {
                case HoldResult.Held:
                    return new Reservation(Reservation.InFlight, holdId, 0m, null, Reservation.InFlight, $"a call with Idempotency-Key '{call.EventId}' is in progress");
                case HoldResult.Settled:
                    return new Reservation(Reservation.AlreadyCharged, holdId, held.Amount, held.Unit, Reservation.AlreadyCharged, $"the call with Idempotency-Key '{call.EventId}' was already made and charged; send a new key for a new call");
                case HoldResult.Released or HoldResult.Expired:
                    continue;
            }

            var code = held.Error?.Code == LedgerErrors.InsufficientFunds ? Reservation.InsufficientFunds : Reservation.NotPriced;
            var affordable = held.Covered;
            foreach (var (counter, budget, _, period) in budgets)
            {
                affordable = Math.Min(affordable ?? 0m, await limits.RoomAsync(call.Key.Tenant, counter, budget.Limit, period, cancel));
            }

            return new Reservation(code, holdId, held.Amount, held.Unit, held.Error?.Code ?? code, held.Error?.Message ?? "the call could not be reserved") { Affordable = affordable };
        }

        return new Reservation(Reservation.AlreadyCharged, string.Empty, 0m, null, Reservation.AlreadyCharged, $"Idempotency-Key '{call.EventId}' was retried too often");
    }

    /// <summary>The hard budgets a call must fit, with their current periods: its key's, and its end user's across all their keys.</summary>
    private async Task<IReadOnlyList<(string Counter, KeyBudget Budget, string Whose, string Period)>> BudgetsAsync(GatewayCall call, CancellationToken cancel)
    {
        var budgets = new List<(string, KeyBudget, string, string)>(2);
        if (call.Key.Budget is { } own)
        {
            budgets.Add((call.Key.Id, own, "the key's", await limits.PeriodAsync(call.Key, own, cancel)));
        }

        if (UserBudgets is not null && call.Key.Subject is { } subject && await UserBudgets.GetAsync(call.Key.Tenant, subject, cancel) is { } user)
        {
            budgets.Add((UserBudgetStore.Counter(subject), user, $"end user '{subject}''s", await limits.PeriodAsync(call.Key, user, cancel)));
        }

        return budgets;
    }

    /// <summary>
    /// Settles the call with what it used, in one group-committed write with its budgets, its soft-limit counter and its
    /// tokens of the minute. Never cancelled by the client: the upstream's work is billed whatever the client does.
    /// </summary>
    public async Task<RecordResult> SettleAsync(GatewayCall call, Reservation reservation, CallUsage usage)
    {
        var countInput = call.InputText is not null && !usage.Meters.ContainsKey(Meters.InputTokens);
        var content = usage.OutputText is null && !countInput
            ? null
            : new EventContent(countInput ? call.InputText : null, usage.OutputText, null, null, countInput ? call.InputImages : []);
        var e = Event(call, usage.Meters, content);
        var soft = call.Key.SoftLimit is { } limit && Alerts is not null ? (Budget: limit, Period: await limits.PeriodAsync(call.Key, limit, CancellationToken.None)) : default;

        // What a charged call counts besides the ledger: its budgets end, its tokens of the minute, its soft-limit spend.
        async Task<decimal?> CountAsync(WriteScope scope, RecordResult result)
        {
            foreach (var (counter, period) in reservation.Budgets)
            {
                await KeyLimits.SettleAsync(scope, call.Key.Tenant, counter, period, reservation.Amount, result.Duplicate ? 0m : result.Amount);
            }

            // Token lines are totals' rests and their parts: together, the call's input plus output tokens.
            await limits.AddTokensAsync(scope, call.Key, result.Charge?.Lines.Where(l => l.Meter.EndsWith("_tokens", StringComparison.Ordinal)).Sum(l => l.Quantity) ?? 0m);
            return soft.Budget is null || result.Duplicate || result.Amount <= 0m
                ? null
                : await KeyLimits.AddSpentAsync(scope, call.Key.Tenant, "soft:" + call.Key.Id, soft.Period, result.Amount);
        }

        var prepared = await ledger.PrepareSettlementAsync(call.Key.Tenant, reservation.HoldId, e, CancellationToken.None);
        var (result, spent) = prepared.Rejected is { } rejected ? (rejected, null) : await ledger.Writes.WriteAsync(call.Key.Tenant, async scope =>
        {
            var result = await ledger.SettleAsync(scope, prepared);
            return (result, result.Status == RecordResult.Charged ? await CountAsync(scope, result) : null);
        });

        if (result.Error?.Code is LedgerErrors.HoldNotActive or LedgerErrors.HoldExpired)
        {
            // The hold timed out under a very long call (expired by the sweeper, or not yet): its funds go back, and the
            // call is still charged, from the balances as they are now.
            await ledger.ReleaseAsync(call.Key.Tenant, reservation.HoldId, CancellationToken.None);
            result = (await ledger.RecordAsync([e], CancellationToken.None))[0];
            if (result.Status == RecordResult.Charged)
            {
                spent = await ledger.Writes.WriteAsync(call.Key.Tenant, scope => CountAsync(scope, result));
            }
        }

        if (result.Status != RecordResult.Charged)
        {
            log.LogError("gateway call {EventId} of tenant {Tenant} could not be settled: {Code} {Message}", call.EventId, call.Key.Tenant, result.Error?.Code, result.Error?.Message);
            await ReleaseAsync(call, reservation);
            return result;
        }

        if (spent is { } total)
        {
            await WatchSoftLimitAsync(call, soft.Budget!, soft.Period, total, result.Amount);
        }

        return result;
    }

    /// <summary>
    /// Raises a <c>gateway_budget_soft_limit</c> alert when this call's <paramref name="amount"/> took the key's spend of
    /// the period past its soft limit (once per period: the alert's condition is keyed by the period and never cleared,
    /// and only the one call whose addition crossed the limit raises it).
    /// </summary>
    private async Task WatchSoftLimitAsync(GatewayCall call, KeyBudget soft, string period, decimal spent, decimal amount)
    {
        if (spent >= soft.Limit && spent - amount < soft.Limit)
        {
            var data = new { key_id = call.Key.Id, key_name = call.Key.Name, subject = call.Key.Subject, period, soft_limit = Text(soft.Limit), spent = Text(spent) };
            await Alerts!.SetConditionAsync(call.Key.Tenant, $"{SoftLimitAlert}:{call.Key.Id}:{period}", true, SoftLimitAlert, data);
        }
    }

    private static string Text(decimal value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Releases the hold (the upstream failed before any output, so nothing is charged), if it is still held, and gives
    /// its budgets back with it; a settled or released call is left as it is, its budgets too.
    /// </summary>
    public Task ReleaseAsync(GatewayCall call, Reservation reservation) =>
        ledger.Writes.WriteAsync(call.Key.Tenant, async scope =>
        {
            var released = await ledger.ReleaseAsync(scope, call.Key.Tenant, reservation.HoldId);
            if (released.Ended)
            {
                foreach (var (counter, period) in reservation.Budgets)
                {
                    await KeyLimits.SettleAsync(scope, call.Key.Tenant, counter, period, reservation.Amount, 0m);
                }
            }

            return released;
        });

    private UsageEvent Event(GatewayCall call, IReadOnlyDictionary<string, decimal> usage, EventContent? content)
    {
        var attributes = new Dictionary<string, string>(call.Attributes, StringComparer.Ordinal) { ["gateway_key"] = call.Key.Id };
        return new UsageEvent(
            call.EventId,
            call.Key.Tenant,
            call.Key.Subject,
            clock.GetCurrentInstant().WithOffset(Offset.Zero),
            call.Route.Type,
            call.Route.PriceItem,
            KeyModes.Platform,
            call.Key.Channel,
            attributes,
            usage,
            content);
    }
}
