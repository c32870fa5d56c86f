using System.Globalization;
using NodaTime;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Catalogs.Import;
using Tollgate.Core.Events;
using Tollgate.Core.Rating;

namespace Tollgate.Core.Tests.Catalogs;

/// <summary>
/// LiteLLM's price map (a committed excerpt, Fixtures/litellm) imported into a price book: it validates, every entry
/// left out is listed with its reason, prices are exact decimals, and twenty costs computed by hand with LiteLLM's
/// formula equal what Tollgate charges. LiteLLM's formula (litellm_core_utils/llm_cost_calc/utils.py): cost = text
/// prompt tokens x input_cost_per_token + cached x cache_read_input_token_cost + cache writes x
/// cache_creation_input_token_cost (1 h: ..._above_1hr) + audio x input_cost_per_audio_token + completion tokens x
/// output_cost_per_token (audio x output_cost_per_audio_token); above a threshold (prompt_tokens > N, >= N for xAI)
/// every rate of the request is the _above_Nk_tokens rate; a service tier uses the field with its suffix.
/// </summary>
public sealed class LiteLlmImportTests
{
    private static readonly Instant Effective = Instant.FromUtc(2025, 1, 1, 0, 0);

    private static readonly LiteLlmImportResult Result = LiteLlmImport.Import(
        File.ReadAllText(RepoPaths.Fixture(Path.Combine("litellm", "model_prices_excerpt.json"))), "litellm", Effective);

    private static readonly PriceBook Book = PriceBookReader.ReadYaml(Result.Yaml).Book!;

    [Fact]
    public void Import_Excerpt_ValidatesAndCountsEveryEntry()
    {
        var read = PriceBookReader.ReadYaml(Result.Yaml);

        Assert.True(read.IsSuccess, string.Join("\n", read.Errors));
        Assert.Equal(40, Result.Entries);
        Assert.Equal(34, Result.Imported);
        Assert.Equal(34, read.Book!.Latest.Items.Count);
        Assert.Equal(Result.Entries, Result.Imported + Result.Skipped.Count);
        Assert.Equal("USD", read.Book.Latest.Settlement.Unit);
    }

    [Theory]
    [InlineData("sample_spec", "documents the fields")]
    [InlineData("dataforseo/search", "mode 'search'")]
    [InlineData("azure_ai/mistral-document-ai-2505", "mode 'ocr'")]
    [InlineData("fireworks-ai-4.1b-to-16b", "no mode")]
    [InlineData("dashscope/qwen-flash", "tiered_pricing")]
    [InlineData("bedrock/us-east-1/1-month-commitment/anthropic.claude-v2:1", "input_cost_per_second")]
    public void Import_EntryItCannotExpress_IsListedWithTheReason(string name, string reason)
    {
        var skipped = Assert.Single(Result.Skipped, s => s.Name == name);
        Assert.Contains(reason, skipped.Reason, StringComparison.Ordinal);
        Assert.Null(Book.Latest.Find(BillingTypes.LlmText, name));
    }

    [Theory]
    [InlineData("gpt-4o", "input_cost_per_token_batches")]
    [InlineData("gpt-4o-mini", "priority prices are not one exact multiple")]
    [InlineData("claude-sonnet-4-5", "search_context_cost_per_query")]
    [InlineData("whisper-1", "output_cost_per_second")]
    [InlineData("xai/grok-2-vision", "input_cost_per_image")]
    public void Import_PriceItCannotExpress_IsListedForItsEntry(string name, string field)
    {
        var partial = Assert.Single(Result.Partial, p => p.Name == name);
        Assert.Contains(partial.Fields, f => f.Contains(field, StringComparison.Ordinal));
    }

    [Fact]
    public void Import_ReadsPricesAsExactDecimals()
    {
        var tts = Book.Latest.Find(BillingTypes.Tts, "tts-1")!;
        var dalle = Book.Latest.Find(BillingTypes.ImageGeneration, "1024-x-1024/dall-e-2")!;

        Assert.Equal(0.000015m, tts.Prices[Meters.Characters].Price);
        Assert.Equal(0.019m, dalle.Prices[Meters.Megapixels].Price);
        Assert.Equal(0.028m, Book.Latest.Find(BillingTypes.LlmText, "deepseek/deepseek-chat")!.Prices[Meters.CachedInputTokens].Price);
        Assert.Equal(1_000_000m, Book.Latest.Find(BillingTypes.LlmText, "gpt-4o")!.Prices[Meters.InputTokens].Per);
    }

    /// <summary>Each expected cost is LiteLLM's formula over the JSON's per-token prices, written out.</summary>
    [Theory]
    // 1000 x 2.5e-06 + 500 x 1e-05
    [InlineData("gpt-4o", "llm_text", "input_tokens=1000 output_tokens=500", "", "0.0075")]
    // (10000 - 8000) x 2.5e-06 + 8000 x 1.25e-06 + 200 x 1e-05
    [InlineData("gpt-4o", "llm_text", "input_tokens=10000 cached_input_tokens=8000 output_tokens=200", "", "0.017")]
    // priority: 1000 x 4.25e-06 + 500 x 1.7e-05
    [InlineData("gpt-4o", "llm_text", "input_tokens=1000 output_tokens=500", "priority=true", "0.01275")]
    // flex: 6000 x 6.25e-07 + 4000 x 6.25e-08 + 1000 x 5e-06
    [InlineData("gpt-5", "llm_text", "input_tokens=10000 cached_input_tokens=4000 output_tokens=1000", "service_tier=flex", "0.009")]
    // priority: 6000 x 2.5e-06 + 4000 x 2.5e-07 + 1000 x 2e-05
    [InlineData("gpt-5", "llm_text", "input_tokens=10000 cached_input_tokens=4000 output_tokens=1000", "priority=true", "0.036")]
    // reasoning has no price of its own: billed as output, 2000 x 2e-06 + 3000 x 8e-06
    [InlineData("o3", "llm_text", "input_tokens=2000 output_tokens=3000 reasoning_tokens=2500", "", "0.028")]
    // 20000 x 3e-06 + 10000 x 3e-07 (read) + 20000 x 3.75e-06 (5 min write) + 1000 x 1.5e-05
    [InlineData("claude-sonnet-4-5", "llm_text", "input_tokens=50000 cached_input_tokens=10000 cache_write_tokens=20000 output_tokens=1000", "", "0.153")]
    // 10000 x 3e-06 + 30000 x 6e-06 (1 h write)
    [InlineData("claude-sonnet-4-5", "llm_text", "input_tokens=40000 cache_write_1h_tokens=30000", "", "0.21")]
    // exactly 200000 is not above: 200000 x 3e-06 + 100 x 1.5e-05
    [InlineData("claude-sonnet-4-5", "llm_text", "input_tokens=200000 output_tokens=100", "", "0.6015")]
    // above 200k, every rate: 200000 x 6e-06 + 50000 x 6e-07 + 2000 x 2.25e-05
    [InlineData("claude-sonnet-4-5", "llm_text", "input_tokens=250000 cached_input_tokens=50000 output_tokens=2000", "", "1.275")]
    // above 200k with a 1 h write: 200000 x 6e-06 + 10000 x 1.2e-05
    [InlineData("claude-sonnet-4-5", "llm_text", "input_tokens=210000 cache_write_1h_tokens=10000", "", "1.32")]
    // 300000 x 2.5e-06 + 1000 x 1.5e-05
    [InlineData("gemini-2.5-pro", "llm_text", "input_tokens=300000 output_tokens=1000", "", "0.765")]
    // above 272k and priority: 300000 x 1e-05 + 1000 x 4.5e-05
    [InlineData("azure_ai/gpt-5.4", "llm_text", "input_tokens=300000 output_tokens=1000", "priority=true", "3.045")]
    // xAI's threshold is inclusive: 128000 x 6e-06 + 100 x 3e-05
    [InlineData("xai/grok-4-0709", "llm_text", "input_tokens=128000 output_tokens=100", "", "0.771")]
    // one token below: 127999 x 3e-06 + 100 x 1.5e-05
    [InlineData("xai/grok-4-0709", "llm_text", "input_tokens=127999 output_tokens=100", "", "0.385497")]
    // 400 x 2.5e-06 + 600 x 4e-05 (audio in) + 100 x 1e-05 + 400 x 8e-05 (audio out)
    [InlineData("gpt-4o-audio-preview", "llm_audio", "input_tokens=1000 audio_input_tokens=600 output_tokens=500 audio_output_tokens=400", "", "0.058")]
    // (10000 - 9000) x 2.8e-07 + 9000 x 2.8e-08 + 100 x 4.2e-07
    [InlineData("deepseek/deepseek-chat", "llm_text", "input_tokens=10000 cached_input_tokens=9000 output_tokens=100", "", "0.000574")]
    // 90 s x 0.0001
    [InlineData("whisper-1", "asr", "audio_seconds=90", "", "0.009")]
    // 1234 characters x 1.5e-05
    [InlineData("tts-1", "tts", "characters=1234", "", "0.01851")]
    // 1024 x 1024 pixels x 1.9e-08
    [InlineData("1024-x-1024/dall-e-2", "image_generation", "megapixels=1.048576", "", "0.019922944")]
    public void Rate_ImportedBook_EqualsLiteLlmFormula(string model, string type, string usage, string attributes, string expected)
    {
        var e = TestEvents.Make(type, model, Pairs(usage).ToDictionary(p => p.Key, p => decimal.Parse(p.Value, CultureInfo.InvariantCulture)), attributes: Pairs(attributes));

        var rated = Rater.Rate(e, Book, new RatingContext());

        Assert.True(rated.IsSuccess, rated.Error?.Message);
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), rated.Charge.Subtotal);
    }

    private static Dictionary<string, string> Pairs(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
