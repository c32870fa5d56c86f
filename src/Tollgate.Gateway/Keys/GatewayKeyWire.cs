namespace Tollgate.Gateway.Keys;

/// <summary>A gateway key's budget on the wire: the limit as a decimal string, the period day, month or lifetime.</summary>
public sealed record GatewayKeyBudgetWire(string Limit, string Period);

/// <summary>
/// The body of <c>POST /v1/tenants/{tenant}/gateway-keys</c>, as the OpenAPI document describes it (the handler reads
/// the same fields from the JSON itself, to name the field it refuses).
/// </summary>
public sealed record GatewayKeyRequestWire(
    string Name,
    string? Subject = null,
    string? Channel = null,
    IReadOnlyList<string>? Models = null,
    GatewayKeyBudgetWire? Budget = null,
    long? RequestsPerMinute = null,
    long? TokensPerMinute = null,
    GatewayKeyBudgetWire? SoftLimit = null);

/// <summary>A gateway key as answered; <see cref="Key"/> (the secret) only in the answer that created it.</summary>
public sealed record GatewayKeyWire(
    string Id,
    string Tenant,
    string Name,
    string? Subject,
    string Channel,
    IReadOnlyList<string>? Models,
    GatewayKeyBudgetWire? Budget,
    int? RequestsPerMinute,
    long? TokensPerMinute,
    GatewayKeyBudgetWire? SoftLimit,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    string? Key);

/// <summary>The answer of <c>GET /v1/tenants/{tenant}/gateway-keys</c>.</summary>
public sealed record GatewayKeyListWire(IReadOnlyList<GatewayKeyWire> Keys);

/// <summary>An end user's gateway budget: a hard limit per period across all that user's keys.</summary>
public sealed record GatewayUserBudgetWire(string Subject, string Limit, string Period);

/// <summary>The answer of <c>GET /v1/tenants/{tenant}/gateway-user-budgets</c>.</summary>
public sealed record GatewayUserBudgetListWire(IReadOnlyList<GatewayUserBudgetWire> Budgets);
