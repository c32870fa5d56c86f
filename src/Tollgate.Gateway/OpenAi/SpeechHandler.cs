using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Events;
using Tollgate.Gateway.Charging;
using Tollgate.Gateway.Routes;

namespace Tollgate.Gateway.OpenAi;

/// <summary>
/// <c>POST /openai/v1/audio/speech</c>: text to speech, priced per character of the input (what the providers bill),
/// known before the call: the reservation is the charge. The audio is relayed as it came.
/// </summary>
public sealed class SpeechHandler(GatewayServices services) : OpenAiHandler(services)
{
    protected override string UpstreamPath => "audio/speech";

    protected override bool Streams(JsonObject body) => false;

    protected override string? InputText(JsonObject body) => null;

    protected override IReadOnlyDictionary<string, decimal> Reserve(JsonObject body, GatewayRoute route) => Characters(body);

    protected override bool AsksPriority(JsonObject body) => false;

    protected override CallUsage UsageOf(JsonObject request, JsonElement answer) => CallUsage.Exact(Characters(request));

    // Characters as people count them (text elements), so an emoji or a combined accent is one, not two UTF-16 units.
    private static Dictionary<string, decimal> Characters(JsonObject body) =>
        new() { [Meters.Characters] = new StringInfo(JsonNumbers.String(body["input"]) ?? string.Empty).LengthInTextElements };
}
