namespace Tollgate.Storage.Alerts;

/// <summary>
/// A webhook_deliveries row as Dapper reads it, by settable properties. Mapping straight onto the
/// <see cref="Delivery"/> record needs a constructor whose types match the first row's column types, and on SQLite
/// a NULL column (no HTTP status yet) has none of the declared type: the mapping then failed.
/// </summary>
internal sealed class DeliveryRow
{
    public string DeliveryId { get; set; } = string.Empty;

    public string WebhookId { get; set; } = string.Empty;

    public string Tenant { get; set; } = string.Empty;

    public string AlertId { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public long Attempts { get; set; }

    public long NextAttemptAt { get; set; }

    public long? LastStatus { get; set; }

    public string? LastError { get; set; }

    public long? DeliveredAt { get; set; }

    public long CreatedAt { get; set; }

    public Delivery ToDelivery() =>
        new(DeliveryId, WebhookId, Tenant, AlertId, Status, Attempts, NextAttemptAt, LastStatus, LastError, DeliveredAt, CreatedAt);
}
