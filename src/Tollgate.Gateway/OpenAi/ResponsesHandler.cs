using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Gateway.Charging;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.OpenAi;

/// <summary>
/// <c>POST /openai/v1/responses</c>: OpenAI's Responses API, streamed and not. Its usage comes with the response (or
/// with the <c>response.completed</c> event of a stream), named input/output tokens.
/// </summary>
public sealed class ResponsesHandler(GatewayServices services) : OpenAiHandler(services)
{
    protected override string UpstreamPath => "responses";

    protected override long? RequestedMaxOutput(JsonObject body) => JsonNumbers.Count(body["max_output_tokens"]);

    protected override void CapOutput(JsonObject body, long max) => body["max_output_tokens"] = max;

    protected override string InputText(JsonObject body)
    {
        var text = new StringBuilder();
        AppendText(text, body["instructions"]);
        if (JsonNumbers.String(body["input"]) is { } plain)
        {
            text.Append(plain).Append('\n');
        }

        foreach (var item in (body["input"] as JsonArray ?? []).OfType<JsonObject>())
        {
            AppendText(text, item["content"]);
            text.Append(JsonNumbers.String(item["output"]) ?? JsonNumbers.String(item["arguments"]));
        }

        if (body["tools"] is JsonArray tools)
        {
            text.Append(tools.ToJsonString());
        }

        return text.ToString();
    }

    protected override int InputImageCount(JsonObject body) => CountTyped(body["input"], "input_image");

    protected override bool AsksPriority(JsonObject body) => JsonNumbers.String(body["service_tier"]) == "priority";

    protected override CallUsage UsageOf(JsonObject request, JsonElement answer) =>
        OpenAiUsage.Map(answer.Field("usage")) is { } meters ? CallUsage.Exact(meters) : CallUsage.Counted(OutputText(JsonNumbers.Node(answer)));

    protected override StreamMeter NewStreamMeter(JsonObject body) => new ResponsesStreamMeter();

    /// <summary>The text of a response's output items (messages' output_text parts).</summary>
    internal static string OutputText(JsonNode? response)
    {
        var text = new StringBuilder();
        foreach (var item in (response?["output"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var part in (item["content"] as JsonArray ?? []).OfType<JsonObject>())
            {
                text.Append(JsonNumbers.String(part["text"]));
            }

            text.Append(JsonNumbers.String(item["arguments"]));
        }

        return text.ToString();
    }
}
