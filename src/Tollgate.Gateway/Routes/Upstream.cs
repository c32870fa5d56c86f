namespace Tollgate.Gateway.Routes;

/// <summary>
/// One provider a route can call. The provider key comes from the routes file or an environment variable and is
/// only ever sent to that provider: no endpoint returns it.
/// </summary>
/// <param name="Kind"><c>openai</c> (also any OpenAI-compatible server) or <c>anthropic</c>.</param>
/// <param name="BaseUrl">The provider's API root, such as https://api.openai.com/v1 or https://api.anthropic.com/v1.</param>
/// <param name="Model">The model name the provider knows.</param>
public sealed record Upstream(string Kind, Uri BaseUrl, string Model, string? ApiKey)
{
    public const string OpenAi = "openai";
    public const string Anthropic = "anthropic";

    /// <summary>The provider URL of an endpoint path such as <c>chat/completions</c> (the base URL may or may not end in a slash).</summary>
    public Uri Endpoint(string path) => new(BaseUrl.ToString().TrimEnd('/') + "/" + path);
}
