using System.Text;
using System.Text.Json;

namespace Tollgate.Server.Tests;

/// <summary>Raw requests for the hardening tests: any body, any content type, the answer's status and JSON.</summary>
internal static class Requests
{
    public static async Task<(int Status, JsonElement Body)> SendAsync(HttpClient http, string method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement json;
        try
        {
            json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            json = JsonDocument.Parse(JsonSerializer.Serialize(text)).RootElement.Clone();
        }

        return ((int)response.StatusCode, json);
    }

    public static Task<(int Status, JsonElement Body)> PostAsync(HttpClient http, string path, string body, string contentType = "application/json") =>
        SendAsync(http, "POST", path, body, contentType);

    public static string? Code(this JsonElement problem) => problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("code", out var c) ? c.GetString() : null;

    public static string? Field(this JsonElement problem) => problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("field", out var f) ? f.GetString() : null;

    /// <summary>A usage event as JSON text, with any of its texts replaced.</summary>
    public static string Event(string id = "e-1", string tenant = "acme", string time = "2026-01-01T08:00:00+08:00", string? subject = null, string? channel = null, string extra = "") =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["tenant"] = tenant,
            ["time"] = time,
            ["type"] = "llm_text",
            ["model"] = "GPT-4.1-1M",
            ["subject"] = subject,
            ["channel"] = channel,
            ["usage"] = new Dictionary<string, int> { ["input_tokens"] = 1000, ["output_tokens"] = 10 },
        })[..^1] + extra + "}";
}
