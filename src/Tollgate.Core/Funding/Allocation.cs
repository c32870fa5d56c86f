namespace Tollgate.Core.Funding;

/// <summary>
/// One account's share of a charge: <see cref="Amount"/> in the account's unit, and <see cref="Covers"/>, the part of
/// the charge (in the charge's unit) that it pays. For money accounts both are equal; a resource pack pays tokens
/// and a free quota pays one event, each covering money.
/// </summary>
public sealed record Allocation(long AccountId, AccountKind Kind, string Unit, decimal Amount, decimal Covers);
