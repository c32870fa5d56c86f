using Tollgate.Core.Events;

namespace Tollgate.Core.Tests.Events;

public sealed class UsageEventParserTests
{
    private const string Valid = """
        {"id":"e1","tenant":"t1","subject":"user-7","time":"2025-03-01T10:00:00+08:00","type":"llm_text","model":"GPT-4.1-1M",
         "key_mode":"own","channel":"editor","attributes":{"priority":true,"n":2},"usage":{"input_tokens":1000,"output_tokens":"0.1"}}
        """;

    [Fact]
    public void Parse_ValidEvent_ReadsEveryField()
    {
        var result = UsageEventParser.Parse(Valid);

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        var e = result.Event!;
        Assert.Equal(("e1", "t1", "user-7", "llm_text", "GPT-4.1-1M", "own", "editor"), (e.Id, e.Tenant, e.Subject, e.Type, e.Model, e.KeyMode, e.Channel));
        Assert.Equal("2025-03-01T02:00:00Z", e.Instant.ToString());
        Assert.Equal(1000m, e.Usage["input_tokens"]);
        Assert.Equal(0.1m, e.Usage["output_tokens"]);
        Assert.Equal(("true", "2"), (e.Attributes["priority"], e.Attributes["n"]));
    }

    [Fact]
    public void Parse_OmittedKeyModeAndChannel_DefaultToPlatformAndApi()
    {
        var result = UsageEventParser.Parse("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"tts","model":"TTS","usage":{"characters":5}}""");

        Assert.Equal((KeyModes.Platform, Channels.Api), (result.Event!.KeyMode, result.Event.Channel));
    }

    [Fact]
    public void Parse_DecimalQuantity_IsExactNotFloatingPoint()
    {
        var result = UsageEventParser.Parse("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"asr","model":"m","usage":{"audio_seconds":0.1000000000000000055511151231257827}}""");

        Assert.Equal(0.1000000000000000055511151231m, result.Event!.Usage["audio_seconds"]);
    }

    [Fact]
    public void Parse_OnlyWidthAndHeightAttributes_IsAMeterForMegapixels()
    {
        var result = UsageEventParser.Parse("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"image_generation","model":"m","attributes":{"width":1024,"height":"768"}}""");

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        Assert.Empty(result.Event!.Usage);
    }

    [Theory]
    [InlineData("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"image_generation","model":"m","attributes":{"width":1024}}""")]
    [InlineData("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"image_generation","model":"m","attributes":{"width":0,"height":768}}""")]
    [InlineData("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"image_generation","model":"m","attributes":{"width":"wide","height":768}}""")]
    public void Parse_NoMeterAndNoWholeWidthAndHeight_IsMissingUsage(string json)
    {
        var result = UsageEventParser.Parse(json);

        Assert.Contains(result.Errors, e => e.Code == ErrorCodes.MissingField && e.Field == "usage");
    }

    [Theory]
    [InlineData("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"chat","model":"m","usage":{"calls":1}}""", ErrorCodes.UnknownType, "type")]
    [InlineData("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"tts","model":"m","usage":{"tokens":1}}""", ErrorCodes.UnknownMeter, "usage.tokens")]
    [InlineData("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"tts","model":"m","usage":{"characters":-1}}""", ErrorCodes.NegativeQuantity, "usage.characters")]
    [InlineData("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"tts","model":"m","usage":{"characters":"ten"}}""", ErrorCodes.InvalidField, "usage.characters")]
    [InlineData("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"tts","model":"m","usage":{"characters":1e30}}""", ErrorCodes.InvalidField, "usage.characters")]
    [InlineData("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"tts","model":"m","usage":{"characters":1e13}}""", ErrorCodes.QuantityTooLarge, "usage.characters")]
    [InlineData("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00","type":"tts","model":"m","usage":{"characters":1}}""", ErrorCodes.InvalidField, "time")]
    [InlineData("""{"id":"e","tenant":"t","time":"yesterday","type":"tts","model":"m","usage":{"characters":1}}""", ErrorCodes.InvalidField, "time")]
    [InlineData("""{"tenant":"t","time":"2025-01-01T00:00:00Z","type":"tts","model":"m","usage":{"characters":1}}""", ErrorCodes.MissingField, "id")]
    [InlineData("""{"id":"","tenant":"t","time":"2025-01-01T00:00:00Z","type":"tts","model":"m","usage":{"characters":1}}""", ErrorCodes.InvalidField, "id")]
    [InlineData("""{"id":7,"tenant":"t","time":"2025-01-01T00:00:00Z","type":"tts","model":"m","usage":{"characters":1}}""", ErrorCodes.InvalidField, "id")]
    [InlineData("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"tts","model":"m","key_mode":"mine","usage":{"characters":1}}""", ErrorCodes.InvalidField, "key_mode")]
    [InlineData("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"tts","model":"m"}""", ErrorCodes.MissingField, "usage")]
    [InlineData("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"tts","model":"m","usage":[1]}""", ErrorCodes.InvalidField, "usage")]
    [InlineData("""{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"tts","model":"m","usage":{"characters":1},"extra":1}""", ErrorCodes.InvalidField, "extra")]
    [InlineData("""[1,2]""", ErrorCodes.MalformedJson, "$")]
    [InlineData("""{"id":""", ErrorCodes.MalformedJson, "$")]
    public void Parse_BadInput_NamesFieldAndCode(string json, string code, string field)
    {
        var result = UsageEventParser.Parse(json);

        Assert.False(result.IsSuccess);
        Assert.Contains(result.Errors, e => e.Code == code && e.Field == field);
    }

    [Fact]
    public void Parse_SeveralMistakes_ReportsAllAndKeepsId()
    {
        var result = UsageEventParser.Parse("""{"id":"e9","time":"nope","type":"x","model":"m","usage":{"calls":-2}}""");

        Assert.Equal("e9", result.Id);
        Assert.Equal(["tenant", "time", "type", "usage.calls"], result.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }
}
