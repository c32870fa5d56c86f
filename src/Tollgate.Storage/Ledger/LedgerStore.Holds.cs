using System.Text.Json;
using Dapper;
using NodaTime;
using Tollgate.Core.Events;
using Tollgate.Core.Funding;
using Tollgate.Core.Money;
using Tollgate.Core.Rating;
using Tollgate.Storage.Sql;
using Tollgate.Storage.Usage;

namespace Tollgate.Storage.Ledger;

public sealed partial class LedgerStore
{
    /// <summary>
    /// Holds credit for a call in flight: refused (nothing held) with <c>insufficient_funds</c> when the balances
    /// cannot cover it. Idempotent by hold id. Written with other holds and settlements of the moment (group commit).
    /// </summary>
    public async Task<HoldResult> HoldAsync(HoldRequest request, CancellationToken cancel = default)
    {
        var prepared = await PrepareHoldAsync(request, cancel);
        return prepared.Refusal ?? await Writes.WriteAsync(request.Tenant, scope => HoldAsync(scope, prepared), cancel);
    }

    /// <summary>Checks and prices a hold, without writing: the part of a hold that need not wait for the writer.</summary>
    public async Task<PreparedHold> PrepareHoldAsync(HoldRequest request, CancellationToken cancel = default)
    {
        var tenant = await LoadChargedTenantAsync(request.Tenant, cancel);
        if (tenant is null)
        {
            return new(request, new HoldResult(request.HoldId, HoldResult.Refused, Error: new RatingError(LedgerErrors.UnknownTenant, $"no tenant '{request.Tenant}'", "tenant")));
        }

        if (request.Estimate is not null && (request.Amount is not null || request.Unit is not null))
        {
            return new(request, new HoldResult(request.HoldId, HoldResult.Refused, Error: new RatingError(
                Core.Events.ErrorCodes.InvalidField, "a reservation holds an amount and unit, or what an estimated event would cost, not both", "amount")));
        }

        string unit, owner = request.Owner, type = request.Type, model = request.Model, channel = request.Channel;
        decimal amount, tokens = 0m;
        if (request.Estimate is { } estimate)
        {
            var outcome = Prepare(0, estimate, tenant);
            if (outcome.Prepared is not { } p)
            {
                return new(request, new HoldResult(request.HoldId, HoldResult.Refused, Error: outcome.Rejected!.Error));
            }

            (unit, amount, owner, type, model, channel, tokens) = (p.Unit, p.Amount, p.Owner, estimate.Type, estimate.Model, estimate.Channel, Tokens(estimate));
        }
        else
        {
            unit = request.Unit ?? throw new ArgumentException("a hold needs an amount and unit, or an estimated event", nameof(request));
            amount = LedgerAmount.Round(request.Amount ?? 0m);
        }

        if (!LedgerAmount.InRange(amount))
        {
            return new(request, new HoldResult(request.HoldId, HoldResult.Refused, unit, amount, Error: new RatingError(
                LedgerErrors.AmountOutOfRange, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{amount} {unit} is more than the largest single amount, {LedgerAmount.MaxAmount}"), "amount")));
        }

        return new(request, tenant.Settings, unit, amount, owner, type, model, channel, tokens);
    }

    /// <summary>Writes a prepared hold inside a shared write transaction (see <see cref="GroupCommit"/>), with other writes that must go with it.</summary>
    public async Task<HoldResult> HoldAsync(WriteScope scope, PreparedHold hold)
    {
        if (hold.Refusal is { } refusal)
        {
            return refusal;
        }

        var (connection, tx, request) = (scope.Connection, scope.Transaction, hold.Request);
        var (unit, amount, owner) = (hold.Unit, hold.Amount, hold.Owner);
        var work = new LedgerWork(connection, tx, dialect, Now());
        await work.LockAsync([(request.Tenant, owner)]);
        var expires = work.Now + (long)request.Timeout.TotalMilliseconds;
        var inserted = await connection.ExecuteAsync(
            "INSERT INTO holds (tenant_id, hold_id, status, unit, amount, payer, expires_at, created_at) VALUES (@Tenant, @HoldId, 'held', @unit, @amount, @owner, @expires, @now) " +
            "ON CONFLICT (tenant_id, hold_id) DO NOTHING",
            new { request.Tenant, request.HoldId, unit, amount = dialect.Units(LedgerAmount.ToUnits(amount)), owner, expires, now = work.Now },
            tx);
        if (inserted == 0)
        {
            // A repeat answers the hold as it is; the same id for another hold (amount, unit or payer) is a conflict.
            var existing = await LockHoldAsync(connection, tx, request.Tenant, request.HoldId);
            if (existing is not null && (existing.Unit != unit || existing.Amount != LedgerAmount.ToUnits(amount) || existing.Payer != owner))
            {
                return new HoldResult(request.HoldId, existing.Status, existing.Unit, Dec(existing.Amount), Error: new RatingError(
                    LedgerErrors.IdempotencyConflict, $"reservation '{request.HoldId}' already holds {Dec(existing.Amount)} {existing.Unit}; an id is unique forever", "id"));
            }

            return existing is null
                ? new HoldResult(request.HoldId, HoldResult.Refused, Error: new RatingError(LedgerErrors.HoldNotFound, $"no hold '{request.HoldId}'"))
                : new HoldResult(request.HoldId, existing.Status, existing.Unit, Dec(existing.Amount));
        }

        var plan = await PlanAsync(work, hold.Settings!, owner, unit, amount, hold.Type, hold.Model, hold.Channel, hold.Tokens);
        if (!plan.FullyCovered)
        {
            scope.Discard();
            return new HoldResult(request.HoldId, HoldResult.Refused, unit, amount, Error: new RatingError(
                LedgerErrors.InsufficientFunds, $"balances cover {plan.Charge - plan.Uncovered} of {amount} {unit}"), Covered: plan.Charge - plan.Uncovered);
        }

        var payments = await PostPlanAsync(work, request.Tenant, owner, unit, plan, null, request.HoldId);
        await work.FlushAsync();
        return new HoldResult(request.HoldId, HoldResult.Held, unit, amount, payments);
    }

    public async Task<HoldResult> GetHoldAsync(string tenant, string holdId, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var row = await connection.QuerySingleOrDefaultAsync<HoldRow>(
            "SELECT status AS Status, unit AS Unit, amount AS Amount, payer AS Payer, expires_at AS ExpiresAt, result AS Result FROM holds WHERE tenant_id = @tenant AND hold_id = @holdId",
            new { tenant, holdId });
        return row is null
            ? new HoldResult(holdId, HoldResult.Refused, Error: new RatingError(LedgerErrors.HoldNotFound, $"no hold '{holdId}'"))
            : new HoldResult(holdId, row.Status, row.Unit, Dec(row.Amount));
    }

    /// <summary>
    /// Settles a hold with the real usage: rates it, captures up to the held amount, charges any excess through
    /// normal funding, releases the rest. Idempotent: settling a settled hold again returns the first result.
    /// Written with other holds and settlements of the moment (group commit).
    /// </summary>
    public async Task<RecordResult> SettleAsync(string tenant, string holdId, UsageEvent usage, CancellationToken cancel = default)
    {
        var prepared = await PrepareSettlementAsync(tenant, holdId, usage, cancel);
        return prepared.Rejected ?? await Writes.WriteAsync(tenant, scope => SettleAsync(scope, prepared), cancel);
    }

    /// <summary>Rates a settlement's usage, without writing: the part of a settlement that need not wait for the writer.</summary>
    public async Task<PreparedSettlement> PrepareSettlementAsync(string tenant, string holdId, UsageEvent usage, CancellationToken cancel = default)
    {
        var charged = await LoadChargedTenantAsync(tenant, cancel);
        if (charged is null)
        {
            return new(tenant, holdId, RecordResult.Reject(usage.Id, LedgerErrors.UnknownTenant, $"no tenant '{tenant}'", "tenant"));
        }

        var outcome = Prepare(0, usage, charged);
        return outcome.Prepared is { } p ? new(tenant, holdId, p) : new(tenant, holdId, outcome.Rejected!);
    }

    /// <summary>Writes a prepared settlement inside a shared write transaction (see <see cref="GroupCommit"/>), with other writes that must go with it.</summary>
    public async Task<RecordResult> SettleAsync(WriteScope scope, PreparedSettlement settlement)
    {
        if (settlement.Rejected is { } rejected)
        {
            return rejected;
        }

        var (connection, tx, tenant, holdId) = (scope.Connection, scope.Transaction, settlement.Tenant, settlement.HoldId);
        var p = settlement.Prepared!;
        var (usage, settings) = (p.Event, p.Settings);
        var hold = await LockHoldAsync(connection, tx, tenant, holdId);
        if (hold is null)
        {
            return RecordResult.Reject(usage.Id, LedgerErrors.HoldNotFound, $"no hold '{holdId}'", "hold_id");
        }

        if (hold.Status == HoldResult.Settled && await SettledAnswerAsync(connection, tx, tenant, hold) is { } first)
        {
            if (first.EventId == usage.Id && !SameBody(await EventFingerprintAsync(connection, tx, tenant, usage.Id), p))
            {
                return Conflict(usage.Id);
            }

            return first.EventId == usage.Id ? first with { Duplicate = true } : RecordResult.Reject(usage.Id, LedgerErrors.HoldNotActive, $"hold '{holdId}' was already settled by event '{first.EventId}'", "hold_id");
        }

        if (hold.Status != HoldResult.Held)
        {
            return RecordResult.Reject(usage.Id, LedgerErrors.HoldNotActive, $"hold '{holdId}' is {hold.Status}", "hold_id");
        }

        // Past its time-out a hold is over, whether or not the sweeper has expired it yet.
        var now = Now();
        if (hold.ExpiresAt <= now)
        {
            return RecordResult.Reject(usage.Id, LedgerErrors.HoldExpired, $"hold '{holdId}' timed out at {Instant.FromUnixTimeMilliseconds(hold.ExpiresAt)}; reserve again", "hold_id");
        }

        var work = new LedgerWork(connection, tx, dialect, now);
        await work.LockAsync([(tenant, hold.Payer)]);
        var payments = new List<Payment>();
        var need = LedgerAmount.ToUnits(p.Unit == hold.Unit ? p.Amount : 0m);
        foreach (var pending in await PendingTransfersAsync(work, tenant, holdId))
        {
            var debit = work.Find(tenant, pending.DebitAccount);
            var capture = Math.Min(pending.Amount, need);
            if (capture > 0)
            {
                work.Capture(debit, work.Find(tenant, pending.CreditAccount), pending, capture, usage.Id);
                payments.Add(new Payment(debit.AccountId, debit.Kind, debit.Unit, Dec(capture), Dec(capture)));
                need -= capture;
            }

            if (pending.Amount > capture)
            {
                work.Void(debit, pending, pending.Amount - capture);
            }
        }

        // The excess over the hold is funded as any charge; what nothing covers is arrears, or, for a strict tenant
        // (which never owes), uncollected: charged to nobody, shown on the answer, the bill and an alert.
        decimal arrears = 0m, uncollected = 0m;
        if (need > 0 || p.Unit != hold.Unit)
        {
            var rest = p.Unit == hold.Unit ? Dec(need) : p.Amount;
            var plan = await PlanAsync(work, settings, hold.Payer, p.Unit, rest, usage.Type, usage.Model, usage.Channel, 0m);
            payments.AddRange(await PostPlanAsync(work, tenant, hold.Payer, p.Unit, plan, usage.Id, null, owes: !settings.Strict));
            (arrears, uncollected) = settings.Strict ? (0m, plan.Uncovered) : (plan.Uncovered, 0m);
        }

        var payer = PayerName(hold.Payer.Length == 0 ? Payer.Developer : Payer.EndUser, hold.Payer);
        var result = new RecordResult(usage.Id, RecordResult.Charged, p.Charge, payer, p.Unit, p.Amount, payments, arrears, Uncollected: uncollected);
        if (uncollected > 0m)
        {
            await Alerts.AlertStore.RaiseAsync(connection, tx, tenant, $"uncollected:{holdId}", Alerts.AlertKinds.Uncollected,
                new { hold_id = holdId, event_id = usage.Id, unit = p.Unit, amount = uncollected, payer }, Instant.FromUnixTimeMilliseconds(now));
        }

        await work.FlushAsync();

        // The event goes in last, with its answer, in one write; an id recorded before rolls this settlement back.
        if (!await InsertEventAsync(work, usage, p.Hash, result))
        {
            scope.Discard();
            return Conflict(usage.Id) with { Error = new RatingError(LedgerErrors.IdempotencyConflict, $"event '{usage.Id}' was already recorded; settle with a new event id", "id") };
        }

        await connection.ExecuteAsync("UPDATE holds SET status = 'settled', settled_by = @id WHERE tenant_id = @tenant AND hold_id = @holdId", new { id = usage.Id, tenant, holdId }, tx);

        // The rollups are summed over the whole group and written once at its commit.
        scope.Deferred<UsageRollup>().Add(settings, usage, result);
        return result with { PayerBalances = work.BalancesOf(tenant, hold.Payer) };
    }

    /// <summary>The answer of the event that settled the hold: its row's (or, for holds settled before settled_by, the hold's copy).</summary>
    private static async Task<RecordResult?> SettledAnswerAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, string tenant, HoldRow hold) =>
        hold.Result is { } copy ? StoredAnswer.Read(copy, eventId: null)
        : hold.SettledBy is { } eventId && await connection.QuerySingleOrDefaultAsync<string>("SELECT result FROM events WHERE tenant_id = @tenant AND event_id = @eventId", new { tenant, eventId }, tx) is { } answer
            ? StoredAnswer.Read(answer, eventId)
            : null;

    /// <summary>Releases a hold: everything held goes back. Releasing a released hold is a no-op; a settled one cannot be released.</summary>
    public Task<HoldResult> ReleaseAsync(string tenant, string holdId, CancellationToken cancel = default) =>
        Writes.WriteAsync(tenant, scope => ReleaseAsync(scope, tenant, holdId), cancel);

    /// <summary>Releases inside a shared write transaction (see <see cref="GroupCommit"/>), with other writes that must go with it.</summary>
    public Task<HoldResult> ReleaseAsync(WriteScope scope, string tenant, string holdId) =>
        EndHoldAsync(scope, tenant, holdId, HoldResult.Released, onlyIfDueBy: null);

    private async Task<HoldResult> EndHoldAsync(WriteScope scope, string tenant, string holdId, string endStatus, long? onlyIfDueBy)
    {
        var (connection, tx) = (scope.Connection, scope.Transaction);
        var hold = await LockHoldAsync(connection, tx, tenant, holdId);
        if (hold is null)
        {
            return new HoldResult(holdId, HoldResult.Refused, Error: new RatingError(LedgerErrors.HoldNotFound, $"no hold '{holdId}'", "hold_id"));
        }

        if (hold.Status != HoldResult.Held || (onlyIfDueBy is { } due && hold.ExpiresAt > due))
        {
            var error = hold.Status == endStatus || hold.Status == HoldResult.Held ? null
                : new RatingError(LedgerErrors.HoldNotActive, $"hold '{holdId}' is {hold.Status}", "hold_id");
            return new HoldResult(holdId, hold.Status, hold.Unit, Dec(hold.Amount), Error: error);
        }

        var work = new LedgerWork(connection, tx, dialect, Now());
        await work.LockAsync([(tenant, hold.Payer)]);
        foreach (var pending in await PendingTransfersAsync(work, tenant, holdId))
        {
            work.Void(work.Find(tenant, pending.DebitAccount), pending, pending.Amount);
        }

        await work.FlushAsync();
        await connection.ExecuteAsync("UPDATE holds SET status = @endStatus WHERE tenant_id = @tenant AND hold_id = @holdId", new { endStatus, tenant, holdId }, tx);
        return new HoldResult(holdId, endStatus, hold.Unit, Dec(hold.Amount)) { Ended = true };
    }

    private Task<HoldRow?> LockHoldAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, string tenant, string holdId) =>
        connection.QuerySingleOrDefaultAsync<HoldRow?>(
            $"SELECT status AS Status, unit AS Unit, amount AS Amount, payer AS Payer, expires_at AS ExpiresAt, result AS Result, settled_by AS SettledBy FROM holds WHERE tenant_id = @tenant AND hold_id = @holdId{dialect.ForUpdate}",
            new { tenant, holdId },
            tx);

    /// <summary>A hold's pending transfers (read through the partial index transfers_hold: only transfers of holds are in it).</summary>
    internal const string PendingTransfersSql =
        "SELECT transfer_id AS TransferId, debit_account AS DebitAccount, credit_account AS CreditAccount, amount AS Amount, hold_id AS HoldId " +
        "FROM transfers WHERE tenant_id = @tenant AND hold_id = @holdId AND kind = 'hold' ORDER BY transfer_id";

    private static async Task<List<PendingTransfer>> PendingTransfersAsync(LedgerWork work, string tenant, string holdId) =>
        (await work.Connection.QueryAsync<PendingTransfer>(PendingTransfersSql, new { tenant, holdId }, work.Transaction)).ToList();
}
