using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Tollgate.Gateway.Tests;

/// <summary>Raw HTTP calls to the gateway, for what the SDKs do not expose (headers, aborting a stream).</summary>
internal static class Calls
{
    public static JsonObject Chat(string model, bool stream = false, bool? includeUsage = null, int maxTokens = 500)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Say hello to the world." }),
            ["max_tokens"] = maxTokens,
        };
        if (stream)
        {
            body["stream"] = true;
        }

        if (includeUsage is { } usage)
        {
            body["stream_options"] = new JsonObject { ["include_usage"] = usage };
        }

        return body;
    }

    public static HttpRequestMessage Post(string path, JsonObject body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public static async Task<(HttpResponseMessage Response, string Body)> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        var response = await http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public static string EventId(HttpResponseMessage response) => response.Headers.GetValues("X-Tollgate-Event-Id").Single();

    /// <summary>Waits until a condition holds (the gateway settles after the client has its answer).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("the condition did not hold in time");
            }

            await Task.Delay(50);
        }
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonObject>())!;
}
