using NodaTime;

namespace Tollgate.Core.Events;

/// <summary>
/// One thing a tenant consumed. The contract is documented in docs/usage-events.md.
/// </summary>
/// <param name="Id">Idempotency key, unique per tenant forever.</param>
/// <param name="Usage">Quantity per meter; every quantity is non-negative.</param>
/// <param name="Content">Optional text and images to estimate token counts from, when the caller has no counts.</param>
public sealed record UsageEvent(
    string Id,
    string Tenant,
    string? Subject,
    OffsetDateTime Time,
    string Type,
    string Model,
    string KeyMode,
    string Channel,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, decimal> Usage,
    EventContent? Content = null)
{
    public Instant Instant => Time.ToInstant();

    public decimal Quantity(string meter) => Usage.TryGetValue(meter, out var q) ? q : 0m;
}
