namespace Tollgate.Storage.Alerts;

/// <summary>A receiver of alerts: one tenant's, or every tenant's (<see cref="Tenant"/> null); <see cref="Kinds"/> empty = all.</summary>
public sealed record Webhook(string WebhookId, string? Tenant, string Url, IReadOnlyList<string> Kinds, long CreatedAt);

/// <summary>One alert to one webhook: pending (with the next attempt's time), delivered, or failed after the last attempt.</summary>
public sealed record Delivery(
    string DeliveryId,
    string WebhookId,
    string Tenant,
    string AlertId,
    string Status,
    long Attempts,
    long NextAttemptAt,
    long? LastStatus,
    string? LastError,
    long? DeliveredAt,
    long CreatedAt)
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

/// <summary>A delivery claimed for an attempt: whose alert, where to send what, and the key to sign it with.</summary>
public sealed record DueDelivery(string DeliveryId, string Tenant, string Url, string Secret, string Body, long Attempts);

/// <summary>An alert as raised: its JSON body is what receivers get.</summary>
public sealed record Alert(string Tenant, string AlertId, string Kind, string Body, long CreatedAt);
