using Tollgate.Core.Events;

namespace Tollgate.Core.Tests.Events;

/// <summary>The one id syntax and the one text rule (issue 11, items 7 and 10).</summary>
public sealed class TextRulesTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("evt-1")]
    [InlineData("a.b_c:d@e-f")]
    [InlineData("0")]
    public void Ids_a_url_carries_unchanged_are_accepted(string id) => Assert.Null(TextRules.IdError(id));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("_a")]
    [InlineData("a%2F")]
    [InlineData("a\u0000")]
    [InlineData("é")]
    public void Other_ids_are_refused(string id) => Assert.NotNull(TextRules.IdError(id));

    [Fact]
    public void Ids_have_at_most_128_characters()
    {
        Assert.Null(TextRules.IdError(new string('a', 128)));
        Assert.NotNull(TextRules.IdError(new string('a', 129)));
    }

    [Theory]
    [InlineData("a\u0000b", false)]
    [InlineData("a\u0007", false)]
    [InlineData("a\u007f", false)]
    [InlineData("a\u0085", false)]
    [InlineData("line\nbreak", false)]
    [InlineData("nul\u0000", true)]
    public void Control_characters_and_unpaired_surrogates_are_refused(string text, bool multiline) =>
        Assert.NotNull(TextRules.TextError(text, 100, multiline));

    [Fact]
    public void Unpaired_surrogates_are_refused_and_pairs_accepted()
    {
        Assert.NotNull(TextRules.TextError("\ud800", 100, multiline: true));
        Assert.NotNull(TextRules.TextError("x\udc00y", 100));
        Assert.NotNull(TextRules.TextError("\ud83d\ud83d", 100));
        Assert.Null(TextRules.TextError("\ud83d\ude00", 100));
    }

    [Fact]
    public void Multiline_text_keeps_its_line_breaks_and_tabs() => Assert.Null(TextRules.TextError("line\r\nbreak\ttab", 100, multiline: true));

    [Theory]
    [InlineData("Alice Smith")]
    [InlineData("中文 😀")]
    public void Ordinary_text_is_accepted(string text) => Assert.Null(TextRules.TextError(text, 100));
}
