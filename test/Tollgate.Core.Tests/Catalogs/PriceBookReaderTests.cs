using Tollgate.Core.Catalogs;

namespace Tollgate.Core.Tests.Catalogs;

public sealed class PriceBookReaderTests
{
    private const string Head = """
        id: t
        versions:
          - version: "1"
            effective_from: 2025-01-01T00:00:00Z
            settlement: { unit: credits }
            groups:
              - types: [llm_text]
                items:
        """;

    [Theory]
    [InlineData("      - { model: m, prices: { input_tokens: -1 } }", "versions[0].groups[0].items[0].prices.input_tokens: must not be negative")]
    [InlineData("      - { model: m, prices: { tokens: 1 } }", "versions[0].groups[0].items[0].prices.tokens: 'tokens' is not a meter")]
    [InlineData("      - { model: m, prices: { input_tokens: abc } }", "versions[0].groups[0].items[0].prices.input_tokens: 'abc' is not a number")]
    [InlineData("      - { model: m, currency: USD, prices: { input_tokens: 1 } }", "versions[0].exchange_rates: prices in USD need a rate")]
    [InlineData("      - { model: m, key_modes: { mine: { input_tokens: 1 } } }", "versions[0].groups[0].items[0].key_modes.mine: 'mine' is not platform or own")]
    [InlineData("      - { model: m, per: 0, prices: { input_tokens: 1 } }", "versions[0].groups[0].items[0].per: unit size must be a positive number")]
    [InlineData("      - { model: m }", "has no prices")]
    [InlineData("      - { prices: { input_tokens: 1 } }", "versions[0].groups[0].items[0].model: is required")]
    [InlineData("      - { model: m, colour: red, prices: { input_tokens: 1 } }", "versions[0].groups[0].items[0].colour: unknown field")]
    [InlineData("      - { model: m, prices: { cached_input_tokens: { multiple_of: cached_input_tokens, factor: 2 } } }", "multiple_of: 'cached_input_tokens' must be a meter with a price of its own")]
    public void ReadYaml_InvalidItem_ReportsPathAndReason(string itemLine, string expected)
    {
        var result = PriceBookReader.ReadYaml(Head + "\n  " + itemLine + "\n");

        Assert.False(result.IsSuccess);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void ReadYaml_NotYaml_ReportsLine()
    {
        var result = PriceBookReader.ReadYaml("id: [unclosed");

        Assert.StartsWith("not valid YAML or JSON at line ", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadYaml_VersionsOutOfOrder_Rejected()
    {
        var yaml = """
            id: t
            versions:
              - { version: a, effective_from: 2025-02-01T00:00:00Z, settlement: { unit: c } }
              - { version: b, effective_from: 2025-01-01T00:00:00Z, settlement: { unit: c } }
            """;

        Assert.Contains(PriceBookReader.ReadYaml(yaml).Errors, e => e.StartsWith("versions[1].effective_from: must be later", StringComparison.Ordinal));
    }

    [Fact]
    public void BuiltIns_AllLoad()
    {
        Assert.Equal(["agent-voice", "coze-credits", "gptbots"], BuiltInCatalogs.All.Select(b => b.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ExampleGatewayBook_IsValid()
    {
        var result = PriceBookReader.ReadYaml(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "examples", "gateway-usd.yaml")));

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
    }
}

public sealed class PriceBookJsonTests
{
    [Fact]
    public void ReadJson_SameDocumentAsYaml_RatesTheSame()
    {
        var json = """
            {"id":"j","versions":[{"version":"1","effective_from":"2025-01-01T00:00:00Z","settlement":{"unit":"credits","scale":2},
              "groups":[{"types":["llm_text"],"per":"1K","items":[{"model":"m","prices":{"input_tokens":0.22,"output_tokens":"0.88"}}]}]}]}
            """;

        var result = PriceBookReader.ReadJson(json);

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        var charge = Tollgate.Core.Rating.Rater.Rate(TestEvents.Llm("m", 1000, 1000), result.Book, Tollgate.Core.Rating.RatingContext.Default).Charge!;
        Assert.Equal(1.10m, charge.Total);
    }

    [Fact]
    public void ReadJson_WrongShape_NamesPath()
    {
        var result = PriceBookReader.ReadJson("""{"id":"j","versions":[{"version":"1","effective_from":"2025-01-01T00:00:00Z","settlement":{"unit":"credits","scale":20}}]}""");

        Assert.Contains(result.Errors, e => e.StartsWith("versions[0].settlement.scale: must be between 0 and 8", StringComparison.Ordinal));
    }
}
