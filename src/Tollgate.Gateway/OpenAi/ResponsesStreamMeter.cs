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
        // The deltas, one per token or so, are read in one pass; the other events are few and parsed.
        using var document = e.Name is { } name && IsDelta(name) ? null : JsonNumbers.Parse(e.Data);
        var data = document?.RootElement ?? default;
        switch (e.Name ?? JsonNumbers.String(data.Field("type")))
        {
            case { } type when IsDelta(type):
                return (JsonNumbers.DeltaText(e.Data.Span) ?? string.Empty, true);
            case "response.completed" or "response.incomplete" or "response.failed":
                Usage = OpenAiUsage.Map(data.Field("response").Field("usage")) ?? Usage;
                Completed = true;
                break;
            case "error":
                Failed = true;
                break;
        }

        return (string.Empty, true);
    }

    private static bool IsDelta(string type) =>
        type is "response.output_text.delta" or "response.function_call_arguments.delta" or "response.reasoning_summary_text.delta" or "response.refusal.delta";
}
