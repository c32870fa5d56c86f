using NodaTime;
using Tollgate.Core.Events;

namespace Tollgate.Core.Tests;

/// <summary>Builds usage events for tests.</summary>
internal static class TestEvents
{
    public static readonly OffsetDateTime DefaultTime = new(new LocalDateTime(2025, 3, 1, 10, 0), Offset.FromHours(8));

    public static UsageEvent Make(
        string type,
        string model,
        IReadOnlyDictionary<string, decimal> usage,
        string keyMode = KeyModes.Platform,
        string channel = Channels.Api,
        IReadOnlyDictionary<string, string>? attributes = null,
        OffsetDateTime? time = null,
        EventContent? content = null,
        string id = "evt-1") =>
        new(id, "tenant-1", null, time ?? DefaultTime, type, model, keyMode, channel, attributes ?? new Dictionary<string, string>(), usage, content);

    public static UsageEvent Llm(string model, decimal input, decimal output, string keyMode = KeyModes.Platform) =>
        Make(BillingTypes.LlmText, model, new Dictionary<string, decimal> { [Meters.InputTokens] = input, [Meters.OutputTokens] = output }, keyMode);

    public static Dictionary<string, decimal> Usage(params (string Meter, decimal Quantity)[] items) =>
        items.ToDictionary(i => i.Meter, i => i.Quantity);
}
