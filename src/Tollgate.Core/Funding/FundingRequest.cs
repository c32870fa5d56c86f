using NodaTime;

namespace Tollgate.Core.Funding;

/// <summary>
/// A charge to fund: its amount and unit, what was consumed (for account scopes), how many tokens it used (what a
/// resource pack pays in), and when (expired balances do not pay).
/// </summary>
public sealed record FundingRequest(decimal Charge, string Unit, string Type, string Model, string Channel, decimal Tokens, Instant At);
