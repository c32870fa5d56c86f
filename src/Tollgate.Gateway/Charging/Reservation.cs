namespace Tollgate.Gateway.Charging;

/// <summary>What reserving a call's cost came to: held (go ahead), or refused with a stable code and why.</summary>
public sealed record Reservation(string Status, string HoldId, decimal Amount, string? Unit, string? Code = null, string? Message = null)
{
    /// <summary>The budget counters (the key's, the end user's) the call reserved <see cref="Amount"/> in, with their periods.</summary>
    public IReadOnlyList<(string Counter, string Period)> Budgets { get; init; } = [];

    public const string Held = "held";

    /// <summary>Not enough balance (or budget): the call must not reach the upstream.</summary>
    public const string InsufficientFunds = "insufficient_funds";

    /// <summary>The key's (or its end user's) budget for the period cannot cover the call.</summary>
    public const string BudgetExceeded = "budget_exceeded";

    /// <summary>A call with the same Idempotency-Key is still running.</summary>
    public const string InFlight = "in_flight";

    /// <summary>The Idempotency-Key was already charged by an earlier call: never a second charge.</summary>
    public const string AlreadyCharged = "already_charged";

    /// <summary>The call cannot be priced (no price book, unknown item ...): the route or the tenant is misconfigured.</summary>
    public const string NotPriced = "not_priced";

    public bool IsHeld => Status == Held;

    /// <summary>
    /// On a refusal for funds or budget, the most a smaller call could hold (the balances' cover, or the budget's room);
    /// null when unknown.
    /// </summary>
    public decimal? Affordable { get; init; }

    /// <summary>The output limit the call was capped to so that it fits what the caller can afford; null when not capped.</summary>
    public long? MaxOutput { get; init; }
}
