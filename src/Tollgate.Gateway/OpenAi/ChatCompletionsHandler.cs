using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Gateway.Charging;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.OpenAi;

/// <summary>
/// <c>POST /openai/v1/chat/completions</c>: OpenAI's Chat Completions, passed through to OpenAI-compatible upstreams.
/// A streamed call always asks the upstream for its usage chunk (<c>stream_options.include_usage</c>), which is
/// dropped again when the client did not ask for it.
/// </summary>
public sealed class ChatCompletionsHandler(GatewayServices services) : OpenAiHandler(services)
{
    protected override string UpstreamPath => "chat/completions";

    protected override void Adjust(JsonObject sent, bool stream)
    {
        if (stream)
        {
            var options = sent["stream_options"] as JsonObject ?? new JsonObject();
            options["include_usage"] = true;
            sent["stream_options"] = options;
        }
    }

    protected override long? RequestedMaxOutput(JsonObject body)
    {
        var max = JsonNumbers.Count(body["max_completion_tokens"]) ?? JsonNumbers.Count(body["max_tokens"]);
        var choices = JsonNumbers.Count(body["n"]) ?? 1;
        return max is { } m ? checked(m * Math.Max(1, choices)) : null;
    }

    // The reservation covers every choice: each of n gets its share. The field the client used is rewritten (both when it sent both).
    protected override void CapOutput(JsonObject body, long max)
    {
        var each = Math.Max(1, max / Math.Max(1, JsonNumbers.Count(body["n"]) ?? 1));
        if (body["max_tokens"] is not null)
        {
            body["max_tokens"] = each;
        }

        if (body["max_completion_tokens"] is not null || body["max_tokens"] is null)
        {
            body["max_completion_tokens"] = each;
        }
    }

    protected override string InputText(JsonObject body)
    {
        var text = new StringBuilder();
        foreach (var message in (body["messages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            AppendText(text, message["content"]);
            foreach (var call in (message["tool_calls"] as JsonArray ?? []))
            {
                text.Append(JsonNumbers.String(call?["function"]?["arguments"])).Append('\n');
            }
        }

        if (body["tools"] is JsonArray tools)
        {
            text.Append(tools.ToJsonString());
        }

        return text.ToString();
    }

    protected override int InputImageCount(JsonObject body) => CountTyped(body["messages"], "image_url");

    protected override bool AsksPriority(JsonObject body) => JsonNumbers.String(body["service_tier"]) == "priority";

    protected override CallUsage UsageOf(JsonObject request, JsonElement answer)
    {
        if (OpenAiUsage.Map(answer.Field("usage")) is { } meters)
        {
            return CallUsage.Exact(meters);
        }

        var text = new StringBuilder();
        if (answer.Field("choices") is { ValueKind: JsonValueKind.Array } choices)
        {
            foreach (var choice in choices.EnumerateArray())
            {
                text.Append(JsonNumbers.String(choice.Field("message").Field("content")));
            }
        }

        return CallUsage.Counted(text.ToString());
    }

    protected override StreamMeter NewStreamMeter(JsonObject body) =>
        new ChatStreamMeter(body["stream_options"]?["include_usage"] is JsonValue v && v.TryGetValue<bool>(out var asked) && asked);
}
