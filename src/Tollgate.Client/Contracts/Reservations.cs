namespace Tollgate.Client.Contracts;

/// <summary>
/// Credit held for a call in flight: a fixed <see cref="Amount"/> in <see cref="Unit"/>, or what <see cref="Estimate"/>
/// would cost. Released by itself after <see cref="TimeoutSeconds"/> unless settled or released first.
/// </summary>
public sealed record ReservationRequest(
    string Id,
    decimal? Amount = null,
    string? Unit = null,
    UsageEvent? Estimate = null,
    int TimeoutSeconds = 300,
    string? Owner = null,
    string? Type = null,
    string? Model = null,
    string? Channel = null);

/// <summary>held, settled, released or expired.</summary>
public sealed record Reservation(string Id, string Status, string? Unit, decimal Amount, IReadOnlyList<Payment>? Payments);

/// <summary>Settles a reservation with the call's real usage.</summary>
public sealed record SettleRequest(UsageEvent Event);
