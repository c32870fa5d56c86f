using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Tollgate.Gateway.OpenAi;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Tests;

/// <summary>
/// The chat meter reads each chunk in one pass, keeping only the names on its path. It must find exactly what a parsed
/// document shows: the deltas' text, the number of choices, an error, the usage. Random chunks carry the same names in
/// the wrong places, values of the wrong kinds, escapes and non-ASCII text.
/// </summary>
public sealed class ChatStreamMeterTests
{
    private static readonly Gen<string> Text = Gen.String[Gen.Char["ab \"\\é漢\n\u0001"], 0, 8];

    private static readonly Gen<JsonNode?> Noise = Gen.OneOf(
        Text.Select(t => (JsonNode?)t),
        Gen.Int[0, 9].Select(n => (JsonNode?)n),
        Gen.Const((JsonNode?)null),
        Text.Select(t => (JsonNode?)new JsonObject { ["content"] = t, ["delta"] = new JsonObject { ["content"] = t } }),
        Text.Select(t => (JsonNode?)new JsonArray("choices", new JsonObject { ["arguments"] = t })));

    private static readonly Gen<JsonNode?> ToolCall = Gen.Select(Text, Text, Noise, (name, arguments, noise) =>
        (JsonNode?)new JsonObject { ["index"] = 0, ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments }, ["extra"] = noise });

    private static readonly Gen<JsonNode?> Delta = Gen.OneOf(
        Gen.Select(Gen.Int[0, 31], Text, Text, Text, ToolCall.List[0, 2], Noise, (fields, content, reasoning, refusal, calls, noise) =>
        {
            var delta = new JsonObject();
            if ((fields & 1) != 0) delta["role"] = "assistant";
            if ((fields & 2) != 0) delta["content"] = content;
            if ((fields & 4) != 0) delta["reasoning_content"] = reasoning;
            if ((fields & 8) != 0) delta["refusal"] = refusal;
            if ((fields & 16) != 0) delta["tool_calls"] = new JsonArray([.. calls]);
            delta["meta"] = noise;
            return (JsonNode?)delta;
        }),
        Noise);

    private static readonly Gen<JsonNode?> Choice = Gen.OneOf(
        Gen.Select(Delta, Noise, (delta, noise) => (JsonNode?)new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = noise }),
        Noise);

    private static readonly Gen<JsonNode?> Usage = Gen.OneOf(
        Gen.Select(Gen.Int[0, 5000], Gen.Int[0, 5000], Gen.Int[0, 100], (input, output, cached) => (JsonNode?)new JsonObject
        {
            ["prompt_tokens"] = input, ["completion_tokens"] = output, ["total_tokens"] = input + output,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cached },
        }),
        Noise);

    private static readonly Gen<string> Chunk = Gen.Select(Gen.Int[0, 31], Choice.List[0, 3], Usage, Noise, Noise, (fields, choices, usage, error, noise) =>
    {
        var chunk = new JsonObject { ["id"] = "chatcmpl-1", ["object"] = "chat.completion.chunk" };
        if ((fields & 1) != 0) chunk["choices"] = new JsonArray([.. choices]);
        if ((fields & 2) != 0) chunk["usage"] = usage;
        if ((fields & 4) != 0) chunk["error"] = error;
        if ((fields & 8) != 0) chunk["meta"] = noise;
        if ((fields & 16) != 0) chunk["choices_extra"] = new JsonArray([.. choices.Select(c => c?.DeepClone())]);
        return chunk.ToJsonString();
    });

    [Fact]
    public void EachChunk_ReadsAsItsParsedDocumentShows()
    {
        Gen.Select(Chunk, Gen.Bool).Sample((json, asked) =>
        {
            var meter = new ChatStreamMeter(asked);
            var (text, relay) = meter.Observe(Event(json));
            var (expectedText, expectedRelay, expectedUsage, expectedFailed) = Model(json, asked);
            Assert.Equal(expectedText, text);
            Assert.Equal(expectedRelay, relay);
            Assert.Equal(expectedFailed, meter.Failed);
            Assert.Equal(expectedUsage?.OrderBy(p => p.Key), meter.Usage?.OrderBy(p => p.Key));
        }, iter: 2000);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]} trailing")]
    [InlineData("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]")]
    [InlineData("[1, 2]")]
    [InlineData("\"text\"")]
    public void AChunkThatIsNotAnObject_IsRelayedAndCountsNothing(string data)
    {
        var meter = new ChatStreamMeter(clientAskedUsage: false);
        Assert.Equal((string.Empty, true), meter.Observe(Event(data)));
        Assert.Null(meter.Usage);
        Assert.False(meter.Failed);
    }

    private static SseEvent Event(string data)
    {
        var bytes = Encoding.UTF8.GetBytes(data);
        return new SseEvent(bytes, null, bytes);
    }

    /// <summary>What the chunk's parsed document shows, read the plain way.</summary>
    private static (string Text, bool Relay, Dictionary<string, decimal>? Usage, bool Failed) Model(string json, bool asked)
    {
        var chunk = JsonNode.Parse(json)!.AsObject();
        if (chunk["error"] is not null)
        {
            return (string.Empty, true, null, true);
        }

        var text = new StringBuilder();
        var choices = chunk["choices"] as JsonArray;
        foreach (var delta in (choices ?? []).OfType<JsonObject>().Select(c => c["delta"]).OfType<JsonObject>())
        {
            foreach (var field in new[] { "content", "reasoning_content", "refusal" })
            {
                text.Append(delta[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null);
            }

            foreach (var call in (delta["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
            {
                text.Append(call["function"] is JsonObject f && f["arguments"] is JsonValue a && a.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : null);
            }
        }

        var usage = OpenAiUsage.Map(chunk["usage"]); // the usage object's own reader; what is tested here is finding it
        return (text.ToString(), usage is null || asked || (choices?.Count ?? 0) > 0, usage, false);
    }
}
