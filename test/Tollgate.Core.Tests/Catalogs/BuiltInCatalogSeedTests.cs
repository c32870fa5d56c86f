using System.Globalization;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Events;
using Tollgate.Core.Tests.Fixtures;

namespace Tollgate.Core.Tests.Catalogs;

/// <summary>
/// Reads every row of every price table of the seed documents (transcribed into Fixtures/seed-prices.csv) and
/// checks the built-in catalog against it, so a typo in a catalog file (or a row left out) fails here.
/// </summary>
public sealed class BuiltInCatalogSeedTests
{
    private static readonly PriceBookVersion Gptbots = BuiltInCatalogs.Get("gptbots").Latest;
    private static readonly PriceBookVersion Coze = BuiltInCatalogs.Get("coze-credits").Latest;
    private static readonly PriceBookVersion AgentVoice = BuiltInCatalogs.Get("agent-voice").Latest;

    [Fact]
    public void Gptbots_LlmTable_EveryRowMatchesBothKeyModes()
    {
        var rows = SeedPrices.Table("gptbots_llm");

        Assert.Equal(98, rows.Count);
        foreach (var (name, row) in rows)
        {
            var item = Gptbots.Find(BillingTypes.LlmText, name) ?? Gptbots.Find(BillingTypes.LlmAudio, name);
            Assert.True(item is not null, $"row '{name}' has no catalog item");
            Assert.Equal(name, $"{item.Brand}/{item.Model}");
            AssertKeyMode(item, KeyModes.Platform, row["platform_input"], row["platform_output"], name);
            AssertKeyMode(item, KeyModes.Own, row["own_input"], row["own_output"], name);
            Assert.All(item.KeyModes.Values.Where(v => v is not null).SelectMany(v => v!.Values), p => Assert.Equal(1000m, p.Per));
        }

        var llmItems = Gptbots.Items.Count(i => i.Types.Contains(BillingTypes.LlmText));
        Assert.Equal(rows.Count, llmItems);
    }

    [Fact]
    public void Gptbots_OwnKeyCap_MatchesStatedMaximum()
    {
        var cap = Assert.Single(Gptbots.Caps);
        Assert.Equal(KeyModes.Own, cap.KeyMode);
        Assert.Equal((0.01m, 1000m), (cap.Prices[Meters.InputTokens].Price, cap.Prices[Meters.InputTokens].Per));
        Assert.Equal((0.1m, 1000m), (cap.Prices[Meters.OutputTokens].Price, cap.Prices[Meters.OutputTokens].Per));
    }

    [Theory]
    [InlineData("gptbots_embedding", BillingTypes.Embedding, Meters.InputTokens, 1000, 5)]
    [InlineData("gptbots_rerank", BillingTypes.Rerank, Meters.InputTokens, 1000, 3)]
    [InlineData("gptbots_asr", BillingTypes.Asr, Meters.AudioSeconds, 60, 5)]
    [InlineData("gptbots_tts", BillingTypes.Tts, Meters.Characters, 1000, 5)]
    [InlineData("gptbots_moderation", BillingTypes.Moderation, Meters.Calls, 1, 1)]
    public void Gptbots_ServiceTable_EveryRowMatches(string table, string type, string meter, int per, int expectedRows)
    {
        var rows = SeedPrices.Table(table);

        Assert.Equal(expectedRows, rows.Count);
        var items = Gptbots.Items.Where(i => i.Types.Contains(type)).ToList();
        Assert.Equal(rows.Count, items.Count);
        foreach (var (name, row) in rows)
        {
            var item = items.SingleOrDefault(i => $"{i.Brand} {i.Model}" == name);
            Assert.True(item is not null, $"row '{name}' has no {type} item named '{name}'");
            Assert.Equal(Number(row["platform"]), item.KeyModes[KeyModes.Platform]![meter].Price);
            Assert.Equal(Number(row["own"]), item.KeyModes[KeyModes.Own]![meter].Price);
            Assert.Equal(per, item.KeyModes[KeyModes.Platform]![meter].Per);
        }
    }

    [Fact]
    public void Gptbots_VectorStorage_MatchesPerThousandTokensPerDay()
    {
        var (name, row) = Assert.Single(SeedPrices.Table("gptbots_vector_storage"));
        var item = Gptbots.Find(BillingTypes.KnowledgeStorage, name)!;

        Assert.Equal(Number(row["price"]), item.Prices[Meters.StoredTokenDays].Price);
        Assert.Equal(1000m, item.Prices[Meters.StoredTokenDays].Per);
    }

    [Fact]
    public void Coze_CreditsPerCallTable_EveryRowMatches()
    {
        var rows = SeedPrices.Table("coze_calls");

        Assert.Equal(17, rows.Count);
        Assert.Equal(rows.Count, Coze.Items.Count);
        foreach (var (name, row) in rows)
        {
            var item = Coze.Find(BillingTypes.LlmText, name);
            Assert.True(item is not null, $"row '{name}' has no catalog item");
            Assert.Equal(name, item.Model);
            if (row.TryGetValue("price", out var price))
            {
                Assert.Equal(Number(price), item.Prices[Meters.Calls].Price);
            }
            else
            {
                Assert.Equal(Number(row["free"]), item.Plans[Plans.Free]![Meters.Calls].Price);
                Assert.Equal(Number(row["premium"]), item.Plans[Plans.Premium]![Meters.Calls].Price);
            }
        }
    }

    [Fact]
    public void AgentVoice_ModelTable_EveryRowMatchesCurrencyAndPrice()
    {
        // The document names a model's input row "BrandModel" and its output row "Model".
        var rows = SeedPrices.Table("agentvoice_llm")
            .SelectMany(r => new[] { "input", "output" }.Where(r.Fields.ContainsKey).Select(io => (r.Name, io, Price: r.Fields[io], Currency: r.Fields[io + "_currency"])))
            .ToList();

        Assert.Equal(22, rows.Count);
        Assert.Equal(11, AgentVoice.Items.Count(i => i.Types.Contains(BillingTypes.LlmText)));
        foreach (var (name, io, text, currency) in rows)
        {
            var item = AgentVoice.Items.Single(i => i.Types.Contains(BillingTypes.LlmText) && (name == i.Model || name == i.Brand + i.Model));
            var meter = io == "input" ? Meters.InputTokens : Meters.OutputTokens;
            var price = item.Prices[meter];
            Assert.Equal(1_000_000m, price.Per);
            if (text == "-")
            {
                Assert.True(price.NotOffered, $"{name} {meter} should not be offered");
            }
            else
            {
                Assert.Equal(Number(text), price.Price);
                Assert.Equal(currency, price.Currency);
            }
        }
    }

    [Theory]
    [InlineData("agentvoice_asr", BillingTypes.Asr, Meters.AudioSeconds, 3600, 2)]
    [InlineData("agentvoice_tts", BillingTypes.Tts, Meters.Characters, 1000, 3)]
    public void AgentVoice_VoiceTables_EveryRowMatches(string table, string type, string meter, int per, int expectedRows)
    {
        var rows = SeedPrices.Table(table);

        Assert.Equal(expectedRows, rows.Count);
        foreach (var (name, row) in rows)
        {
            var item = AgentVoice.Find(type, name);
            Assert.True(item is not null, $"vendor '{name}' has no {type} item");
            var price = item.Prices[meter];
            Assert.Equal(Number(row["price"]), price.Price);
            Assert.Equal(row["currency"], price.Currency);
            Assert.Equal(per, price.Per);
        }
    }

    private static void AssertKeyMode(PriceItem item, string mode, string input, string output, string row)
    {
        var set = item.KeyModes[mode];
        if (input == "-" && output == "-")
        {
            Assert.True(set is null, $"{row}: {mode} key should not be offered");
            return;
        }

        Assert.True(set is not null, $"{row}: {mode} key prices missing");
        Assert.Equal(Number(input), set[Meters.InputTokens].Price);
        Assert.Equal(Number(output), set[Meters.OutputTokens].Price);
    }

    private static decimal Number(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);
}
