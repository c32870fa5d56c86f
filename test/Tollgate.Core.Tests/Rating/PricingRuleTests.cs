using Tollgate.Core.Catalogs;
using Tollgate.Core.Events;
using Tollgate.Core.Rating;

namespace Tollgate.Core.Tests.Rating;

/// <summary>The pricing rules of the gateway seed (004): multiples, request-field multipliers, discounts, tiers, per-unit methods.</summary>
public sealed class PricingRuleTests
{
    private const string Book = """
        id: rules
        versions:
          - version: "1"
            effective_from: 2025-01-01T00:00:00Z
            settlement: { unit: USD, scale: 6 }
            channel_discounts: { partner: 0.9 }
            groups:
              - types: [llm_text]
                per: 1K
                currency: USD
                items:
                  - model: demo
                    prices:
                      input_tokens: 1
                      output_tokens: 2
                      cached_input_tokens: { multiple_of: input_tokens, factor: 0.1 }
                    attribute_multipliers:
                      - { attribute: priority, equals: "true", factor: 1.8 }
              - types: [video_generation]
                per: 1
                currency: USD
                items:
                  - { model: flat, prices: { video_seconds: 1 } }
        """;

    private static readonly PriceBook Rules = PriceBookReader.ReadYaml(Book).Book!;

    private static readonly PriceBook Gateway = PriceBookReader.ReadYaml(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "examples", "gateway-usd.yaml"))).Book!;

    private static RatedCharge RateOk(PriceBook book, UsageEvent e, RatingContext? context = null)
    {
        var result = Rater.Rate(e, book, context ?? RatingContext.Default);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Charge;
    }

    [Fact]
    public void Rate_CachedTokensAtMultiple_BillsCachedPartAndRestSeparately()
    {
        var e = TestEvents.Make(BillingTypes.LlmText, "demo", TestEvents.Usage((Meters.InputTokens, 10_000), (Meters.CachedInputTokens, 8_000)));

        var charge = RateOk(Rules, e);

        Assert.Equal(2.8m, charge.Total);
        Assert.Collection(
            charge.Lines,
            l => (l.Meter, l.Quantity, l.Amount).ShouldBe((Meters.InputTokens, 2_000m, 2m)),
            l => (l.Meter, l.Quantity, l.Amount).ShouldBe((Meters.CachedInputTokens, 8_000m, 0.8m)));
    }

    [Fact]
    public void Rate_PriorityAttribute_MultipliesBy1Point8()
    {
        var attributes = new Dictionary<string, string> { ["priority"] = "TRUE" };
        var e = TestEvents.Make(BillingTypes.LlmText, "demo", TestEvents.Usage((Meters.InputTokens, 10_000), (Meters.CachedInputTokens, 8_000)), attributes: attributes);

        Assert.Equal(5.04m, RateOk(Rules, e).Total); // 2.8 x 1.8
    }

    [Fact]
    public void Rate_ChannelAndUserDiscount_Multiply()
    {
        var e = TestEvents.Make(BillingTypes.VideoGeneration, "flat", TestEvents.Usage((Meters.VideoSeconds, 10)), channel: "partner");

        var charge = RateOk(Rules, e, new RatingContext(UserDiscount: 0.8m));

        Assert.Equal(7.2m, charge.Total); // 10 x 0.9 x 0.8
        Assert.Equal(["channel_discount", "user_discount"], charge.Lines[0].Modifiers.Select(m => m.Kind));
    }

    [Fact]
    public void Rate_CachedTokensOnModelWithoutCachePrice_BillsThemAsInput()
    {
        var e = TestEvents.Make(BillingTypes.LlmText, "GPT-4.1-1M", TestEvents.Usage((Meters.InputTokens, 1_000), (Meters.CachedInputTokens, 600)));

        var charge = Rater.Rate(e, BuiltInCatalogs.Get("gptbots"), RatingContext.Default).Charge!;

        Assert.Equal(0.22m, charge.Total);
        Assert.Equal(1_000m, Assert.Single(charge.Lines).Quantity);
    }

    [Fact]
    public void Rate_ClaudeCacheWrites_PricedAsMultiplesOfInput()
    {
        var e = TestEvents.Make(BillingTypes.LlmText, "claude-sonnet-4", TestEvents.Usage(
            (Meters.InputTokens, 10_000), (Meters.CachedInputTokens, 4_000), (Meters.CacheWriteTokens, 2_000), (Meters.CacheWrite1hTokens, 1_000), (Meters.OutputTokens, 1_000)));

        var charge = RateOk(Gateway, e);

        // 3000 x 0.003 + 4000 x 0.0003 + 2000 x 0.00375 + 1000 x 0.006 (per 1K) + 1000 x 0.015
        Assert.Equal(0.009m + 0.0012m + 0.0075m + 0.006m + 0.015m, charge.Total);
    }

    [Fact]
    public void Rate_AboveContextTier_PricesWholeRequestAtTierRate()
    {
        var below = RateOk(Gateway, TestEvents.Llm("gemini-2.5-pro", 200_000, 1_000));
        var above = RateOk(Gateway, TestEvents.Llm("gemini-2.5-pro", 200_001, 1_000));

        Assert.Equal(0.25m + 0.01m, below.Total);
        Assert.Equal((200_001m * 0.0025m / 1000m) + 0.015m, above.Total);
        Assert.All(above.Lines, l => Assert.Contains(l.Modifiers, m => m.Kind == "tier"));
    }

    [Fact]
    public void Rate_ReasoningAudioAndImageParts_EachAtTheirPrice()
    {
        var e = TestEvents.Make(BillingTypes.LlmAudio, "gpt-4o", TestEvents.Usage(
            (Meters.InputTokens, 3_000), (Meters.AudioInputTokens, 1_000), (Meters.ImageInputTokens, 765),
            (Meters.OutputTokens, 2_000), (Meters.AudioOutputTokens, 500)));

        var charge = RateOk(Gateway, e);

        var amounts = charge.Lines.ToDictionary(l => l.Meter, l => l.Amount);
        Assert.Equal(1_235m * 0.0025m / 1000m, amounts[Meters.InputTokens]);
        Assert.Equal(1_000m * 0.04m / 1000m, amounts[Meters.AudioInputTokens]);
        Assert.Equal(765m * 0.0025m / 1000m, amounts[Meters.ImageInputTokens]);
        Assert.Equal(1_500m * 0.01m / 1000m, amounts[Meters.OutputTokens]);
        Assert.Equal(500m * 0.08m / 1000m, amounts[Meters.AudioOutputTokens]);
    }

    [Fact]
    public void Rate_PerMegapixelFromWidthAndHeight_ChargesPriceTimesArea()
    {
        var attributes = new Dictionary<string, string> { ["width"] = "1024", ["height"] = "1024" };
        var e = TestEvents.Make(BillingTypes.ImageGeneration, "flux-pro", new Dictionary<string, decimal>(), attributes: attributes);

        Assert.Equal(1.048576m * 0.05m, RateOk(Gateway, e).Total);
    }

    [Fact]
    public void Rate_PerImageInCny_ConvertsToUsd()
    {
        var e = TestEvents.Make(BillingTypes.ImageGeneration, "cogview-4", TestEvents.Usage((Meters.Images, 73)));

        Assert.Equal(0.99999999m, RateOk(Gateway, e).Total); // 73 x CNY 0.1 x 0.1369863 (1/7.3 to 7 places), rounded to 8 places
    }

    [Fact]
    public void Rate_PerSecondVideoWithPriority_Multiplies()
    {
        var attributes = new Dictionary<string, string> { ["priority"] = "1" };
        var e = TestEvents.Make(BillingTypes.VideoGeneration, "veo-3", TestEvents.Usage((Meters.VideoSeconds, 8)), attributes: attributes);

        Assert.Equal(8m * 0.75m * 1.8m, RateOk(Gateway, e).Total);
    }

    [Fact]
    public void Rate_PerRequestWithoutCalls_ChargesOnce()
    {
        var e = TestEvents.Make(BillingTypes.ImageGeneration, "midjourney-imagine", TestEvents.Usage((Meters.Images, 4)));

        var result = Rater.Rate(e, Gateway, RatingContext.Default);

        // images are not priced by a per-request item: that is an error, not a silent free meter
        Assert.Equal(ErrorCodes.UnpricedMeter, result.Error?.Code);
        Assert.Equal(0.1m, RateOk(Gateway, TestEvents.Make(BillingTypes.ImageGeneration, "midjourney-imagine", new Dictionary<string, decimal>())).Total);
    }

    [Fact]
    public void Rate_ModelMatchedByPattern_UsesPatternItem()
    {
        Assert.Equal(0.0125m, RateOk(Gateway, TestEvents.Llm("gpt-4o-2024-08-06", 1_000, 1_000)).Total);
    }
}
