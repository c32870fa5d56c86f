using System.Text.Json;
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
        if (e.Data.Span.SequenceEqual("[DONE]"u8))
        {
            Completed = true;
            return (string.Empty, true);
        }

        using var document = JsonNumbers.Parse(e.Data);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } chunk)
        {
            return (string.Empty, true);
        }

        if (chunk.Field("error").ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            Failed = true;
            return (string.Empty, true);
        }

        var text = string.Empty;
        var choices = chunk.Field("choices");
        var choiceCount = choices.ValueKind == JsonValueKind.Array ? choices.GetArrayLength() : 0;
        for (var i = 0; i < choiceCount; i++)
        {
            var delta = choices[i].Field("delta");
            text = JsonNumbers.Append(text, JsonNumbers.String(delta.Field("content")));
            text = JsonNumbers.Append(text, JsonNumbers.String(delta.Field("reasoning_content")));
            text = JsonNumbers.Append(text, JsonNumbers.String(delta.Field("refusal")));
            if (delta.Field("tool_calls") is { ValueKind: JsonValueKind.Array } calls)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    text = JsonNumbers.Append(text, JsonNumbers.String(call.Field("function").Field("arguments")));
                }
            }
        }

        if (OpenAiUsage.Map(JsonNumbers.Node(chunk.Field("usage"))) is { } usage)
        {
            Usage = usage;

            // The usage-only chunk the gateway asked for on the client's behalf is not the client's to see.
            return (text, clientAskedUsage || choiceCount > 0);
        }

        return (text, true);
    }
}
