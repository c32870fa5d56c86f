using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Events;
using Tollgate.Gateway.Charging;
using Tollgate.Gateway.Routes;

namespace Tollgate.Gateway.OpenAi;

/// <summary>
/// <c>POST /openai/v1/images/generations</c>: priced per image (<c>n</c> reserved, the images returned settled), with the
/// request's <c>size</c> and <c>quality</c> as attributes for a price book's multipliers.
/// </summary>
public sealed class ImagesHandler(GatewayServices services) : OpenAiHandler(services)
{
    protected override string UpstreamPath => "images/generations";

    protected override bool Streams(JsonObject body) => false;

    protected override string? InputText(JsonObject body) => null;

    protected override IReadOnlyDictionary<string, decimal> Reserve(JsonObject body, GatewayRoute route) =>
        new Dictionary<string, decimal> { [Meters.Images] = Requested(body) };

    protected override bool AsksPriority(JsonObject body) => false;

    protected override void AddAttributes(JsonObject body, Dictionary<string, string> attributes)
    {
        foreach (var field in new[] { "size", "quality" })
        {
            if (JsonNumbers.String(body[field]) is { } value)
            {
                attributes[field] = value;
            }
        }
    }

    protected override CallUsage UsageOf(JsonObject request, JsonElement answer) =>
        CallUsage.Exact(new Dictionary<string, decimal>
        {
            [Meters.Images] = answer.Field("data") is { ValueKind: JsonValueKind.Array } data ? data.GetArrayLength() : Requested(request),
        });

    private static long Requested(JsonObject body) => Math.Max(1, JsonNumbers.Count(body["n"]) ?? 1);
}
