using NodaTime;
using Tollgate.Core.Events;

namespace Tollgate.Storage.Tests;

internal static class Events
{
    public static UsageEvent Fee(string id, string tenant = "acme", string model = "fee", string channel = Channels.Editor, string? subject = null, decimal calls = 1m) =>
        new(id, tenant, subject, new OffsetDateTime(new LocalDateTime(2025, 3, 1, 10, 0), Offset.Zero), BillingTypes.Tool, model, KeyModes.Platform, channel,
            new Dictionary<string, string>(), new Dictionary<string, decimal> { [Meters.Calls] = calls });

    public static UsageEvent Tokens(string id, decimal input, decimal output, string tenant = "acme", string channel = Channels.Editor) =>
        new(id, tenant, null, new OffsetDateTime(new LocalDateTime(2025, 3, 1, 10, 0), Offset.Zero), BillingTypes.LlmText, "m", KeyModes.Platform, channel,
            new Dictionary<string, string>(), new Dictionary<string, decimal> { [Meters.InputTokens] = input, [Meters.OutputTokens] = output });
}
