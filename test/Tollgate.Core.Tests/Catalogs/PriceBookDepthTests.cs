using Tollgate.Core.Catalogs;

namespace Tollgate.Core.Tests.Catalogs;

/// <summary>A price book document cannot overflow the stack: nesting is bounded while parsing (issue 11, item 1).</summary>
public sealed class PriceBookDepthTests
{
    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    [InlineData("- ", "")]
    public void Five_thousand_nested_levels_are_an_error_not_a_crash(string open, string close)
    {
        var text = open == "- "
            ? string.Concat(Enumerable.Range(0, 5_000).Select(i => new string(' ', i * 2) + "-\n")) + new string(' ', 10_000) + "x\n"
            : string.Concat(Enumerable.Repeat(open, 5_000)) + "x" + string.Concat(Enumerable.Repeat(close, 5_000));
        var result = PriceBookReader.ReadYaml(text);
        Assert.Null(result.Book);
        Assert.Contains("nested deeper than 64 levels", string.Join("\n", result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Sixty_four_levels_still_parse()
    {
        Assert.True(PriceBookDocument.TryParse(new string('[', 64) + new string(']', 64), out _, out var error), error);
        Assert.False(PriceBookDocument.TryParse(new string('[', 65) + new string(']', 65), out _, out _));
    }

    [Fact]
    public void Aliases_are_refused()
    {
        Assert.False(PriceBookDocument.TryParse("a: &x [1, 2]\nb: *x\n", out _, out var error));
        Assert.Contains("aliases", error, StringComparison.Ordinal);
    }
}
