using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.OpenAi;

/// <summary>
/// Follows a Chat Completions stream: <c>data: {chunk}</c> events whose deltas carry the text, a last chunk with
/// <c>usage</c> (and no choices) when usage was asked for, then <c>data: [DONE]</c>.
/// </summary>
internal sealed class ChatStreamMeter(bool clientAskedUsage) : StreamMeter
{
    public override (string Text, bool Relay) Observe(SseEvent e)
    {
        if (e.Data == "[DONE]")
        {
            Completed = true;
            return (string.Empty, true);
        }

        JsonObject? chunk;
        try
        {
            chunk = JsonNode.Parse(e.Data) as JsonObject;
        }
        catch (JsonException)
        {
            return (string.Empty, true);
        }

        if (chunk is null)
        {
            return (string.Empty, true);
        }

        if (chunk["error"] is not null)
        {
            Failed = true;
            return (string.Empty, true);
        }

        var text = new StringBuilder();
        var choices = chunk["choices"] as JsonArray;
        foreach (var choice in (choices ?? []).OfType<JsonObject>())
        {
            var delta = choice["delta"];
            text.Append(JsonNumbers.String(delta?["content"]));
            text.Append(JsonNumbers.String(delta?["reasoning_content"]));
            text.Append(JsonNumbers.String(delta?["refusal"]));
            foreach (var call in (delta?["tool_calls"] as JsonArray ?? []))
            {
                text.Append(JsonNumbers.String(call?["function"]?["arguments"]));
            }
        }

        if (OpenAiUsage.Map(chunk["usage"]) is { } usage)
        {
            Usage = usage;

            // The usage-only chunk the gateway asked for on the client's behalf is not the client's to see.
            return (text.ToString(), clientAskedUsage || (choices?.Count ?? 0) > 0);
        }

        return (text.ToString(), true);
    }
}
