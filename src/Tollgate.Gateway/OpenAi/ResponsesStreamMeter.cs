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
        using var document = JsonNumbers.Parse(e.Data);
        var data = document?.RootElement ?? default;
        switch (e.Name ?? JsonNumbers.String(data.Field("type")))
        {
            case "response.output_text.delta" or "response.function_call_arguments.delta" or "response.reasoning_summary_text.delta" or "response.refusal.delta":
                return (JsonNumbers.String(data.Field("delta")) ?? string.Empty, true);
            case "response.completed" or "response.incomplete" or "response.failed":
                Usage = OpenAiUsage.Map(JsonNumbers.Node(data.Field("response").Field("usage"))) ?? Usage;
                Completed = true;
                break;
            case "error":
                Failed = true;
                break;
        }

        return (string.Empty, true);
    }
}
