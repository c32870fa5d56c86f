namespace Tollgate.Gateway.Keys;

/// <summary>A gateway key as listed: never its secret.</summary>
/// <param name="Subject">The end user its calls are charged to (the event's subject), or null for the tenant itself.</param>
/// <param name="Channel">The channel of its events: channel discounts and funding routes follow it.</param>
/// <param name="Models">The public model names it may call; null for every route.</param>
/// <param name="Budget">A hard spend limit per period, in the unit its calls are charged in; null for none.</param>
/// <param name="RequestsPerMinute">The most calls it may start per minute; null for no limit.</param>
/// <param name="TokensPerMinute">The most tokens (input + output) its calls may settle per minute before new calls wait; null for no limit.</param>
public sealed record GatewayKey(
    string Id,
    string Tenant,
    string Name,
    string? Subject,
    string Channel,
    IReadOnlyList<string>? Models,
    long CreatedAt,
    long? RevokedAt,
    KeyBudget? Budget = null,
    int? RequestsPerMinute = null,
    long? TokensPerMinute = null)
{
    /// <summary>A soft spend limit per period: passing it raises a <c>gateway_budget_soft_limit</c> alert once per period; null for none.</summary>
    public KeyBudget? SoftLimit { get; init; }

    public bool MayCall(string model) =>
        Models is null || Models.Any(m => string.Equals(m, model, StringComparison.OrdinalIgnoreCase));
}
