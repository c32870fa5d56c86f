using Tollgate.Gateway.Routes;

namespace Tollgate.Gateway.Tests;

/// <summary>The routes file: read with its defaults, provider keys from the environment, and every mistake refused at start-up.</summary>
public sealed class RouteTableTests
{
    private const string Yaml = """
        routes:
          - model: gpt-4o-mini
            price_item: GPT-4o mini (128k)
            upstreams:
              - { kind: openai, base_url: "https://api.openai.com/v1", model: gpt-4o-mini, api_key_env: OPENAI_KEY }
              - { kind: openai, base_url: "http://127.0.0.1:8000/v1", model: local }
        """;

    [Fact]
    public void Parse_Defaults_FinishPolicyLlmTextAndKeyFromEnvironment()
    {
        var table = RouteTable.Parse(Yaml, name => name == "OPENAI_KEY" ? "sk-env" : null);
        var route = table.Find("GPT-4O-MINI")!;
        Assert.Equal("GPT-4o mini (128k)", route.PriceItem);
        Assert.Equal("llm_text", route.Type);
        Assert.Equal(DisconnectPolicy.Finish, route.OnDisconnect);
        Assert.Equal(4096, route.MaxOutputTokens);
        Assert.Equal("sk-env", route.Upstreams[0].ApiKey);
        Assert.Null(route.Upstreams[1].ApiKey);
        Assert.Equal("http://127.0.0.1:8000/v1/chat/completions", route.Upstreams[1].Endpoint("chat/completions").ToString());
    }

    [Theory]
    [InlineData("routes:\n  - model: m\n    upstreams: []\n", "at least one upstream")]
    [InlineData("routes:\n  - model: m\n    on_disconnect: later\n    upstreams: [{ base_url: \"http://x\", model: u }]\n", "on_disconnect")]
    [InlineData("routes:\n  - model: m\n    upstreams: [{ kind: gemini, base_url: \"http://x\", model: u }]\n", "kind")]
    [InlineData("routes:\n  - model: m\n    upstreams: [{ base_url: \"ftp://x\", model: u }]\n", "base_url")]
    [InlineData("routes:\n  - model: m\n    upstreams: [{ base_url: \"http://x\", model: u, api_key_env: MISSING }]\n", "MISSING")]
    [InlineData("routes:\n  - model: m\n    upstreams: [{ base_url: \"http://x\", model: u }]\n  - model: M\n    upstreams: [{ base_url: \"http://x\", model: u }]\n", "routed twice")]
    public void Parse_Mistake_RefusedWithWhere(string yaml, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => RouteTable.Parse(yaml, _ => null));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
