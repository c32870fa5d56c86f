using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace Tollgate.Gateway.Tests;

/// <summary>
/// The text of a Responses or Messages delta event, read in one pass (<see cref="JsonNumbers.DeltaText"/>), is what
/// the event's parsed document shows, with <c>delta</c> and its fields also in the wrong places and of the wrong kinds.
/// </summary>
public sealed class DeltaTextTests
{
    private static readonly Gen<string> Text = Gen.String[Gen.Char["ab \"\\é漢\n"], 0, 8];

    private static readonly Gen<JsonNode?> Value = Gen.OneOf(
        Text.Select(t => (JsonNode?)t),
        Gen.Int[0, 9].Select(n => (JsonNode?)n),
        Gen.Const((JsonNode?)null),
        Text.Select(t => (JsonNode?)new JsonObject { ["delta"] = t, ["text"] = t }),
        Text.Select(t => (JsonNode?)new JsonArray(t, new JsonObject { ["text"] = t })));

    private static readonly Gen<string> Field = Gen.Int[0, 3].Select(i => new[] { "text", "thinking", "partial_json", "type" }[i]);

    // One event: its type, maybe a delta (a string, an object with one field, or another value), and noise around it.
    private static readonly Gen<string> Event = Gen.Select(Gen.Int[0, 3], Text, Field, Value, Value, (shape, text, field, other, noise) =>
    {
        var e = new JsonObject { ["type"] = "delta_event", ["before"] = noise };
        e["delta"] = shape switch
        {
            0 => text,
            1 => new JsonObject { ["type"] = "text_delta", [field] = text, ["extra"] = noise?.DeepClone() },
            2 => other,
            _ => null,
        };
        if (shape == 3)
        {
            e.Remove("delta");
        }

        e["message"] = new JsonObject { ["delta"] = "not this", ["text"] = "nor this" };
        return e.ToJsonString();
    });

    [Fact]
    public void DeltaText_IsWhatTheParsedEventShows()
    {
        Event.Sample(json =>
        {
            var e = JsonNode.Parse(json)!;
            var delta = e["delta"];
            var plain = delta is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            string? Inner(string name) => delta is JsonObject o && o[name] is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : null;
            var bytes = Encoding.UTF8.GetBytes(json);
            Assert.Equal(plain, JsonNumbers.DeltaText(bytes));
            Assert.Equal(Inner("text") ?? Inner("thinking") ?? Inner("partial_json"), JsonNumbers.DeltaText(bytes, "text", "thinking", "partial_json"));
        }, iter: 2000);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"delta\":\"a\"} trailing")]
    [InlineData("{\"delta\":\"a\"")]
    [InlineData("[\"delta\"]")]
    public void DeltaText_OfWhatIsNotAJsonObject_IsNull(string data)
    {
        Assert.Null(JsonNumbers.DeltaText(Encoding.UTF8.GetBytes(data)));
        Assert.Null(JsonNumbers.DeltaText(Encoding.UTF8.GetBytes(data), "text"));
    }
}
