using Tollgate.Core.Catalogs;
using Tollgate.Core.Events;
using Tollgate.Core.Rating;

namespace Tollgate.Core.Tests.Rating;

/// <summary>The numbers of the seed documents, priced with the built-in catalogs.</summary>
public sealed class SeedAcceptanceTests
{
    private static RatedCharge RateOk(string book, UsageEvent e, RatingContext? context = null)
    {
        var result = Rater.Rate(e, BuiltInCatalogs.Get(book), context ?? RatingContext.Default);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Charge;
    }

    [Fact]
    public void Rate_Gpt41PlatformKey_ChargesInputPlusOutputCredits()
    {
        var charge = RateOk("gptbots", TestEvents.Llm("GPT-4.1-1M", 1_000, 1_000));

        Assert.Equal(1.10m, charge.Total);
        Assert.Equal("credits", charge.Unit);
        Assert.Equal("gptbots@1", charge.PriceBook);
        Assert.Collection(
            charge.Lines,
            l => (l.Meter, l.Amount).ShouldBe((Meters.InputTokens, 0.22m)),
            l => (l.Meter, l.Amount).ShouldBe((Meters.OutputTokens, 0.88m)));
    }

    [Fact]
    public void Rate_Gpt4oMiniOwnKey_ChargesOwnKeyPrices()
    {
        var charge = RateOk("gptbots", TestEvents.Llm("GPT-4o-mini-128k", 1_000_000, 1_000_000, KeyModes.Own));

        Assert.Equal(7.5m, charge.Total);
        Assert.Equal([1.5m, 6m], charge.Lines.Select(l => l.Amount));
    }

    [Theory]
    [InlineData("GPT-5.0-Mini-400k", 10, 20)] // own input 0.0125 > 0.01 maximum; output 0.02 under the 0.1 maximum
    [InlineData("Azure/GPT-Audio", 10, 100)] // own 0.4 / 0.8 -> 0.01 / 0.1
    [InlineData("Moonshot-V1-128K", 10, 85.7)] // own 0.0857 input capped; output 0.0857 is under 0.1
    public void Rate_OwnKeyPriceAboveMaximum_IsCappedToMaximum(string model, decimal inputCredits, decimal outputCredits)
    {
        var charge = RateOk("gptbots", TestEvents.Llm(model, 1_000_000, 1_000_000, KeyModes.Own) with
        {
            Type = model.Contains("Audio", StringComparison.Ordinal) ? BillingTypes.LlmAudio : BillingTypes.LlmText,
        });

        Assert.Equal(inputCredits, charge.Lines[0].Amount);
        Assert.Equal(outputCredits, charge.Lines[1].Amount);
        Assert.Contains(charge.Lines[0].Modifiers, m => m.Kind == "cap");
    }

    [Fact]
    public void Rate_OwnKeyPriceUnderMaximum_IsNotCapped()
    {
        var charge = RateOk("gptbots", TestEvents.Llm("GPT-4.1-mini-1M", 1_000, 1_000, KeyModes.Own));

        Assert.Equal(0.004m + 0.016m, charge.Total);
        Assert.DoesNotContain(charge.Lines.SelectMany(l => l.Modifiers), m => m.Kind == "cap");
    }

    [Fact]
    public void Rate_WhisperLargeV3_Charges120SecondsAsTwoMinutes()
    {
        var e = TestEvents.Make(BillingTypes.Asr, "Whisper Large-V3", TestEvents.Usage((Meters.AudioSeconds, 120)));

        Assert.Equal(1.76m, RateOk("gptbots", e).Total);
    }

    [Theory]
    [InlineData("TTS")]
    [InlineData("OpenAI/TTS")]
    [InlineData("openai/tts")]
    [InlineData("Azure/Speech")]
    public void Rate_Tts2000Characters_Charges330Credits(string model)
    {
        var e = TestEvents.Make(BillingTypes.Tts, model, TestEvents.Usage((Meters.Characters, 2_000)));

        Assert.Equal(3.30m, RateOk("gptbots", e).Total);
    }

    [Fact]
    public void Rate_CozeGpt4o32kThreeCalls_Charges10Point5Credits()
    {
        var e = TestEvents.Make(BillingTypes.LlmText, "GPT-4o (32k)", TestEvents.Usage((Meters.Calls, 3)));

        Assert.Equal(10.5m, RateOk("coze-credits", e).Total);
    }

    [Theory]
    [InlineData(Plans.Free, 1)]
    [InlineData(Plans.Premium, 0.1)]
    public void Rate_CozeGpt4oMini_DependsOnPlan(string plan, decimal expected)
    {
        var e = TestEvents.Make(BillingTypes.LlmText, "GPT-4o mini", TestEvents.Usage((Meters.Calls, 1)));

        var charge = RateOk("coze-credits", e, new RatingContext(plan));

        Assert.Equal(expected, charge.Total);
        Assert.Contains(charge.Lines[0].Modifiers, m => m.Kind == "plan");
    }

    [Fact]
    public void Rate_CozeEventWithoutCallsCount_ChargesOneCallAndIgnoresTokens()
    {
        var e = TestEvents.Make(BillingTypes.LlmText, "DeepSeek-V3", TestEvents.Usage((Meters.InputTokens, 5000), (Meters.OutputTokens, 300)));

        var charge = RateOk("coze-credits", e);

        Assert.Equal(2.3m, charge.Total);
        var line = Assert.Single(charge.Lines);
        Assert.Equal(Meters.Calls, line.Meter);
        Assert.Contains(line.Modifiers, m => m.Kind == "default_quantity");
    }

    [Fact]
    public void Rate_QwenMaxMillionEach_Charges12Yuan()
    {
        var charge = RateOk("agent-voice", TestEvents.Llm("Qwen-Max", 1_000_000, 1_000_000));

        Assert.Equal("CNY", charge.Unit);
        Assert.Equal([2.40m, 9.60m], charge.Lines.Select(l => l.Amount));
        Assert.Equal(12.00m, charge.Total);
    }

    [Fact]
    public void Rate_AsrHalfHourAtFiveYuanPerHour_Charges2Point5Yuan()
    {
        var e = TestEvents.Make(BillingTypes.Asr, "AISpeech", TestEvents.Usage((Meters.AudioSeconds, 1_800)));

        Assert.Equal(2.50m, RateOk("agent-voice", e).Total);
    }

    [Fact]
    public void Rate_UsdPricedModelInCnyBook_ConvertsAtSevenPointThree()
    {
        var charge = RateOk("agent-voice", TestEvents.Llm("GPT-4o", 1_000_000, 0));

        Assert.Equal(18.25m, charge.Total); // $2.50 x 7.3
        var line = Assert.Single(charge.Lines);
        Assert.Equal("USD", line.Currency);
        Assert.Contains(line.Modifiers, m => m.Kind == "exchange" && m.Factor == 7.3m);
    }

    [Fact]
    public void Rate_AzureTtsPerThousandCharacters_ConvertsUsdToCny()
    {
        var e = TestEvents.Make(BillingTypes.Tts, "Azure", TestEvents.Usage((Meters.Characters, 10_000)));

        Assert.Equal(1.095m, RateOk("agent-voice", e).Total); // 10 x $0.015 x 7.3
    }

    [Fact]
    public void Rate_VectorStorage_ChargesPerThousandTokenDays()
    {
        var e = TestEvents.Make(BillingTypes.KnowledgeStorage, "Vector Storage", TestEvents.Usage((Meters.StoredTokenDays, 2_000_000)));

        Assert.Equal(2m, RateOk("gptbots", e).Total);
    }

    [Fact]
    public void Rate_ModerationRequest_ChargesPerCall()
    {
        var e = TestEvents.Make(BillingTypes.Moderation, "Omni-moderation", TestEvents.Usage((Meters.Calls, 10_000)));

        Assert.Equal(1m, RateOk("gptbots", e).Total);
    }
}
