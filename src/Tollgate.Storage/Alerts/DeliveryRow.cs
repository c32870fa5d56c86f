namespace Tollgate.Storage.Alerts;

/// <summary>
/// A webhook_deliveries row as read. Mapped by property, not by the <see cref="Delivery"/> constructor: Dapper's
/// constructor matching needs exact column types, and SQLite types a NULL expression column (a pending delivery's
/// last status) as a blob, so reading a delivery that had no answer yet threw.
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

    public Delivery ToDelivery() => new(DeliveryId, WebhookId, Tenant, AlertId, Status, Attempts, NextAttemptAt, LastStatus, LastError, DeliveredAt, CreatedAt);
}
