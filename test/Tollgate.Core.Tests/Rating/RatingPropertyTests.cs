using System.Text;
using System.Text.Json;
using CsCheck;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Events;
using Tollgate.Core.Money;
using Tollgate.Core.Rating;

namespace Tollgate.Core.Tests.Rating;

/// <summary>Properties of rating over random events drawn from the built-in and example price books.</summary>
public sealed class RatingPropertyTests
{
    private static readonly PriceBook Gptbots = BuiltInCatalogs.Get("gptbots");
    private static readonly PriceBook Gateway = PriceBookReader.ReadYaml(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "examples", "gateway-usd.yaml"))).Book!;

    private static readonly PriceItem[] LlmItems = [.. Gptbots.Latest.Items.Where(i => i.Types.Contains(BillingTypes.LlmText) && i.KeyModes[KeyModes.Platform] is not null)];

    private static readonly Gen<decimal> Tokens = Gen.Long[0, 5_000_000].Select(l => (decimal)l);

    /// <summary>A token quantity, sometimes fractional, to exercise decimals beyond whole counts.</summary>
    private static readonly Gen<decimal> Quantity = Gen.OneOf(Tokens, Gen.Long[0, 10_000_000].Select(l => l / 1000m));

    private static readonly Gen<(PriceItem Item, string KeyMode, decimal In, decimal Out)> LlmCall =
        Gen.Select(Gen.Int[0, LlmItems.Length - 1], Gen.Bool, Quantity, Quantity)
            .Select((i, own, input, output) => (LlmItems[i], own ? KeyModes.Own : KeyModes.Platform, input, output));

    private static RatedCharge Rate(PriceBook book, PriceItem item, string keyMode, decimal input, decimal output) =>
        Rater.Rate(TestEvents.Llm(item.QualifiedName, input, output, keyMode), book, RatingContext.Default).Charge!;

    [Fact]
    public void Rate_PerUnitPrices_AreLinearInQuantity()
    {
        Gen.Select(LlmCall, Gen.Int[2, 1000]).Sample((call, k) =>
        {
            var once = Rate(Gptbots, call.Item, call.KeyMode, call.In, call.Out);
            var scaled = Rate(Gptbots, call.Item, call.KeyMode, call.In * k, call.Out * k);
            return scaled.Subtotal == once.Subtotal * k;
        });
    }

    [Fact]
    public void Rate_MoreUsage_NeverCostsLess()
    {
        Gen.Select(LlmCall, Tokens, Tokens).Sample((call, moreIn, moreOut) =>
        {
            var less = Rate(Gptbots, call.Item, call.KeyMode, call.In, call.Out);
            var more = Rate(Gptbots, call.Item, call.KeyMode, call.In + moreIn, call.Out + moreOut);
            return less.Total >= 0m && more.Total >= less.Total;
        });
    }

    [Fact]
    public void Rate_TotalRounding_ErrorBelowOneUnitOfScale()
    {
        var modes = Enum.GetValues<RoundingMode>();
        Gen.Select(LlmCall, Gen.Int[0, Settlement.MaxScale], Gen.Int[0, modes.Length - 1]).Sample((call, scale, mode) =>
        {
            var settlement = new Settlement("credits", scale, modes[mode]);
            var book = Gptbots with { Versions = [Gptbots.Latest with { Settlement = settlement }] };
            var charge = Rate(book, call.Item, call.KeyMode, call.In, call.Out);
            var error = Math.Abs(charge.Total - charge.Subtotal);
            var bound = modes[mode] is RoundingMode.HalfUp or RoundingMode.HalfEven ? settlement.Quantum / 2 : settlement.Quantum;
            return error <= bound && charge.Total == decimal.Round(charge.Total, scale) && charge.Subtotal == charge.Lines.Sum(l => l.Amount);
        });
    }

    [Fact]
    public void Rate_SameEvent_AlwaysSameCharge()
    {
        LlmCall.Sample(call => Json(Rate(Gptbots, call.Item, call.KeyMode, call.In, call.Out)) == Json(Rate(Gptbots, call.Item, call.KeyMode, call.In, call.Out)));
    }

    [Fact]
    public void Rate_TokenParts_BilledExactlyOnce()
    {
        // Every input token lands on exactly one line, whichever parts are priced separately.
        var parts = Gen.Select(Tokens, Gen.Double[0, 1], Gen.Double[0, 1], Gen.Double[0, 1]);
        parts.Sample((total, a, b, c) =>
        {
            var cached = decimal.Floor(total * (decimal)a / 3);
            var audio = decimal.Floor(total * (decimal)b / 3);
            var image = decimal.Floor(total * (decimal)c / 3);
            var e = TestEvents.Make(BillingTypes.LlmText, "gpt-4o", TestEvents.Usage(
                (Meters.InputTokens, total), (Meters.CachedInputTokens, cached), (Meters.AudioInputTokens, audio), (Meters.ImageInputTokens, image)));
            var charge = Rater.Rate(e, Gateway, RatingContext.Default).Charge!;
            return charge.Lines.Sum(l => l.Quantity) == total && charge.Lines.All(l => l.Amount >= 0m);
        });
    }

    private static string Json(RatedCharge charge)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            ChargeJson.WriteCharge(writer, charge);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
