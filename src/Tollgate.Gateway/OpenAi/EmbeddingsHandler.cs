using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Events;
using Tollgate.Gateway.Charging;
using Tollgate.Gateway.Routes;

namespace Tollgate.Gateway.OpenAi;

/// <summary><c>POST /openai/v1/embeddings</c>: input tokens only, counted to reserve, the upstream's <c>prompt_tokens</c> to settle.</summary>
public sealed class EmbeddingsHandler(GatewayServices services) : OpenAiHandler(services)
{
    protected override string UpstreamPath => "embeddings";

    protected override bool Streams(JsonObject body) => false;

    protected override string InputText(JsonObject body)
    {
        var text = new StringBuilder();
        AppendText(text, body["input"]);
        return text.ToString();
    }

    protected override IReadOnlyDictionary<string, decimal> Reserve(JsonObject body, GatewayRoute route) => new Dictionary<string, decimal>();

    protected override bool AsksPriority(JsonObject body) => false;

    protected override CallUsage UsageOf(JsonObject request, JsonElement answer) =>
        OpenAiUsage.Map(answer.Field("usage")) is { } meters
            ? CallUsage.Exact(new Dictionary<string, decimal> { [Meters.InputTokens] = meters[Meters.InputTokens] })
            : CallUsage.Counted(string.Empty);
}
