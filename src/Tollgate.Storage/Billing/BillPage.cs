using Tollgate.Core.Billing;

namespace Tollgate.Storage.Billing;

/// <summary>One page of a tenant's bills, newest first.</summary>
/// <param name="NextCursor">Where the next page starts (opaque); null on the last page.</param>
public sealed record BillPage(IReadOnlyList<Bill> Bills, string? NextCursor);
