using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using NodaTime;
using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Alerts;

/// <summary>
/// Alerts, the webhooks that receive them, and each delivery (an outbox: an alert and its deliveries are written in
/// the transaction that raises it, so none is lost). Deliveries are retried with back-off until a 2xx answer or
/// <see cref="MaxAttempts"/>, and can be replayed.
/// </summary>
public sealed class AlertStore(SqlDialect dialect, IClock clock)
{
    public const int MaxAttempts = 8;

    /// <summary>The wait before attempt n + 1: 30 s, doubling, at most an hour.</summary>
    public static Duration Backoff(long attempts) =>
        Duration.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Max(0L, attempts - 1))));

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Raises an alert once per id, with a pending delivery to each webhook that wants it.</summary>
    internal static async Task<bool> RaiseAsync(DbConnection connection, DbTransaction tx, string tenant, string alertId, string kind, object data, Instant now)
    {
        var created = now.ToUnixTimeMilliseconds();
        var body = JsonSerializer.Serialize(new { alert_id = alertId, kind, tenant, created_at = now.ToString(), data }, Json);
        var inserted = await connection.ExecuteAsync(
            "INSERT INTO alerts (tenant_id, alert_id, kind, body, created_at) VALUES (@tenant, @alertId, @kind, @body, @created) ON CONFLICT (tenant_id, alert_id) DO NOTHING",
            new { tenant, alertId, kind, body, created },
            tx);
        if (inserted == 0)
        {
            return false;
        }

        var hooks = await connection.QueryAsync<(string Id, string Kinds)>(
            "SELECT webhook_id, kinds FROM webhooks WHERE deleted_at IS NULL AND (tenant_id IS NULL OR tenant_id = @tenant) ORDER BY webhook_id",
            new { tenant },
            tx);
        foreach (var (id, _) in hooks.Where(h => Kinds(h.Kinds) is var wanted && (wanted.Length == 0 || wanted.Contains(kind))))
        {
            await connection.ExecuteAsync(
                "INSERT INTO webhook_deliveries (delivery_id, webhook_id, tenant_id, alert_id, status, next_attempt_at, created_at) " +
                "VALUES (@delivery, @id, @tenant, @alertId, 'pending', @created, @created) ON CONFLICT (webhook_id, tenant_id, alert_id) DO NOTHING",
                new { delivery = NewId("dlv"), id, tenant, alertId, created },
                tx);
        }

        return true;
    }

    /// <summary>
    /// Makes a watched condition true or false; raises the alert when it turns true (once, whichever node sees it
    /// first). Returns whether an alert was raised.
    /// </summary>
    public async Task<bool> SetConditionAsync(string tenant, string key, bool active, string kind, object data, CancellationToken cancel = default)
    {
        var now = clock.GetCurrentInstant();
        await using var connection = await dialect.OpenAsync(cancel);
        await using var tx = await dialect.BeginWriteAsync(connection, cancel);
        var changed = await connection.ExecuteAsync(
            "INSERT INTO alert_states (tenant_id, state_key, active, changed_at) VALUES (@tenant, @key, @flag, @at) " +
            "ON CONFLICT (tenant_id, state_key) DO UPDATE SET active = excluded.active, changed_at = excluded.changed_at WHERE alert_states.active <> excluded.active",
            new { tenant, key, flag = active ? 1 : 0, at = now.ToUnixTimeMilliseconds() },
            tx);
        var raised = changed == 1 && active && await RaiseAsync(connection, tx, tenant, $"{key}:{now.ToUnixTimeMilliseconds()}", kind, data, now);
        await tx.CommitAsync(cancel);
        return raised;
    }

    /// <summary>The watched conditions that are true now, as (tenant, key).</summary>
    public async Task<HashSet<(string Tenant, string Key)>> ActiveConditionsAsync(CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        return [.. await connection.QueryAsync<(string, string)>("SELECT tenant_id, state_key FROM alert_states WHERE active = 1")];
    }

    public async Task<(Webhook Webhook, string Secret)> CreateWebhookAsync(string? tenant, string url, IReadOnlyList<string> kinds, CancellationToken cancel = default)
    {
        var hook = new Webhook(NewId("wh"), tenant, url, kinds, clock.GetCurrentInstant().ToUnixTimeMilliseconds());
        var secret = "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await using var connection = await dialect.OpenAsync(cancel);
        await connection.ExecuteAsync(
            "INSERT INTO webhooks (webhook_id, tenant_id, url, secret, kinds, created_at) VALUES (@WebhookId, @Tenant, @Url, @secret, @kinds, @CreatedAt)",
            new { hook.WebhookId, hook.Tenant, hook.Url, secret, kinds = string.Join(',', kinds), hook.CreatedAt });
        return (hook, secret);
    }

    /// <summary>Webhooks that are not deleted: one tenant's own, or (null) all.</summary>
    public Task<IReadOnlyList<Webhook>> ListWebhooksAsync(string? tenant, CancellationToken cancel = default) =>
        WebhooksAsync("(@tenant IS NULL OR tenant_id = @tenant)", new { tenant }, cancel);

    public async Task<Webhook?> GetWebhookAsync(string webhookId, CancellationToken cancel = default) =>
        (await WebhooksAsync("webhook_id = @webhookId", new { webhookId }, cancel)).SingleOrDefault();

    private async Task<IReadOnlyList<Webhook>> WebhooksAsync(string condition, object parameters, CancellationToken cancel)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = await connection.QueryAsync<(string Id, string? Tenant, string Url, string Kinds, long CreatedAt)>(
            $"SELECT webhook_id, tenant_id, url, kinds, created_at FROM webhooks WHERE deleted_at IS NULL AND {condition} ORDER BY created_at, webhook_id",
            parameters);
        return [.. rows.Select(r => new Webhook(r.Id, r.Tenant, r.Url, Kinds(r.Kinds), r.CreatedAt))];
    }

    /// <summary>The kinds column: comma-separated, empty for all.</summary>
    private static string[] Kinds(string column) => column.Length == 0 ? [] : column.Split(',');

    /// <summary>Stops sending to a webhook; its pending deliveries fail. False when there was none.</summary>
    public async Task<bool> DeleteWebhookAsync(string webhookId, CancellationToken cancel = default)
    {
        var now = clock.GetCurrentInstant().ToUnixTimeMilliseconds();
        await using var connection = await dialect.OpenAsync(cancel);
        await using var tx = await dialect.BeginWriteAsync(connection, cancel);
        var deleted = await connection.ExecuteAsync("UPDATE webhooks SET deleted_at = @now WHERE webhook_id = @webhookId AND deleted_at IS NULL", new { now, webhookId }, tx);
        await connection.ExecuteAsync(
            "UPDATE webhook_deliveries SET status = 'failed', last_error = 'webhook deleted' WHERE webhook_id = @webhookId AND status = 'pending'", new { webhookId }, tx);
        await tx.CommitAsync(cancel);
        return deleted == 1;
    }

    /// <summary>A webhook's deliveries, newest first.</summary>
    public async Task<IReadOnlyList<Delivery>> ListDeliveriesAsync(string webhookId, int limit = 100, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        return [.. (await connection.QueryAsync<DeliveryRow>(
            $"{DeliveryColumns} WHERE webhook_id = @webhookId ORDER BY created_at DESC, delivery_id LIMIT @limit", new { webhookId, limit })).Select(r => r.ToDelivery())];
    }

    public async Task<Delivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        return (await connection.QuerySingleOrDefaultAsync<DeliveryRow>($"{DeliveryColumns} WHERE delivery_id = @deliveryId", new { deliveryId }))?.ToDelivery();
    }

    /// <summary>
    /// Sends a delivery again (delivered or failed ones too): it becomes pending, due now, with its attempts counted
    /// afresh. Returns it as replayed (read in the same statement: the dispatcher may send it a moment later).
    /// </summary>
    public async Task<Delivery?> ReplayAsync(string deliveryId, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var replayed = await connection.QuerySingleOrDefaultAsync<DeliveryRow>(
            "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = @now, delivered_at = NULL WHERE delivery_id = @deliveryId " +
            $"AND webhook_id IN (SELECT webhook_id FROM webhooks WHERE deleted_at IS NULL) RETURNING {DeliveryFields}",
            new { deliveryId, now = clock.GetCurrentInstant().ToUnixTimeMilliseconds() });
        return replayed?.ToDelivery() ?? await GetDeliveryAsync(deliveryId, cancel);
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries for one attempt each: their next attempt moves a lease
    /// ahead, so another node (or this one, before the answer) does not send them at the same time. Fair across
    /// tenants: taken in turns (every tenant's oldest due delivery, then every tenant's second, ...), and no tenant
    /// gets more than <paramref name="perTenant"/> counting the attempts it has in flight already
    /// (<paramref name="busy"/>), so one tenant's backlog never holds back another tenant's first delivery.
    /// </summary>
    public async Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(
        Duration lease, int limit = 50, int perTenant = 50, IReadOnlyDictionary<string, int>? busy = null, CancellationToken cancel = default)
    {
        busy ??= new Dictionary<string, int>();
        var now = clock.GetCurrentInstant().ToUnixTimeMilliseconds();
        await using var connection = await dialect.OpenAsync(cancel);

        // A busy tenant's turns come first and are skipped below: fetch enough rows to fill the limit all the same.
        var due = await connection.QueryAsync<(string Id, long NextAttemptAt, string Url, string Secret, string Body, long Attempts, string Tenant)>(
            "SELECT delivery_id, next_attempt_at, url, secret, body, attempts, tenant_id FROM (" +
            "SELECT d.delivery_id, d.next_attempt_at, w.url, w.secret, a.body, CAST(d.attempts AS bigint) AS attempts, d.tenant_id, " +
            "ROW_NUMBER() OVER (PARTITION BY d.tenant_id ORDER BY d.next_attempt_at, d.delivery_id) AS turn FROM webhook_deliveries d " +
            "JOIN webhooks w ON w.webhook_id = d.webhook_id JOIN alerts a ON a.tenant_id = d.tenant_id AND a.alert_id = d.alert_id " +
            "WHERE d.status = 'pending' AND d.next_attempt_at <= @now) due " +
            "WHERE turn <= @perTenant ORDER BY turn, next_attempt_at, delivery_id LIMIT @fetch",
            new { now, perTenant, fetch = limit + (perTenant * busy.Count) });
        var taken = new Dictionary<string, int>(busy);
        var claimed = new List<DueDelivery>();
        foreach (var d in due.Where(_ => claimed.Count < limit))
        {
            if (taken.GetValueOrDefault(d.Tenant) >= perTenant)
            {
                continue;
            }

            var won = await connection.ExecuteAsync(
                "UPDATE webhook_deliveries SET next_attempt_at = @until WHERE delivery_id = @Id AND status = 'pending' AND next_attempt_at = @NextAttemptAt",
                new { d.Id, d.NextAttemptAt, until = now + (long)lease.TotalMilliseconds });
            if (won == 1)
            {
                taken[d.Tenant] = taken.GetValueOrDefault(d.Tenant) + 1;
                claimed.Add(new DueDelivery(d.Id, d.Tenant, d.Url, d.Secret, d.Body, d.Attempts));
            }
        }

        return claimed;
    }

    /// <summary>Records an attempt's outcome: delivered on 2xx; else pending again after the back-off, or failed after the last attempt.</summary>
    public async Task RecordAttemptAsync(string deliveryId, int? status, string? error, CancellationToken cancel = default)
    {
        var now = clock.GetCurrentInstant();
        var ok = status is >= 200 and < 300;
        await using var connection = await dialect.OpenAsync(cancel);
        var attempts = await connection.ExecuteScalarAsync<long>("SELECT attempts FROM webhook_deliveries WHERE delivery_id = @deliveryId", new { deliveryId }) + 1;
        var next = ok || attempts >= MaxAttempts ? now : now + Backoff(attempts);
        await connection.ExecuteAsync(
            "UPDATE webhook_deliveries SET attempts = @attempts, last_status = @status, last_error = @error, status = @state, next_attempt_at = @next, delivered_at = @delivered " +
            "WHERE delivery_id = @deliveryId AND status = 'pending'",
            new
            {
                deliveryId,
                attempts,
                status,
                error,
                state = ok ? Delivery.Delivered : attempts >= MaxAttempts ? Delivery.Failed : Delivery.Pending,
                next = next.ToUnixTimeMilliseconds(),
                delivered = ok ? now.ToUnixTimeMilliseconds() : (long?)null,
            });
    }

    /// <summary>A tenant's alerts, newest first.</summary>
    public async Task<IReadOnlyList<Alert>> ListAlertsAsync(string tenant, int limit = 100, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        return [.. await connection.QueryAsync<Alert>(
            "SELECT tenant_id AS Tenant, alert_id AS AlertId, kind AS Kind, body AS Body, created_at AS CreatedAt FROM alerts WHERE tenant_id = @tenant ORDER BY created_at DESC, alert_id LIMIT @limit",
            new { tenant, limit })];
    }

    private const string DeliveryFields =
        "delivery_id AS DeliveryId, webhook_id AS WebhookId, tenant_id AS Tenant, alert_id AS AlertId, status AS Status, CAST(attempts AS bigint) AS Attempts, " +
        "next_attempt_at AS NextAttemptAt, CAST(last_status AS bigint) AS LastStatus, last_error AS LastError, delivered_at AS DeliveredAt, created_at AS CreatedAt";

    private const string DeliveryColumns = $"SELECT {DeliveryFields} FROM webhook_deliveries";

    private static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";
}
