using Tollgate.Core.Events;

namespace Tollgate.Core.Tests.Events;

/// <summary>The event parser applies the text, id and time rules of issue 11 to every field, naming each.</summary>
public sealed class UsageEventParserHardeningTests
{
    private const string Template = """{"id":"ID","tenant":"TENANT","subject":"SUBJECT","time":"TIME","type":"llm_text","model":"m","channel":"CHANNEL","usage":{"input_tokens":1}}""";

    [Theory]
    [InlineData("ID", "a/b", "id", ErrorCodes.InvalidField)]
    [InlineData("ID", "..", "id", ErrorCodes.InvalidField)]
    [InlineData("TENANT", ".", "tenant", ErrorCodes.InvalidField)]
    [InlineData("SUBJECT", "u\\u0000", "subject", ErrorCodes.InvalidField)]
    [InlineData("CHANNEL", "api\\n", "channel", ErrorCodes.InvalidField)]
    [InlineData("TIME", "9999-12-31T23:59:59Z", "time", Core.Calendar.SupportedTimes.OutOfRange)]
    [InlineData("TIME", "9999-12-31T23:59:59-18:00", "time", Core.Calendar.SupportedTimes.OutOfRange)]
    [InlineData("TIME", "1969-12-31T23:59:59Z", "time", Core.Calendar.SupportedTimes.OutOfRange)]
    [InlineData("TIME", "2025-03-01T09:30:00+19:00", "time", ErrorCodes.InvalidField)] // NodaTime threw for it: a 500 before
    [InlineData("TIME", "2025-03-01T09:30:00-18:01", "time", ErrorCodes.InvalidField)]
    public void A_field_breaking_a_rule_is_named(string placeholder, string value, string field, string code)
    {
        var json = Template.Replace(placeholder, value, StringComparison.Ordinal)
            .Replace("ID", "e-1", StringComparison.Ordinal).Replace("TENANT", "acme", StringComparison.Ordinal).Replace("SUBJECT", "u-1", StringComparison.Ordinal)
            .Replace("TIME", "2026-01-01T00:00:00Z", StringComparison.Ordinal).Replace("CHANNEL", "api", StringComparison.Ordinal);
        var result = UsageEventParser.Parse(json);
        Assert.False(result.IsSuccess);
        var error = Assert.Single(result.Errors);
        Assert.Equal((code, field), (error.Code, error.Field));
    }

    [Fact]
    public void A_key_given_twice_is_malformed()
    {
        var result = UsageEventParser.Parse("""{"id":"e","id":"f","tenant":"t","time":"2025-01-01T00:00:00Z","type":"tts","model":"TTS","usage":{"characters":5}}""");
        Assert.Equal(ErrorCodes.MalformedJson, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Content_texts_keep_line_breaks_but_not_nul()
    {
        const string Content = """{"id":"e","tenant":"t","time":"2025-01-01T00:00:00Z","type":"llm_text","model":"m","content":{"input_text":"TEXT"}}""";
        Assert.True(UsageEventParser.Parse(Content.Replace("TEXT", "line\\nbreak\\ttab", StringComparison.Ordinal)).IsSuccess);
        Assert.Equal("content.input_text", Assert.Single(UsageEventParser.Parse(Content.Replace("TEXT", "nul\\u0000", StringComparison.Ordinal)).Errors).Field);
    }
}
