using NodaTime;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Events;
using Tollgate.Core.Rating;

namespace Tollgate.Core.Tests.Rating;

public sealed class RatingErrorTests
{
    private static RatingError RateError(string book, UsageEvent e, RatingContext? context = null)
    {
        var result = Rater.Rate(e, BuiltInCatalogs.Get(book), context ?? RatingContext.Default);
        Assert.False(result.IsSuccess);
        return result.Error;
    }

    [Fact]
    public void Rate_UnknownModel_NamesModelAndType()
    {
        var error = RateError("gptbots", TestEvents.Llm("gpt-9", 1, 1));

        Assert.Equal(ErrorCodes.UnknownModel, error.Code);
        Assert.Equal("model", error.Field);
        Assert.Contains("gpt-9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rate_ModelOfAnotherType_IsUnknownForThisType()
    {
        var e = TestEvents.Make(BillingTypes.Embedding, "GPT-4.1-1M", TestEvents.Usage((Meters.InputTokens, 10)));

        Assert.Equal(ErrorCodes.UnknownModel, RateError("gptbots", e).Code);
    }

    [Fact]
    public void Rate_MeterNotPricedByItem_IsRejected()
    {
        var e = TestEvents.Make(BillingTypes.Asr, "Whisper Large-V3", TestEvents.Usage((Meters.Characters, 10)));

        var error = RateError("gptbots", e);

        Assert.Equal(ErrorCodes.UnpricedMeter, error.Code);
        Assert.Equal("usage.characters", error.Field);
    }

    [Fact]
    public void Rate_PartsExceedTotal_IsRejected()
    {
        var e = TestEvents.Make(BillingTypes.LlmText, "GPT-4.1-1M", TestEvents.Usage((Meters.InputTokens, 100), (Meters.CachedInputTokens, 80), (Meters.ImageInputTokens, 30)));

        var error = RateError("gptbots", e);

        Assert.Equal(ErrorCodes.PartsExceedTotal, error.Code);
        Assert.Equal("usage.input_tokens", error.Field);
        Assert.Contains("cached_input_tokens + image_input_tokens (110) exceed input_tokens (100)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rate_PartWithoutTotal_IsRejected()
    {
        var e = TestEvents.Make(BillingTypes.LlmText, "GPT-4.1-1M", TestEvents.Usage((Meters.ReasoningTokens, 5)));

        Assert.Equal(ErrorCodes.PartsExceedTotal, RateError("gptbots", e).Code);
    }

    [Theory]
    [InlineData("gptbots", "Gemma-3-27b", KeyModes.Platform)]
    [InlineData("agent-voice", "Mistral Large", KeyModes.Platform)]
    [InlineData("agent-voice", "Nova Pro", KeyModes.Own)]
    public void Rate_DashInSourceTable_IsNotOffered(string book, string model, string keyMode)
    {
        Assert.Equal(ErrorCodes.ModelNotOffered, RateError(book, TestEvents.Llm(model, 10, 10, keyMode)).Code);
    }

    [Fact]
    public void Rate_GemmaOwnKey_IsFree()
    {
        var result = Rater.Rate(TestEvents.Llm("Gemma-3-27b", 10_000, 10_000, KeyModes.Own), BuiltInCatalogs.Get("gptbots"), RatingContext.Default);

        Assert.Equal(0m, result.Charge?.Total);
    }

    [Fact]
    public void Rate_EventBeforeFirstVersion_IsRejected()
    {
        var e = TestEvents.Llm("GPT-4.1-1M", 1, 1) with { Time = new OffsetDateTime(new LocalDateTime(2019, 12, 31, 23, 59), Offset.Zero) };

        var error = RateError("gptbots", e);

        Assert.Equal(ErrorCodes.NoPriceBookVersion, error.Code);
        Assert.Equal("time", error.Field);
    }
}
