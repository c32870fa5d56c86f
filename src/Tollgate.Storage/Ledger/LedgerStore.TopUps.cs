using System.Globalization;
using System.Text.Json;
using Dapper;
using Tollgate.Core.Funding;
using Tollgate.Core.Money;

namespace Tollgate.Storage.Ledger;

public sealed partial class LedgerStore
{
    /// <summary>
    /// Adds balance: idempotent by (tenant, top-up id). Arrears of the unit are settled from the new balance first.
    /// Credits are non-refundable: there is no reverse operation, only a recorded adjustment.
    /// </summary>
    public async Task<TopUpResult> TopUpAsync(TopUp request, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.Amount);
        ArgumentOutOfRangeException.ThrowIfNegative(request.Bonus);
        foreach (var (value, field) in new[] { (request.Amount, "amount"), (request.Bonus, "bonus"), (request.Paid, "paid") })
        {
            if (!LedgerAmount.InRange(value))
            {
                throw new LedgerException(LedgerErrors.AmountOutOfRange, string.Create(CultureInfo.InvariantCulture, $"{field} {value} is more than the largest single amount, {LedgerAmount.MaxAmount}, or has more than {LedgerAmount.Scale} decimal places"), field);
            }
        }

        if (request.Kind == AccountKind.FreeQuota)
        {
            throw new ArgumentException("free quotas are opened with OpenAccountAsync, not topped up", nameof(request));
        }

        var hash = Hash(JsonSerializer.Serialize(request, Json));
        await using var connection = await dialect.OpenAsync(cancel);
        await using var tx = await dialect.BeginWriteAsync(connection, cancel);
        var work = new LedgerWork(connection, tx, dialect, Now());
        await work.LockAsync([(request.Tenant, request.Owner)]);
        if (await LoadTenantAsync(connection, tx, request.Tenant) is null)
        {
            throw new LedgerException(LedgerErrors.UnknownTenant, $"no tenant '{request.Tenant}'", "tenant");
        }

        var inserted = await connection.ExecuteAsync(
            "INSERT INTO topups (tenant_id, topup_id, body_hash, result, created_at) VALUES (@Tenant, @Id, @hash, '', @now) ON CONFLICT (tenant_id, topup_id) DO NOTHING",
            new { request.Tenant, request.Id, hash, now = work.Now },
            tx);
        if (inserted == 0)
        {
            var existing = await connection.QuerySingleAsync<(string Hash, string Result)>(
                "SELECT body_hash, result FROM topups WHERE tenant_id = @Tenant AND topup_id = @Id", new { request.Tenant, request.Id }, tx);
            if (existing.Hash != hash)
            {
                throw new LedgerException(LedgerErrors.IdempotencyConflict, $"top-up '{request.Id}' was already made with a different body; an id is unique forever", "id");
            }

            return JsonSerializer.Deserialize<TopUpResult>(existing.Result, Json)! with { Duplicate = true };
        }

        if ((request.Kind != AccountKind.Recharge || request.Bonus > 0m) && request.ExpiresAt is { } expires && expires.ToUnixTimeMilliseconds() <= work.Now)
        {
            throw new LedgerException(Core.Events.ErrorCodes.InvalidField, $"expires_at {expires} is not after now: the balance would expire before it is given", "expires_at");
        }

        var accounts = work.Accounts(request.Tenant, request.Owner);
        var account = request.Kind == AccountKind.Recharge
            ? accounts.FirstOrDefault(a => a.Kind == AccountKinds.Recharge && a.Unit == request.Unit) ?? await OpenFundingAsync(work, request, AccountKind.Recharge)
            : await OpenFundingAsync(work, request, request.Kind);
        var issuance = await work.SystemAsync(request.Tenant, request.Owner, AccountKinds.Issuance, request.Unit);
        var kind = request.Kind == AccountKind.Recharge ? TransferKinds.TopUp : TransferKinds.Grant;
        work.Post(issuance, account, LedgerAmount.ToUnits(request.Amount), kind);

        long? bonusId = null;
        if (request.Bonus > 0m)
        {
            var bonus = await OpenFundingAsync(work, request, AccountKind.Bonus);
            work.Post(issuance, bonus, LedgerAmount.ToUnits(request.Bonus), TransferKinds.Grant);
            bonusId = bonus.AccountId;
        }

        var settled = await SettleArrearsAsync(work, request.Tenant, request.Owner, request.Unit, account);
        if (request.Kind == AccountKind.Recharge && request.Paid > 0m)
        {
            await connection.ExecuteAsync(
                $"UPDATE tenants SET cumulative_recharge = {dialect.AddUnits("cumulative_recharge", "@paid")} WHERE tenant_id = @Tenant",
                new { paid = dialect.Units(LedgerAmount.ToUnits(request.Paid)), request.Tenant },
                tx);
        }

        var result = new TopUpResult(request.Id, account.AccountId, bonusId, settled);
        await work.FlushAsync();
        await connection.ExecuteAsync(
            "UPDATE topups SET result = @result WHERE tenant_id = @Tenant AND topup_id = @Id",
            new { result = JsonSerializer.Serialize(result, Json), request.Tenant, request.Id },
            tx);
        await tx.CommitAsync(cancel);
        return result;
    }

    private static Task<AccountRow> OpenFundingAsync(LedgerWork work, TopUp request, AccountKind kind) =>
        work.OpenAsync(new AccountRow
        {
            TenantId = request.Tenant,
            Owner = request.Owner,
            Kind = AccountKinds.Name(kind),
            Unit = request.Unit,
            Scope = ScopeDocument.Write(request.Scope ?? AccountScope.Any),
            ExpiresAt = kind == AccountKind.Recharge ? null : request.ExpiresAt?.ToUnixTimeMilliseconds(),
        });

    /// <summary>What the payer owes in this unit is paid first from the account just topped up.</summary>
    private static async Task<decimal> SettleArrearsAsync(LedgerWork work, string tenant, string owner, string unit, AccountRow from)
    {
        var arrears = work.Accounts(tenant, owner).FirstOrDefault(a => a.Kind == AccountKinds.Arrears && a.Unit == unit);
        if (arrears is null || arrears.Posted >= 0 || from.Available <= 0)
        {
            return 0m;
        }

        var amount = Math.Min(-arrears.Posted, from.Available);
        work.Post(from, arrears, amount, TransferKinds.SettleArrears);
        return Dec(amount);
    }

    /// <summary>An operator's correction, recorded with who and why; never a refund of credits.</summary>
    public async Task AdjustAsync(string tenant, long accountId, decimal amount, string who, string why, CancellationToken cancel = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(who);
        ArgumentException.ThrowIfNullOrWhiteSpace(why);
        await using var connection = await dialect.OpenAsync(cancel);
        await using var tx = await dialect.BeginWriteAsync(connection, cancel);
        var owner = await connection.ExecuteScalarAsync<string>("SELECT owner FROM accounts WHERE tenant_id = @tenant AND account_id = @accountId", new { tenant, accountId }, tx)
            ?? throw new LedgerException(LedgerErrors.UnknownAccount, $"no account {accountId} for tenant '{tenant}'", "account_id");
        var work = new LedgerWork(connection, tx, dialect, Now());
        await work.LockAsync([(tenant, owner)]);
        var account = work.Find(tenant, accountId);
        var issuance = await work.SystemAsync(tenant, owner, AccountKinds.Issuance, account.Unit);
        var units = LedgerAmount.ToUnits(Math.Abs(amount));

        // Checked again under the lock: an event may have spent the balance since the caller looked.
        if (amount < 0m && units > account.Available)
        {
            throw new LedgerException(LedgerErrors.InsufficientFunds, $"account {accountId} has {Dec(Math.Max(0m, account.Available))} {account.Unit} available; an adjustment cannot take more", "amount");
        }

        if (amount > 0m)
        {
            work.Post(issuance, account, units, TransferKinds.Adjustment, eventId: Note(who, why));
        }
        else if (amount < 0m)
        {
            work.Post(account, issuance, units, TransferKinds.Adjustment, eventId: Note(who, why));
        }

        await work.FlushAsync();
        await tx.CommitAsync(cancel);

        static string Note(string who, string why) => string.Create(CultureInfo.InvariantCulture, $"adjustment by {who}: {why}");
    }
}
