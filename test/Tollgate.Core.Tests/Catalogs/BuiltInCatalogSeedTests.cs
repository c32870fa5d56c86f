using System.Globalization;
using System.Text.RegularExpressions;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Events;

namespace Tollgate.Core.Tests.Catalogs;

/// <summary>
/// Reads every row of every price table in the seed documents and checks the built-in catalog against it, so a
/// typo in a catalog file (or a row left out) fails here.
/// </summary>
public sealed partial class BuiltInCatalogSeedTests
{
    private static readonly PriceBookVersion Gptbots = BuiltInCatalogs.Get("gptbots").Latest;
    private static readonly PriceBookVersion Coze = BuiltInCatalogs.Get("coze-credits").Latest;
    private static readonly PriceBookVersion AgentVoice = BuiltInCatalogs.Get("agent-voice").Latest;

    private static string[] SeedLines(string file) => File.ReadAllLines(RepoPaths.Seed(file));

    [Fact]
    public void Gptbots_LlmTable_EveryRowMatchesBothKeyModes()
    {
        var lines = SeedLines("001_af679cdb551883d5.txt");
        var start = Array.IndexOf(lines, "Input (GPTBots Key) Output (GPTBots Key) Input (Own Key) Output (Own Key)") + 1;
        var rows = lines.Skip(start).TakeWhile(l => !l.StartsWith("When using your Own Key", StringComparison.Ordinal)).Where(l => l.Trim().Length > 0).ToList();

        Assert.Equal(98, rows.Count);
        foreach (var row in rows)
        {
            var t = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var brand = t[0];
            var model = string.Join(' ', t[1..^4]);
            var item = Gptbots.Find(BillingTypes.LlmText, $"{brand}/{model}") ?? Gptbots.Find(BillingTypes.LlmAudio, $"{brand}/{model}");
            Assert.True(item is not null, $"row '{row}' has no catalog item");
            Assert.Equal((brand, model), (item.Brand, item.Model));
            AssertKeyMode(item, KeyModes.Platform, t[^4], t[^3], row);
            AssertKeyMode(item, KeyModes.Own, t[^2], t[^1], row);
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
    [InlineData("Embedding Service Pricing", BillingTypes.Embedding, Meters.InputTokens, 1000, 5)]
    [InlineData("Rerank Service Pricing", BillingTypes.Rerank, Meters.InputTokens, 1000, 3)]
    [InlineData("ASR Service Pricing", BillingTypes.Asr, Meters.AudioSeconds, 60, 5)]
    [InlineData("TTS Service Pricing", BillingTypes.Tts, Meters.Characters, 1000, 5)]
    [InlineData("Content Moderation Service Pricing", BillingTypes.Moderation, Meters.Calls, 1, 1)]
    public void Gptbots_ServiceTable_EveryRowMatches(string heading, string type, string meter, int per, int expectedRows)
    {
        var lines = SeedLines("001_af679cdb551883d5.txt");
        var start = Array.IndexOf(lines, heading);
        var rows = lines.Skip(start + 1)
            .SkipWhile(l => !l.EndsWith("Own Key", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => TwoPrices().IsMatch(l))
            .ToList();

        Assert.Equal(expectedRows, rows.Count);
        var items = Gptbots.Items.Where(i => i.Types.Contains(type)).ToList();
        Assert.Equal(rows.Count, items.Count);
        foreach (var row in rows)
        {
            var match = TwoPrices().Match(row);
            var name = match.Groups["name"].Value;
            var item = items.SingleOrDefault(i => $"{i.Brand} {i.Model}" == name);
            Assert.True(item is not null, $"row '{row}' has no {type} item named '{name}'");
            Assert.Equal(Number(match.Groups["platform"].Value), item.KeyModes[KeyModes.Platform]![meter].Price);
            Assert.Equal(Number(match.Groups["own"].Value), item.KeyModes[KeyModes.Own]![meter].Price);
            Assert.Equal(per, item.KeyModes[KeyModes.Platform]![meter].Per);
        }
    }

    [Fact]
    public void Gptbots_VectorStorage_MatchesPerThousandTokensPerDay()
    {
        var lines = SeedLines("001_af679cdb551883d5.txt");
        var row = Assert.Single(lines, l => l.StartsWith("Vector Storage ", StringComparison.Ordinal));
        var item = Gptbots.Find(BillingTypes.KnowledgeStorage, "Vector Storage")!;

        Assert.Equal(Number(row.Split(' ')[^1]), item.Prices[Meters.StoredTokenDays].Price);
        Assert.Equal(1000m, item.Prices[Meters.StoredTokenDays].Per);
    }

    [Fact]
    public void Coze_CreditsPerCallTable_EveryRowMatches()
    {
        var lines = SeedLines("000_5e041a2bf3822ab0.txt");
        var start = Array.FindIndex(lines, l => l.StartsWith("Models\tCredits consumed per call", StringComparison.Ordinal)) + 1;
        var rows = lines.Skip(start).TakeWhile(l => !l.StartsWith("Did the documentation", StringComparison.Ordinal)).Where(l => l.Contains('\t', StringComparison.Ordinal)).ToList();

        Assert.Equal(17, rows.Count);
        Assert.Equal(rows.Count, Coze.Items.Count);
        foreach (var row in rows)
        {
            var cells = row.Split('\t');
            var item = Coze.Find(BillingTypes.LlmText, cells[0]);
            Assert.True(item is not null, $"row '{row}' has no catalog item");
            Assert.Equal(cells[0], item.Model);
            var plans = PlanPrices().Match(cells[1]);
            if (plans.Success)
            {
                Assert.Equal(Number(plans.Groups["free"].Value), item.Plans[Plans.Free]![Meters.Calls].Price);
                Assert.Equal(Number(plans.Groups["premium"].Value), item.Plans[Plans.Premium]![Meters.Calls].Price);
            }
            else
            {
                Assert.Equal(Number(cells[1]), item.Prices[Meters.Calls].Price);
            }
        }
    }

    [Fact]
    public void AgentVoice_ModelTable_EveryRowMatchesCurrencyAndPrice()
    {
        var lines = SeedLines("002_41a889cb77ae7e56.txt");
        var rows = lines.Select(l => ModelRow().Match(l)).Where(m => m.Success).ToList();

        Assert.Equal(22, rows.Count);
        Assert.Equal(11, AgentVoice.Items.Count(i => i.Types.Contains(BillingTypes.LlmText)));
        foreach (var row in rows)
        {
            var name = row.Groups["name"].Value;
            var item = AgentVoice.Items.Single(i => i.Types.Contains(BillingTypes.LlmText) && (name == i.Model || name == i.Brand + i.Model));
            var meter = row.Groups["io"].Value == "input" ? Meters.InputTokens : Meters.OutputTokens;
            var price = item.Prices[meter];
            Assert.Equal(1_000_000m, price.Per);
            if (row.Groups["price"].Value == "-")
            {
                Assert.True(price.NotOffered, $"{name} {meter} should not be offered");
            }
            else
            {
                Assert.Equal(Number(row.Groups["price"].Value), price.Price);
                Assert.Equal(row.Groups["cur"].Value == "¥" ? "CNY" : "USD", price.Currency);
            }
        }
    }

    [Theory]
    [InlineData("ASR vendorUnit price (per hour)", BillingTypes.Asr, Meters.AudioSeconds, 3600, 2)]
    [InlineData("TTS vendorUnit price (per thousand characters)", BillingTypes.Tts, Meters.Characters, 1000, 3)]
    public void AgentVoice_VoiceTables_EveryRowMatches(string header, string type, string meter, int per, int expectedRows)
    {
        var lines = SeedLines("002_41a889cb77ae7e56.txt");
        var start = Array.IndexOf(lines, header) + 1;
        var rows = lines.Skip(start).Select(l => VendorRow().Match(l)).TakeWhile(m => m.Success).ToList();

        Assert.Equal(expectedRows, rows.Count);
        foreach (var row in rows)
        {
            var item = AgentVoice.Find(type, row.Groups["name"].Value);
            Assert.True(item is not null, $"vendor '{row.Groups["name"].Value}' has no {type} item");
            var price = item.Prices[meter];
            Assert.Equal(Number(row.Groups["price"].Value), price.Price);
            Assert.Equal(row.Groups["cur"].Value == "¥" ? "CNY" : "USD", price.Currency);
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

    [GeneratedRegex(@"^(?<name>.+) (?<platform>\d+(\.\d+)?) (?<own>\d+(\.\d+)?)$")]
    private static partial Regex TwoPrices();

    [GeneratedRegex(@"free plan: (?<free>[\d.]+).*Premium: (?<premium>[\d.]+)")]
    private static partial Regex PlanPrices();

    [GeneratedRegex(@"^(?<name>.+) (?<io>input|output)(?<cur>[¥$])?(?<price>[\d.]+|-)$")]
    private static partial Regex ModelRow();

    [GeneratedRegex(@"^(?<name>[A-Za-z][A-Za-z ]*?)(?<cur>[¥$])(?<price>\d+\.\d+)")]
    private static partial Regex VendorRow();
}
