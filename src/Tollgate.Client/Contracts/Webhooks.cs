namespace Tollgate.Client.Contracts;

/// <summary>A receiver of alerts. Operators may create one for every tenant (tenant null); a tenant key, for its own.</summary>
/// <param name="Kinds">Alert kinds to receive: low_balance, bill_issued, quota_exhausted; empty or null = all.</param>
public sealed record WebhookRequest(string? Url, string? Tenant = null, IReadOnlyList<string>? Kinds = null);

/// <param name="Secret">The signing key (HMAC-SHA256): returned once, when the webhook is created.</param>
public sealed record Webhook(string Id, string? Tenant, string Url, IReadOnlyList<string> Kinds, DateTimeOffset CreatedAt, string? Secret = null);

public sealed record WebhookList(IReadOnlyList<Webhook> Webhooks);

/// <summary>One alert sent to one webhook: pending (next_attempt_at), delivered, or failed after the last attempt.</summary>
public sealed record Delivery(
    string Id,
    string WebhookId,
    string Tenant,
    string AlertId,
    string Status,
    long Attempts,
    DateTimeOffset NextAttemptAt,
    long? LastStatus,
    string? LastError,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset CreatedAt);

public sealed record DeliveryList(IReadOnlyList<Delivery> Deliveries);
