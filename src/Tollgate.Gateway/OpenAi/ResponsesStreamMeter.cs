using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.OpenAi;

/// <summary>
/// Follows a Responses stream: typed events, text in <c>response.output_text.delta</c> (and function-call argument
/// deltas), the usage in the final <c>response.completed</c> (or <c>response.incomplete</c>, <c>response.failed</c>).
/// </summary>
internal sealed class ResponsesStreamMeter : StreamMeter
{
    public override (string Text, bool Relay) Observe(SseEvent e)
    {
        JsonObject? data;
        try
        {
            data = e.Data.Length == 0 ? null : JsonNode.Parse(e.Data) as JsonObject;
        }
        catch (JsonException)
        {
            return (string.Empty, true);
        }

        switch (e.Name ?? JsonNumbers.String(data?["type"]))
        {
            case "response.output_text.delta" or "response.function_call_arguments.delta" or "response.reasoning_summary_text.delta" or "response.refusal.delta":
                return (JsonNumbers.String(data?["delta"]) ?? string.Empty, true);
            case "response.completed" or "response.incomplete" or "response.failed":
                Usage = OpenAiUsage.Map(data?["response"]?["usage"]) ?? Usage;
                Completed = true;
                break;
            case "error":
                Failed = true;
                break;
        }

        return (string.Empty, true);
    }
}
