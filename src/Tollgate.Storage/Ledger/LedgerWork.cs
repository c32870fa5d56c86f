using System.Data.Common;
using Dapper;
using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// The accounts one write transaction has locked, updated in memory, and the transfers it will insert. Everything
/// is written by <see cref="FlushAsync"/>, just before commit.
/// </summary>
/// <remarks>
/// Accounts are locked per (tenant, owner) in one global order, so two transactions never wait on each other in a
/// cycle. Every balance change goes through <see cref="Post"/>, <see cref="Hold"/>, <see cref="Capture"/> or
/// <see cref="Void"/>, which refuse to take an account below its floor: a bug elsewhere cannot overdraw.
/// Amounts are whole 10^-8 units in decimals (see <see cref="Core.Money.LedgerAmount"/>); no balance may pass
/// <see cref="Core.Money.LedgerAmount.MaxBalance"/> either way, which is refused as <see cref="LedgerErrors.AmountOutOfRange"/>.
/// </remarks>
internal sealed class LedgerWork(DbConnection connection, DbTransaction transaction, SqlDialect dialect, long now)
{
    /// <summary>System accounts may go down to minus the largest balance (10^20 units), far from a decimal's overflow.</summary>
    public const decimal SystemFloor = -Core.Money.LedgerAmount.MaxBalanceUnits;

    private const string Columns = "tenant_id AS TenantId, account_id AS AccountId, owner AS Owner, kind AS Kind, unit AS Unit, scope AS Scope, floor AS Floor, expires_at AS ExpiresAt, priority AS Priority, quota_period AS QuotaPeriod, quota_limit AS QuotaLimit, period_start AS PeriodStart, posted AS Posted, pending AS Pending";

    private readonly Dictionary<(string Tenant, string Owner), List<AccountRow>> byOwner = [];
    private readonly Dictionary<(string Tenant, long AccountId), AccountRow> byId = [];
    private readonly List<Transfer> transfers = [];

    public DbConnection Connection => connection;

    public DbTransaction Transaction => transaction;

    public SqlDialect Dialect => dialect;

    public long Now => now;

    public QuotaDays QuotaDays { get; } = new();

    /// <summary>Locks and loads every account of these owners, in (tenant, owner) order.</summary>
    public async Task LockAsync(IEnumerable<(string Tenant, string Owner)> owners)
    {
        foreach (var key in owners.Distinct().OrderBy(o => o.Tenant, StringComparer.Ordinal).ThenBy(o => o.Owner, StringComparer.Ordinal))
        {
            if (byOwner.ContainsKey(key))
            {
                continue;
            }

            var rows = await connection.QueryAsync<AccountRow>(
                OwnerAccountsSql(dialect),
                new { key.Tenant, key.Owner },
                transaction);
            var locked = rows.ToList();
            byOwner[key] = locked;
            foreach (var row in locked)
            {
                byId[(row.TenantId, row.AccountId)] = row;
            }
        }
    }

    /// <summary>An owner's accounts, locked, in account order (through the owner index, accounts_owner).</summary>
    internal static string OwnerAccountsSql(SqlDialect dialect) =>
        $"SELECT {Columns} FROM accounts WHERE tenant_id = @Tenant AND owner = @Owner ORDER BY account_id{dialect.ForUpdate}";

    public IReadOnlyList<AccountRow> Accounts(string tenant, string owner) =>
        byOwner.TryGetValue((tenant, owner), out var rows) ? rows : throw new InvalidOperationException($"accounts of {tenant}/{owner} are not locked");

    /// <summary>The owner's system account of a kind and unit, created on first use.</summary>
    public async Task<AccountRow> SystemAsync(string tenant, string owner, string kind, string unit)
    {
        var rows = Accounts(tenant, owner);
        if (rows.FirstOrDefault(r => r.Kind == kind && r.Unit == unit) is { } found)
        {
            return found;
        }

        await connection.ExecuteAsync(
            "INSERT INTO accounts (tenant_id, owner, kind, unit, floor) VALUES (@tenant, @owner, @kind, @unit, @floor) " +
            "ON CONFLICT (tenant_id, owner, kind, unit) WHERE kind IN ('issuance', 'revenue', 'arrears', 'expiry') DO NOTHING",
            new { tenant, owner, kind, unit, floor = dialect.Units(SystemFloor) },
            transaction);
        await RememberEndUserAsync(tenant, owner);
        var row = await connection.QuerySingleAsync<AccountRow>(
            $"SELECT {Columns} FROM accounts WHERE tenant_id = @tenant AND owner = @owner AND kind = @kind AND unit = @unit{dialect.ForUpdate}",
            new { tenant, owner, kind, unit },
            transaction);
        ((List<AccountRow>)rows).Add(row);
        byId[(row.TenantId, row.AccountId)] = row;
        return row;
    }

    /// <summary>Adds a new funding account to the locked set (its owner must be locked).</summary>
    public async Task<AccountRow> OpenAsync(AccountRow account)
    {
        var rows = Accounts(account.TenantId, account.Owner);
        account.AccountId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO accounts (tenant_id, owner, kind, unit, scope, floor, expires_at, priority, quota_period, quota_limit, period_start) " +
            "VALUES (@TenantId, @Owner, @Kind, @Unit, @Scope, @Floor, @ExpiresAt, @Priority, @QuotaPeriod, @QuotaLimit, @PeriodStart) RETURNING account_id",
            new
            {
                account.TenantId, account.Owner, account.Kind, account.Unit, account.Scope, Floor = dialect.Units(account.Floor), account.ExpiresAt, account.Priority,
                account.QuotaPeriod, QuotaLimit = account.QuotaLimit is { } limit ? dialect.Units(limit) : null, account.PeriodStart,
            },
            transaction);
        await RememberEndUserAsync(account.TenantId, account.Owner);
        ((List<AccountRow>)rows).Add(account);
        byId[(account.TenantId, account.AccountId)] = account;
        return account;
    }

    /// <summary>
    /// An owner's first account makes it one of the tenant's end users (GET /v1/tenants/{t}/users): whoever owns a
    /// balance or pays for an event under message billing. Only when an account is created, so not on every event.
    /// </summary>
    private async Task RememberEndUserAsync(string tenant, string owner)
    {
        if (owner.Length > 0)
        {
            await connection.ExecuteAsync(
                "INSERT INTO end_users (tenant_id, user_id, name, created_at) VALUES (@tenant, @owner, NULL, @now) ON CONFLICT (tenant_id, user_id) DO NOTHING",
                new { tenant, owner, now },
                transaction);
        }
    }

    public void Post(AccountRow debit, AccountRow credit, decimal amount, string kind, string? eventId = null, string? holdId = null)
    {
        if (amount == 0)
        {
            return;
        }

        CheckFloor(debit, amount);
        CheckCeiling(credit, amount);
        debit.Posted -= amount;
        credit.Posted += amount;
        debit.Dirty = credit.Dirty = true;
        transfers.Add(new Transfer(debit.TenantId, debit.AccountId, credit.AccountId, amount, debit.Unit, kind, EventId: eventId, HoldId: holdId, CreatedAt: now));
    }

    public void Hold(AccountRow debit, AccountRow credit, decimal amount, string holdId)
    {
        CheckFloor(debit, amount);
        debit.Pending += amount;
        debit.Dirty = true;
        transfers.Add(new Transfer(debit.TenantId, debit.AccountId, credit.AccountId, amount, debit.Unit, TransferKinds.Hold, Pending: true, HoldId: holdId, CreatedAt: now));
    }

    public void Capture(AccountRow debit, AccountRow credit, PendingTransfer pending, decimal amount, string? eventId)
    {
        CheckCeiling(credit, amount);
        debit.Pending -= amount;
        debit.Posted -= amount;
        credit.Posted += amount;
        debit.Dirty = credit.Dirty = true;
        transfers.Add(new Transfer(debit.TenantId, debit.AccountId, credit.AccountId, amount, debit.Unit, TransferKinds.Capture, PendingId: pending.TransferId, EventId: eventId, HoldId: pending.HoldId, CreatedAt: now));
    }

    public void Void(AccountRow debit, PendingTransfer pending, decimal amount)
    {
        debit.Pending -= amount;
        debit.Dirty = true;
        transfers.Add(new Transfer(debit.TenantId, debit.AccountId, pending.CreditAccount, amount, debit.Unit, TransferKinds.Void, PendingId: pending.TransferId, HoldId: pending.HoldId, CreatedAt: now));
    }

    /// <summary>
    /// An owner's balances as this transaction leaves them, in account order: what a balance read after its commit
    /// gives (<see cref="LedgerStore.GetOwnerBalancesAsync"/>). Null when the owner is not locked.
    /// </summary>
    public IReadOnlyList<AccountBalance>? BalancesOf(string tenant, string owner) =>
        byOwner.TryGetValue((tenant, owner), out var rows)
            ? [.. rows.Where(a => AccountKinds.IsListed(a.Kind)).OrderBy(a => a.AccountId).Select(a => AccountBalance.Of(a.AccountId, a.Owner, a.Kind, a.Unit, a.Posted, a.Pending, a.Floor, a.ExpiresAt))]
            : null;

    public AccountRow Find(string tenant, long accountId) =>
        byId.TryGetValue((tenant, accountId), out var account) ? account : throw new InvalidOperationException($"account {tenant}/{accountId} is not locked");

    public async Task FlushAsync()
    {
        foreach (var account in byOwner.Values.SelectMany(r => r).Where(a => a.Dirty))
        {
            await connection.ExecuteAsync(
                "UPDATE accounts SET posted = @Posted, pending = @Pending, period_start = @PeriodStart WHERE tenant_id = @TenantId AND account_id = @AccountId",
                new { Posted = dialect.Units(account.Posted), Pending = dialect.Units(account.Pending), account.PeriodStart, account.TenantId, account.AccountId },
                transaction);
            account.Dirty = false;
        }

        if (transfers.Count > 0)
        {
            await Bulk.InsertAsync(
                dialect,
                connection,
                transaction,
                "transfers",
                ["tenant_id", "debit_account", "credit_account", "amount", "unit", "kind", "pending", "pending_id", "event_id", "hold_id", "created_at"],
                [.. transfers.Select(t => new object?[] { t.TenantId, t.DebitAccount, t.CreditAccount, dialect.Units(t.Amount), t.Unit, t.Kind, t.Pending, t.PendingId, t.EventId, t.HoldId, t.CreatedAt })]);
            transfers.Clear();
        }
    }

    private static void CheckFloor(AccountRow debit, decimal amount)
    {
        if (amount > 0 && debit.Floor == SystemFloor && debit.Posted - debit.Pending - amount < debit.Floor)
        {
            throw new LedgerException(LedgerErrors.AmountOutOfRange, $"moving {Core.Money.LedgerAmount.FromUnits(amount)} {debit.Unit} would take the {debit.Kind} account past the largest balance, {Core.Money.LedgerAmount.MaxBalance}", "amount");
        }

        if (amount <= 0 || debit.Posted - debit.Pending - amount < debit.Floor)
        {
            throw new InvalidOperationException($"bug: moving {amount} from account {debit.TenantId}/{debit.AccountId} would break its floor (available {debit.Available})");
        }
    }

    private static void CheckCeiling(AccountRow credit, decimal amount)
    {
        if (credit.Posted + amount > Core.Money.LedgerAmount.MaxBalanceUnits)
        {
            throw new LedgerException(LedgerErrors.AmountOutOfRange, $"moving {Core.Money.LedgerAmount.FromUnits(amount)} {credit.Unit} would take the {credit.Kind} account past the largest balance, {Core.Money.LedgerAmount.MaxBalance}", "amount");
        }
    }
}
