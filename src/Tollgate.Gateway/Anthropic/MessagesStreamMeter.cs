using System.Text.Json;
using System.Text.Json.Nodes;
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
        JsonObject? data;
        try
        {
            data = e.Data.Length == 0 ? null : JsonNode.Parse(e.Data) as JsonObject;
        }
        catch (JsonException)
        {
            return (string.Empty, true);
        }

        var type = e.Name ?? JsonNumbers.String(data?["type"]);
        switch (type)
        {
            case "message_start":
                InputUsage = AnthropicUsage.Input(data?["message"]?["usage"]);
                output = JsonNumbers.Count(data?["message"]?["usage"]?["output_tokens"]);
                break;
            case "content_block_delta":
                var delta = data?["delta"];
                return (JsonNumbers.String(delta?["text"]) ?? JsonNumbers.String(delta?["thinking"]) ?? JsonNumbers.String(delta?["partial_json"]) ?? string.Empty, true);
            case "message_delta":
                // Newer streams repeat the input counts here; they win over message_start's.
                InputUsage = AnthropicUsage.Input(data?["usage"]) ?? InputUsage;
                output = JsonNumbers.Count(data?["usage"]?["output_tokens"]) ?? output;
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
