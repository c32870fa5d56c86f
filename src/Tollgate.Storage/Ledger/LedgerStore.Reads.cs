using System.Text.Json;
using Dapper;
using Tollgate.Core.Money;
using Tollgate.Core.Tenants;

namespace Tollgate.Storage.Ledger;

/// <summary>A page of a tenant's ledger, oldest first; <see cref="NextCursor"/> continues it (null at the end).</summary>
public sealed record TransferPage(IReadOnlyList<TransferEntry> Transfers, long? NextCursor);

/// <summary>One transfer as a tenant reads it: amounts in units, both accounts with their kinds and owners.</summary>
public sealed record TransferEntry(
    long TransferId,
    long CreatedAt,
    string Kind,
    string Unit,
    decimal Amount,
    bool Pending,
    long DebitAccount,
    string DebitKind,
    string DebitOwner,
    long CreditAccount,
    string CreditKind,
    string CreditOwner,
    string? EventId,
    string? HoldId);

/// <summary>A recorded event: what was sent (the contract JSON) and the answer given.</summary>
public sealed record StoredEvent(string EventId, string Status, long EventTime, long RecordedAt, RecordResult Result, string? Body);

/// <summary>An end user of a tenant: who pays under message billing and owns per-user balances.</summary>
public sealed record EndUser(string TenantId, string UserId, string? Name, long CreatedAt);

public sealed partial class LedgerStore
{
    public const int MaxPageSize = 1000;

    private sealed class TransferRow
    {
        public long TransferId { get; set; }

        public long CreatedAt { get; set; }

        public string Kind { get; set; } = string.Empty;

        public string Unit { get; set; } = string.Empty;

        public decimal Amount { get; set; }

        public bool Pending { get; set; }

        public long DebitAccount { get; set; }

        public string DebitKind { get; set; } = string.Empty;

        public string DebitOwner { get; set; } = string.Empty;

        public long CreditAccount { get; set; }

        public string CreditKind { get; set; } = string.Empty;

        public string CreditOwner { get; set; } = string.Empty;

        public string? EventId { get; set; }

        public string? HoldId { get; set; }
    }

    /// <summary>
    /// A tenant's transfers after <paramref name="cursor"/> (a transfer id), optionally within [from, to) in unix
    /// milliseconds, at most <paramref name="limit"/> of them.
    /// </summary>
    public async Task<TransferPage> ListTransfersAsync(string tenant, long? cursor, long? from, long? to, int limit, CancellationToken cancel = default)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = (await connection.QueryAsync<TransferRow>(
            "SELECT t.transfer_id AS TransferId, t.created_at AS CreatedAt, t.kind AS Kind, t.unit AS Unit, t.amount AS Amount, t.pending AS Pending, " +
            "t.debit_account AS DebitAccount, d.kind AS DebitKind, d.owner AS DebitOwner, t.credit_account AS CreditAccount, c.kind AS CreditKind, c.owner AS CreditOwner, " +
            "t.event_id AS EventId, t.hold_id AS HoldId " +
            "FROM transfers t JOIN accounts d ON d.tenant_id = t.tenant_id AND d.account_id = t.debit_account " +
            "JOIN accounts c ON c.tenant_id = t.tenant_id AND c.account_id = t.credit_account " +
            "WHERE t.tenant_id = @tenant AND t.transfer_id > @after AND t.created_at >= @from AND t.created_at < @to " +
            "ORDER BY t.transfer_id LIMIT @take",
            new { tenant, after = cursor ?? 0L, from = from ?? long.MinValue, to = to ?? long.MaxValue, take = limit + 1 })).ToList();
        var more = rows.Count > limit;
        var page = rows.Take(limit).Select(r => new TransferEntry(
            r.TransferId, r.CreatedAt, r.Kind, r.Unit, Dec(r.Amount), r.Pending, r.DebitAccount, r.DebitKind, r.DebitOwner,
            r.CreditAccount, r.CreditKind, r.CreditOwner, r.EventId, r.HoldId)).ToList();
        return new TransferPage(page, more ? page[^1].TransferId : null);
    }

    public async Task<StoredEvent?> GetEventAsync(string tenant, string eventId, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var row = await connection.QuerySingleOrDefaultAsync<(string Status, long EventTime, long RecordedAt, string Result, string? Body)>(
            "SELECT status, event_time, recorded_at, result, body FROM events WHERE tenant_id = @tenant AND event_id = @eventId",
            new { tenant, eventId });
        return row.Status is null ? null
            : new StoredEvent(eventId, row.Status, row.EventTime, row.RecordedAt, StoredAnswer.Read(row.Result, eventId), row.Body);
    }

    /// <summary>
    /// The stored bodies and answers of charged events of these tenants, optionally within a time range (unix ms of
    /// the event time), newest first per tenant, at most <paramref name="limit"/>: the input of a dry run.
    /// </summary>
    public async Task<IReadOnlyList<(string Body, RecordResult Result)>> ChargedEventsAsync(IEnumerable<string> tenants, long? from, long? to, int limit, CancellationToken cancel = default)
    {
        var found = new List<(string, RecordResult)>();
        await using var connection = await dialect.OpenAsync(cancel);
        foreach (var id in tenants)
        {
            var rows = await connection.QueryAsync<(string EventId, string Body, string Result)>(
                "SELECT event_id, body, result FROM events WHERE tenant_id = @id AND status = 'charged' AND body IS NOT NULL AND event_time >= @from AND event_time < @to " +
                "ORDER BY event_time DESC LIMIT @take",
                new { id, from = from ?? long.MinValue, to = to ?? long.MaxValue, take = limit - found.Count });
            found.AddRange(rows.Select(r => (r.Body, StoredAnswer.Read(r.Result, r.EventId))));
            if (found.Count >= limit)
            {
                break;
            }
        }

        return found;
    }

    public async Task<IReadOnlyList<TenantSettings>> ListTenantsAsync(CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = await connection.QueryAsync<string>("SELECT settings FROM tenants ORDER BY tenant_id");
        return [.. rows.Select(TenantSettingsDocument.Parse)];
    }

    /// <summary>Adds or renames an end user of a tenant.</summary>
    public async Task<EndUser> SaveEndUserAsync(string tenant, string userId, string? name, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        await connection.ExecuteAsync(
            "INSERT INTO end_users (tenant_id, user_id, name, created_at) VALUES (@tenant, @userId, @name, @now) " +
            "ON CONFLICT (tenant_id, user_id) DO UPDATE SET name = excluded.name",
            new { tenant, userId, name, now = Now() });
        return (await GetEndUserAsync(connection, tenant, userId))!;
    }

    public async Task<IReadOnlyList<EndUser>> ListEndUsersAsync(string tenant, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = await connection.QueryAsync<(string UserId, string? Name, long CreatedAt)>(
            "SELECT user_id, name, created_at FROM end_users WHERE tenant_id = @tenant ORDER BY user_id", new { tenant });
        return [.. rows.Select(r => new EndUser(tenant, r.UserId, r.Name, r.CreatedAt))];
    }

    private static async Task<EndUser?> GetEndUserAsync(System.Data.Common.DbConnection connection, string tenant, string userId)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(string UserId, string? Name, long CreatedAt)>(
            "SELECT user_id, name, created_at FROM end_users WHERE tenant_id = @tenant AND user_id = @userId", new { tenant, userId });
        return row.UserId is null ? null : new EndUser(tenant, row.UserId, row.Name, row.CreatedAt);
    }
}
