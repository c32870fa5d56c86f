using Tollgate.Core.Events;

namespace Tollgate.Core.Funding;

/// <summary>
/// Per-tenant routing of a charge: which resource (unit) pays for each channel, who pays, and which channels are free.
/// </summary>
/// <param name="ChannelUnits">Channel -> the unit of the balances that pay for it; channels not listed pay in the charge's own unit.</param>
/// <param name="UnitRates">"from->to" -> how many "to" units one "from" unit is (credits->api_tokens: 1).</param>
/// <param name="FreeChannels">Channels that cost nothing (the store channel, by default).</param>
/// <param name="MessageBilling">When on, the end user (the event's subject) pays instead of the developer.</param>
public sealed record FundingRoutes(
    IReadOnlyDictionary<string, string> ChannelUnits,
    IReadOnlyDictionary<string, decimal> UnitRates,
    IReadOnlySet<string> FreeChannels,
    bool MessageBilling)
{
    public static FundingRoutes Default { get; } = new(
        new Dictionary<string, string>(),
        new Dictionary<string, decimal>(),
        new HashSet<string> { Channels.Store },
        MessageBilling: false);

    /// <summary>The seed-000 routing: API and web SDK usage paid from prepaid API tokens (1 credit = 1 token), everything else from credits.</summary>
    public static FundingRoutes ApiTokensForApi { get; } = Default with
    {
        ChannelUnits = new Dictionary<string, string> { [Channels.Api] = "api_tokens", [Channels.WebSdk] = "api_tokens" },
        UnitRates = new Dictionary<string, decimal> { ["credits->api_tokens"] = 1m },
    };

    public Payer PayerFor(UsageEvent e) =>
        FreeChannels.Contains(e.Channel) ? Payer.Nobody
        : MessageBilling && e.Subject is not null ? Payer.EndUser
        : Payer.Developer;

    /// <summary>The unit that pays for the event and the rate from the charge's unit to it; null when no rate is configured.</summary>
    public (string Unit, decimal Rate)? UnitFor(string channel, string chargeUnit)
    {
        if (!ChannelUnits.TryGetValue(channel, out var unit) || unit == chargeUnit)
        {
            return (chargeUnit, 1m);
        }

        return UnitRates.TryGetValue($"{chargeUnit}->{unit}", out var rate) ? (unit, rate) : null;
    }
}
