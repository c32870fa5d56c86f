using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Anthropic;

/// <summary>
/// Follows a Messages stream: <c>message_start</c> carries the input usage (cache reads and writes included),
/// <c>content_block_delta</c> the text, <c>message_delta</c> the cumulative output tokens, <c>message_stop</c> the end.
/// </summary>
internal sealed class MessagesStreamMeter : StreamMeter
{
    private long? output;

    public override (string Text, bool Relay) Observe(SseEvent e)
    {
        // The deltas, one per token or so, are read in one pass; the other events are few and parsed.
        using var document = e.Name == "content_block_delta" ? null : JsonNumbers.Parse(e.Data);
        var data = document?.RootElement ?? default;
        switch (e.Name ?? JsonNumbers.String(data.Field("type")))
        {
            case "message_start":
                var started = JsonNumbers.Node(data.Field("message").Field("usage"));
                InputUsage = AnthropicUsage.Input(started);
                output = JsonNumbers.Count(started?["output_tokens"]);
                break;
            case "content_block_delta":
                return (JsonNumbers.DeltaText(e.Data.Span, "text", "thinking", "partial_json") ?? string.Empty, true);
            case "message_delta":
                // Newer streams repeat the input counts here; they win over message_start's.
                var usage = JsonNumbers.Node(data.Field("usage"));
                InputUsage = AnthropicUsage.Input(usage) ?? InputUsage;
                output = JsonNumbers.Count(usage?["output_tokens"]) ?? output;
                Usage = AnthropicUsage.Complete(InputUsage, output);
                break;
            case "message_stop":
                Completed = true;
                break;
            case "error":
                Failed = true;
                break;
        }

        return (string.Empty, true);
    }
}
