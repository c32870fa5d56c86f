using Tollgate.Core.Catalogs;
using Tollgate.Core.Estimation;
using Tollgate.Core.Events;
using Tollgate.Core.Rating;

namespace Tollgate.Core.Tests.Estimation;

public sealed class EstimationTests
{
    [Theory]
    [InlineData(2000, 500, 4, 765)] // the pricing document's example
    [InlineData(1024, 1024, 4, 765)]
    [InlineData(512, 512, 1, 255)]
    [InlineData(513, 1, 2, 425)]
    public void ImageTokens_Formula_MatchesDocument(int width, int height, long tiles, long tokens)
    {
        Assert.Equal(tiles, ImageTokens.Tiles(width, height));
        Assert.Equal(tokens, ImageTokens.For(width, height));
    }

    [Theory]
    [InlineData(TokenEstimator.O200kBase, "Hello, world!", 4)]
    [InlineData(TokenEstimator.Cl100kBase, "Hello, world!", 4)]
    [InlineData(TokenEstimator.Heuristic, "abcdefgh", 2)]
    public void Count_KnownText_MatchesTokenizer(string tokenizer, string text, long expected)
    {
        Assert.Equal(expected, TokenEstimator.Count(text, tokenizer, "en"));
    }

    [Theory]
    [InlineData("the quick brown fox jumps", "en", 7)] // 25 characters / 4, rounded up
    [InlineData("你好世界", "zh", 4)] // 1 token per Chinese character
    [InlineData("こんにちは", "ja", 5)]
    [InlineData("le chat noir dort", "fr", 5)] // 4 words x 1.2, rounded up
    [InlineData("Привет как дела", "ru", 4)] // 3 words x 1.2
    [InlineData("你好 hello", null, 4)] // mixed: 2 CJK + ceil(6 / 4)
    public void LanguageHeuristic_FollowsSeedRules(string text, string? language, long expected)
    {
        Assert.Equal(expected, LanguageHeuristic.Count(text, language));
    }

    [Fact]
    public void Rate_ContentWithImage_EstimatesAndMarksLines()
    {
        var content = new EventContent("Hello, world!", "Hi!", null, null, [new ImageSize(2000, 500)]);
        var e = TestEvents.Make(BillingTypes.LlmText, "GPT-4.1-1M", new Dictionary<string, decimal>(), content: content);

        var charge = Rater.Rate(e, BuiltInCatalogs.Get("gptbots"), RatingContext.Default).Charge!;

        Assert.True(charge.Estimated);
        var input = charge.Lines.Single(l => l.Meter == Meters.InputTokens);
        Assert.Equal(4m + 765m, input.Quantity);
        Assert.True(input.Estimated);
        Assert.Equal(2m, charge.Lines.Single(l => l.Meter == Meters.OutputTokens).Quantity);
    }

    [Fact]
    public void Rate_ExplicitCountsAndContent_ExplicitCountWins()
    {
        var content = new EventContent("Hello, world!", null, null, null, []);
        var e = TestEvents.Make(BillingTypes.LlmText, "GPT-4.1-1M", TestEvents.Usage((Meters.InputTokens, 1000)), content: content);

        var charge = Rater.Rate(e, BuiltInCatalogs.Get("gptbots"), RatingContext.Default).Charge!;

        Assert.False(charge.Estimated);
        Assert.Equal(0.22m, charge.Total);
    }
}
