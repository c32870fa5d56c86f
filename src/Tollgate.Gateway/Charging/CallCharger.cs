using Microsoft.Extensions.Logging;
using NodaTime;
using Tollgate.Core.Events;
using Tollgate.Gateway.Keys;
using Tollgate.Storage.Alerts;
using Tollgate.Storage.Ledger;

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

    private async Task<Reservation> ReserveOnceAsync(GatewayCall call, CancellationToken cancel)
    {
        var estimate = Event(call, call.Reserve, call.InputText is null ? null : new EventContent(call.InputText, null, null, null, call.InputImages));
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var holdId = attempt == 0 ? $"gw:{call.EventId}" : $"gw:{call.EventId}:{attempt}";
            var held = await ledger.HoldAsync(new HoldRequest(call.Key.Tenant, holdId, options.HoldTimeout, Estimate: estimate), cancel);

            // A new hold lists what pays for it; a hold that already existed is returned as stored, without payments.
            if (held.Status == HoldResult.Held && held.Payments is not null)
            {
                return await WithinBudgetAsync(call, new Reservation(Reservation.Held, holdId, held.Amount, held.Unit), cancel);
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
            foreach (var (counter, budget, _) in await BudgetsAsync(call, cancel))
            {
                affordable = Math.Min(affordable ?? 0m, await limits.RoomAsync(call.Key.Tenant, counter, budget.Limit, await limits.PeriodAsync(call.Key, budget, cancel), cancel));
            }

            return new Reservation(code, holdId, held.Amount, held.Unit, held.Error?.Code ?? code, held.Error?.Message ?? "the call could not be reserved") { Affordable = affordable };
        }

        return new Reservation(Reservation.AlreadyCharged, string.Empty, 0m, null, Reservation.AlreadyCharged, $"Idempotency-Key '{call.EventId}' was retried too often");
    }

    /// <summary>The hard budgets a call must fit: its key's, and its end user's across all their keys.</summary>
    private async Task<IReadOnlyList<(string Counter, KeyBudget Budget, string Whose)>> BudgetsAsync(GatewayCall call, CancellationToken cancel)
    {
        var budgets = new List<(string, KeyBudget, string)>(2);
        if (call.Key.Budget is { } own)
        {
            budgets.Add((call.Key.Id, own, "the key's"));
        }

        if (UserBudgets is not null && call.Key.Subject is { } subject && await UserBudgets.GetAsync(call.Key.Tenant, subject, cancel) is { } user)
        {
            budgets.Add((UserBudgetStore.Counter(subject), user, $"end user '{subject}''s"));
        }

        return budgets;
    }

    /// <summary>
    /// Takes the held amount from the key's and the end user's budgets too, after the ledger hold priced it; a budget
    /// that cannot cover it releases the hold (and what the other budget took) again. The budgets are the gate:
    /// whoever passes them has their funds held already.
    /// </summary>
    private async Task<Reservation> WithinBudgetAsync(GatewayCall call, Reservation held, CancellationToken cancel)
    {
        var taken = new List<(string Counter, string Period)>(2);
        foreach (var (counter, budget, whose) in await BudgetsAsync(call, cancel))
        {
            var period = await limits.PeriodAsync(call.Key, budget, cancel);
            if (await limits.TryReserveAsync(call.Key.Tenant, counter, budget.Limit, period, held.Amount, CancellationToken.None))
            {
                taken.Add((counter, period));
                continue;
            }

            foreach (var (done, donePeriod) in taken)
            {
                await limits.SettleAsync(call.Key.Tenant, done, donePeriod, held.Amount, 0m);
            }

            await ledger.ReleaseAsync(call.Key.Tenant, held.HoldId, CancellationToken.None);
            return new Reservation(Reservation.BudgetExceeded, held.HoldId, held.Amount, held.Unit, Reservation.BudgetExceeded,
                $"{whose} {budget.Period} budget of {budget.Limit} {held.Unit} cannot cover this call ({held.Amount} {held.Unit} reserved for it)")
            {
                Affordable = await limits.RoomAsync(call.Key.Tenant, counter, budget.Limit, period, CancellationToken.None),
            };
        }

        return held with { Budgets = taken };
    }

    /// <summary>Settles the call with what it used. Never cancelled by the client: the upstream's work is billed whatever the client does.</summary>
    public async Task<RecordResult> SettleAsync(GatewayCall call, Reservation reservation, CallUsage usage)
    {
        var countInput = call.InputText is not null && !usage.Meters.ContainsKey(Meters.InputTokens);
        var content = usage.OutputText is null && !countInput
            ? null
            : new EventContent(countInput ? call.InputText : null, usage.OutputText, null, null, countInput ? call.InputImages : []);
        var e = Event(call, usage.Meters, content);
        var result = await ledger.SettleAsync(call.Key.Tenant, reservation.HoldId, e, CancellationToken.None);
        if (result.Error?.Code == LedgerErrors.HoldNotActive)
        {
            // The hold timed out under a very long call: the call is still charged, from the balances as they are now.
            result = (await ledger.RecordAsync([e], CancellationToken.None))[0];
        }

        if (result.Status != RecordResult.Charged)
        {
            log.LogError("gateway call {EventId} of tenant {Tenant} could not be settled: {Code} {Message}", call.EventId, call.Key.Tenant, result.Error?.Code, result.Error?.Message);
            await ReleaseAsync(call, reservation);
            return result;
        }

        foreach (var (counter, period) in reservation.Budgets)
        {
            await limits.SettleAsync(call.Key.Tenant, counter, period, reservation.Amount, result.Duplicate ? 0m : result.Amount);
        }

        if (!result.Duplicate)
        {
            await WatchSoftLimitAsync(call, result.Amount);
        }

        // Token lines are totals' rests and their parts: together, the call's input plus output tokens.
        await limits.AddTokensAsync(call.Key, result.Charge?.Lines.Where(l => l.Meter.EndsWith("_tokens", StringComparison.Ordinal)).Sum(l => l.Quantity) ?? 0m);
        return result;
    }

    /// <summary>
    /// Counts a settled call against the key's soft limit; the call that passes it raises a
    /// <c>gateway_budget_soft_limit</c> alert (once per period: the alert's condition is keyed by the period and
    /// never cleared, and only the one call whose addition crossed the limit raises it).
    /// </summary>
    private async Task WatchSoftLimitAsync(GatewayCall call, decimal amount)
    {
        if (call.Key.SoftLimit is not { } soft || Alerts is null || amount <= 0m)
        {
            return;
        }

        var period = await limits.PeriodAsync(call.Key, soft, CancellationToken.None);
        var spent = await limits.AddSpentAsync(call.Key.Tenant, "soft:" + call.Key.Id, period, amount);
        if (spent >= soft.Limit && spent - amount < soft.Limit)
        {
            var data = new { key_id = call.Key.Id, key_name = call.Key.Name, subject = call.Key.Subject, period, soft_limit = Text(soft.Limit), spent = Text(spent) };
            await Alerts.SetConditionAsync(call.Key.Tenant, $"{SoftLimitAlert}:{call.Key.Id}:{period}", true, SoftLimitAlert, data);
        }
    }

    private static string Text(decimal value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Releases the hold: the upstream failed before any output, so nothing is charged.</summary>
    public async Task ReleaseAsync(GatewayCall call, Reservation reservation)
    {
        await ledger.ReleaseAsync(call.Key.Tenant, reservation.HoldId, CancellationToken.None);
        foreach (var (counter, period) in reservation.Budgets)
        {
            await limits.SettleAsync(call.Key.Tenant, counter, period, reservation.Amount, 0m);
        }
    }

    /// <summary>Releases the hold only if it is still held (a settled or released call is left as it is, its budget too).</summary>
    public async Task ReleaseIfHeldAsync(GatewayCall call, Reservation reservation)
    {
        if ((await ledger.GetHoldAsync(call.Key.Tenant, reservation.HoldId, CancellationToken.None)).Status == HoldResult.Held)
        {
            await ReleaseAsync(call, reservation);
        }
    }

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
