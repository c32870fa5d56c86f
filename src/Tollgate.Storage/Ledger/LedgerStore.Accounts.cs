using Dapper;
using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// What the console shows of a bonus grant or resource pack beside its balance: its scope (JSON: types, models,
/// channels; "{}" = anything), how much was put on it, and how much went to usage and to expiry.
/// </summary>
public sealed record AccountDetail(long AccountId, string Owner, string Kind, string Unit, string Scope, long? ExpiresAt, decimal Granted, decimal Used, decimal Expired, decimal Left);

public sealed partial class LedgerStore
{
    /// <summary>
    /// The tenant's grants and resource packs with what was put on them and where it went, from the transfers that
    /// put money on or expire each account: only those kinds are read, by the (tenant, account, kind) indexes of
    /// migration 030, so a pack that paid for millions of events costs as little as a new one. Used is what was put
    /// on it less what expired and what is left.
    /// </summary>
    public async Task<IReadOnlyList<AccountDetail>> ListGrantsAndPacksAsync(string tenant, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var accounts = (await connection.QueryAsync<(long AccountId, string Owner, string Kind, string Unit, string Scope, long? ExpiresAt, long Posted)>(
            "SELECT account_id, owner, kind, unit, scope, expires_at, posted FROM accounts WHERE tenant_id = @tenant AND kind IN ('bonus', 'resource_pack') ORDER BY account_id",
            new { tenant })).ToList();
        if (accounts.Count == 0)
        {
            return [];
        }

        var flows = (await connection.QueryAsync<(long AccountId, string Kind, long Amount)>(
            PackFlowsSql(dialect), new { tenant, no = false, ids = dialect.List(accounts.Select(a => a.AccountId)) })).ToList();
        return [.. accounts.Select(a =>
        {
            var mine = flows.Where(f => f.AccountId == a.AccountId).ToList();
            var granted = mine.Where(f => f.Amount > 0 && f.Kind is TransferKinds.TopUp or TransferKinds.Grant or TransferKinds.Adjustment).Sum(f => f.Amount);
            var expired = -mine.Where(f => f.Kind == TransferKinds.Expire).Sum(f => f.Amount);
            return new AccountDetail(a.AccountId, a.Owner, a.Kind, a.Unit, a.Scope, a.ExpiresAt, Dec(granted), Dec(granted - expired - a.Posted), Dec(expired), Dec(a.Posted));
        })];
    }

    /// <summary>
    /// What went into and out of each pack (@ids): its top-ups, grants and adjustments, and its expiries. Each side
    /// names the condition of its partial index (transfers_credit, transfers_debit), which hold no usage transfers.
    /// </summary>
    internal static string PackFlowsSql(SqlDialect dialect) =>
        "SELECT credit_account, kind, SUM(amount) FROM transfers WHERE tenant_id = @tenant AND pending = @no AND " + dialect.AnyOf("credit_account", "@ids") +
        " AND kind IN ('topup', 'grant', 'adjustment') GROUP BY credit_account, kind " +
        "UNION ALL SELECT debit_account, kind, -SUM(amount) FROM transfers WHERE tenant_id = @tenant AND pending = @no AND " + dialect.AnyOf("debit_account", "@ids") +
        " AND kind = 'expire' GROUP BY debit_account, kind";
}
