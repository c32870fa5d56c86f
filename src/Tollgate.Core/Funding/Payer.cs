namespace Tollgate.Core.Funding;

/// <summary>Whose balances pay for an event.</summary>
public enum Payer
{
    /// <summary>The tenant (the developer of the agent or app): the default.</summary>
    Developer,

    /// <summary>The end user named by the event's subject: when message billing is on.</summary>
    EndUser,

    /// <summary>Nobody: the channel is free (the store channel).</summary>
    Nobody,
}
