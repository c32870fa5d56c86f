using Tollgate.Core.Tenants;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// A hold checked and priced before its write transaction (the tenant read, the estimate rated and its tokens counted),
/// so that the group-commit writer only writes: what <see cref="LedgerStore.HoldAsync(Sql.WriteScope, PreparedHold)"/>
/// holds, or the refusal it answers.
/// </summary>
public sealed class PreparedHold
{
    internal PreparedHold(HoldRequest request, HoldResult refusal) => (Request, Refusal) = (request, refusal);

    internal PreparedHold(HoldRequest request, TenantSettings settings, string unit, decimal amount, string owner, string type, string model, string channel, decimal tokens) =>
        (Request, Settings, Unit, Amount, Owner, Type, Model, Channel, Tokens) = (request, settings, unit, amount, owner, type, model, channel, tokens);

    public HoldRequest Request { get; }

    /// <summary>Why the hold is refused before any write (unknown tenant, unpriceable estimate, amount out of range); null when it may be written.</summary>
    public HoldResult? Refusal { get; }

    internal TenantSettings? Settings { get; }

    internal string Unit { get; } = string.Empty;

    internal decimal Amount { get; }

    internal string Owner { get; } = string.Empty;

    internal string Type { get; } = string.Empty;

    internal string Model { get; } = string.Empty;

    internal string Channel { get; } = string.Empty;

    internal decimal Tokens { get; }
}
