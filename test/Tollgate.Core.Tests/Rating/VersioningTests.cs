using NodaTime;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Rating;

namespace Tollgate.Core.Tests.Rating;

public sealed class VersioningTests
{
    private const string TwoVersions = """
        id: versioned
        versions:
          - version: v1
            effective_from: 2025-01-01T00:00:00Z
            settlement: { unit: credits }
            groups:
              - types: [llm_text]
                per: 1K
                items: [{ model: m, prices: { input_tokens: 1, output_tokens: 1 } }]
          - version: v2
            effective_from: 2025-06-01T00:00:00+08:00
            settlement: { unit: credits }
            groups:
              - types: [llm_text]
                per: 1K
                items: [{ model: m, prices: { input_tokens: 2, output_tokens: 2 } }]
        """;

    [Theory]
    [InlineData(2025, 5, 31, 15, 59, "v1", 1)] // 23:59 in +08:00, still May there
    [InlineData(2025, 5, 31, 16, 0, "v2", 2)] // midnight June 1st in +08:00
    [InlineData(2026, 1, 1, 0, 0, "v2", 2)]
    public void Rate_UsesVersionInForceAtEventTime(int y, int mo, int d, int h, int mi, string version, decimal total)
    {
        var book = PriceBookReader.ReadYaml(TwoVersions).Book!;
        var e = TestEvents.Llm("m", 1_000, 0) with { Time = new OffsetDateTime(new LocalDateTime(y, mo, d, h, mi), Offset.Zero) };

        var charge = Rater.Rate(e, book, RatingContext.Default).Charge!;

        Assert.Equal($"versioned@{version}", charge.PriceBook);
        Assert.Equal(total, charge.Total);
    }
}
