namespace Tollgate.Storage.Alerts;

/// <summary>
/// A delivery as read: settable properties, because Dapper picks a record's constructor by the first row's column
/// types, and SQLite reports a NULL (a pending delivery's last status) as no type at all.
/// </summary>
internal sealed class DeliveryRow
{
    public string DeliveryId { get; init; } = "";

    public string WebhookId { get; init; } = "";

    public string Tenant { get; init; } = "";

    public string AlertId { get; init; } = "";

    public string Status { get; init; } = "";

    public long Attempts { get; init; }

    public long NextAttemptAt { get; init; }

    public long? LastStatus { get; init; }

    public string? LastError { get; init; }

    public long? DeliveredAt { get; init; }

    public long CreatedAt { get; init; }

    public Delivery ToDelivery() =>
        new(DeliveryId, WebhookId, Tenant, AlertId, Status, Attempts, NextAttemptAt, LastStatus, LastError, DeliveredAt, CreatedAt);
}
