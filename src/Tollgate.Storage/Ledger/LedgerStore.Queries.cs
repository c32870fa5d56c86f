using Dapper;
using Tollgate.Core.Money;

namespace Tollgate.Storage.Ledger;

public sealed partial class LedgerStore
{
    private sealed class BalanceRow
    {
        public string TenantId { get; set; } = string.Empty;

        public long AccountId { get; set; }

        public string Owner { get; set; } = string.Empty;

        public string Kind { get; set; } = string.Empty;

        public string Unit { get; set; } = string.Empty;

        public decimal Posted { get; set; }

        public decimal Pending { get; set; }

        public decimal Floor { get; set; }

        public long? ExpiresAt { get; set; }
    }

    private sealed class SumRow
    {
        public string TenantId { get; set; } = string.Empty;

        public long AccountId { get; set; }

        public decimal Total { get; set; }
    }

    /// <summary>A tenant's funding accounts and arrears (all owners), in account order.</summary>
    public async Task<IReadOnlyList<AccountBalance>> GetBalancesAsync(string tenant, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = await connection.QueryAsync<BalanceRow>(
            $"SELECT {BalanceColumns} FROM accounts WHERE tenant_id = @tenant AND kind NOT IN ('issuance', 'revenue', 'expiry') ORDER BY account_id",
            new { tenant });
        return [.. rows.Select(Balance)];
    }

    /// <summary>The balances of several tenants in one query, by tenant (all owners).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<AccountBalance>>> GetBalancesAsync(IReadOnlyCollection<string> tenants, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = await connection.QueryAsync<BalanceRow>(
            $"SELECT tenant_id AS TenantId, {BalanceColumns} " +
            $"FROM accounts WHERE {dialect.AnyOf("tenant_id", "@tenants")} AND kind NOT IN ('issuance', 'revenue', 'expiry') ORDER BY account_id",
            new { tenants = dialect.List(tenants) });
        return rows.GroupBy(r => r.TenantId, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<AccountBalance>)[.. g.Select(Balance)],
            StringComparer.Ordinal);
    }

    /// <summary>
    /// The funding accounts and arrears of some owners of a tenant ('' the tenant itself, else end users), by owner and in
    /// account order: what an answer to a recording lists for its payer, read through the owner index (accounts_owner),
    /// not through every account of the tenant.
    /// </summary>
    public async Task<IReadOnlyList<AccountBalance>> GetOwnerBalancesAsync(string tenant, IReadOnlyCollection<string> owners, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = await connection.QueryAsync<BalanceRow>(OwnerBalancesSql(dialect), new { tenant, owners = dialect.List(owners) });
        return [.. rows.Select(Balance)];
    }

    /// <summary>The balances of whoever paid a charged answer: those its transaction left (<see cref="RecordResult.PayerBalances"/>), else read now.</summary>
    public async Task<IReadOnlyList<AccountBalance>> PayerBalancesAsync(string tenant, RecordResult result, CancellationToken cancel = default) =>
        result.PayerBalances ?? await GetOwnerBalancesAsync(tenant, [result.PayerOwner], cancel);

    internal static string OwnerBalancesSql(Sql.SqlDialect dialect) =>
        $"SELECT {BalanceColumns} FROM accounts WHERE tenant_id = @tenant AND {dialect.AnyOf("owner", "@owners")} AND kind NOT IN ('issuance', 'revenue', 'expiry') ORDER BY owner, account_id";

    /// <summary>What the balance reads select into a <see cref="BalanceRow"/>.</summary>
    private const string BalanceColumns = "account_id AS AccountId, owner AS Owner, kind AS Kind, unit AS Unit, posted AS Posted, pending AS Pending, floor AS Floor, expires_at AS ExpiresAt";

    private static AccountBalance Balance(BalanceRow r) => AccountBalance.Of(r.AccountId, r.Owner, r.Kind, r.Unit, r.Posted, r.Pending, r.Floor, r.ExpiresAt);

    /// <summary>
    /// Recomputes every balance from the transfers and reports each mismatch: posted and pending amounts, floors,
    /// and that every unit of every tenant sums to zero.
    /// </summary>
    public async Task<LedgerCheckReport> CheckAsync(CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancel);
        var accounts = (await connection.QueryAsync<BalanceRow>(
            "SELECT tenant_id AS TenantId, account_id AS AccountId, unit AS Unit, posted AS Posted, pending AS Pending, floor AS Floor FROM accounts", transaction: tx)).ToList();
        var transferCount = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM transfers", transaction: tx);

        async Task<Dictionary<(string, long), decimal>> Sum(string sql) =>
            (await connection.QueryAsync<SumRow>(sql, transaction: tx)).ToDictionary(r => (r.TenantId, r.AccountId), r => r.Total);

        var sum = dialect.SumUnits("amount");

        // Posted moves: everything but holds (pending only) and voids (which release pending only).
        var credits = await Sum($"SELECT tenant_id AS TenantId, credit_account AS AccountId, {sum} AS Total FROM transfers WHERE kind NOT IN ('hold', 'void') GROUP BY tenant_id, credit_account");
        var debits = await Sum($"SELECT tenant_id AS TenantId, debit_account AS AccountId, {sum} AS Total FROM transfers WHERE kind NOT IN ('hold', 'void') GROUP BY tenant_id, debit_account");
        var held = await Sum($"SELECT tenant_id AS TenantId, debit_account AS AccountId, {sum} AS Total FROM transfers WHERE kind = 'hold' GROUP BY tenant_id, debit_account");
        var resolved = await Sum($"SELECT tenant_id AS TenantId, debit_account AS AccountId, {sum} AS Total FROM transfers WHERE pending_id IS NOT NULL GROUP BY tenant_id, debit_account");

        var problems = new List<string>();
        foreach (var a in accounts)
        {
            var key = (a.TenantId, a.AccountId);
            var posted = credits.GetValueOrDefault(key) - debits.GetValueOrDefault(key);
            var pending = held.GetValueOrDefault(key) - resolved.GetValueOrDefault(key);
            if (posted != a.Posted)
            {
                problems.Add($"{a.TenantId}/{a.AccountId}: posted {Dec(a.Posted)} but transfers give {Dec(posted)}");
            }

            if (pending != a.Pending)
            {
                problems.Add($"{a.TenantId}/{a.AccountId}: held {Dec(a.Pending)} but transfers give {Dec(pending)}");
            }

            if (a.Posted - a.Pending < a.Floor)
            {
                problems.Add($"{a.TenantId}/{a.AccountId}: below its floor ({Dec(a.Posted - a.Pending)} < {Dec(a.Floor)})");
            }
        }

        foreach (var unit in accounts.GroupBy(a => (a.TenantId, a.Unit)).Where(g => g.Sum(a => a.Posted) != 0))
        {
            problems.Add($"{unit.Key.TenantId}: {unit.Key.Unit} balances sum to {Dec(unit.Sum(a => a.Posted))}, not zero");
        }

        await tx.CommitAsync(cancel);
        return new LedgerCheckReport(accounts.Count, (int)transferCount, problems);
    }

    /// <summary>
    /// The sweeper: expires holds whose time-out has passed and moves what is left on expired bonus and pack
    /// balances to the expiry account. Run periodically on the injected clock.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancel = default)
    {
        var now = Now();
        IReadOnlyList<(string TenantId, string HoldId)> due;
        IReadOnlyList<(string TenantId, string Owner)> expiredOwners;
        await using (var connection = await dialect.OpenAsync(cancel))
        {
            due = [.. await connection.QueryAsync<(string, string)>("SELECT tenant_id, hold_id FROM holds WHERE status = 'held' AND expires_at <= @now ORDER BY tenant_id, hold_id", new { now })];
            expiredOwners = [.. await connection.QueryAsync<(string, string)>(
                "SELECT DISTINCT tenant_id, owner FROM accounts WHERE kind IN ('bonus', 'resource_pack') AND expires_at <= @now AND posted <> pending ORDER BY tenant_id, owner", new { now })];
        }

        var count = 0;
        foreach (var (tenant, holdId) in due)
        {
            var result = await Writes.WriteAsync(tenant, scope => EndHoldAsync(scope, tenant, holdId, HoldResult.Expired, onlyIfDueBy: now), cancel);
            count += result.Status == HoldResult.Expired ? 1 : 0;
        }

        foreach (var (tenant, owner) in expiredOwners)
        {
            await using var connection = await dialect.OpenAsync(cancel);
            await using var tx = await dialect.BeginWriteAsync(connection, cancel);
            var work = new LedgerWork(connection, tx, dialect, now);
            await work.LockAsync([(tenant, owner)]);
            foreach (var account in work.Accounts(tenant, owner).Where(a => a.Kind is AccountKinds.Bonus or AccountKinds.ResourcePack && a.ExpiresAt <= now && a.Posted - a.Pending > 0).ToList())
            {
                var expiry = await work.SystemAsync(tenant, owner, AccountKinds.Expiry, account.Unit);
                work.Post(account, expiry, account.Posted - account.Pending, TransferKinds.Expire);
                count++;
            }

            await work.FlushAsync();
            await tx.CommitAsync(cancel);
        }

        return count;
    }
}
