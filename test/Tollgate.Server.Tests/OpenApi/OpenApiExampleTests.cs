using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NodaTime;

namespace Tollgate.Server.Tests.OpenApi;

/// <summary>
/// The document's request examples are requests the server accepts, and its <c>required</c> lists are what the
/// server enforces: each example, sent as written, succeeds; sent without any one required field, it is refused.
/// </summary>
public sealed class OpenApiExampleTests
{
    /// <summary>Every operation with a JSON body, in an order where each example finds what it refers to.</summary>
    private static readonly string[] Order =
    [
        "POST /v1/tenants", "PATCH /v1/tenants/{tenant}", "POST /v1/tenants/{tenant}/users", "POST /v1/tenants/{tenant}/topups",
        "POST /v1/tenants/{tenant}/free-quotas", "POST /v1/tenants/{tenant}/gateway-keys", "PUT /v1/tenants/{tenant}/gateway-user-budgets/{subject}", "POST /v1/tenants/{tenant}/adjustments", "POST /v1/events", "POST /v1/events/quote",
        "POST /v1/events/batch", "POST /v1/tenants/{tenant}/reservations", "POST /v1/tenants/{tenant}/reservations/{id}/settle",
        "POST /v1/keys", "POST /v1/webhooks", "POST /v1/price-books", "POST /v1/price-books/{id}/versions", "POST /v1/price-books/{id}/dry-run",
        "POST /v1/tenants/{tenant}/bills",
    ];

    [Fact]
    public async Task RequestExamples_AsWritten_AreAcceptedAndWithoutARequiredField_AreRefused()
    {
        await using var server = await TestServer.StartAsync();
        using var http = server.Raw(server.OperatorKey);
        var document = await ApiDocument.LoadAsync(http);
        var withJson = document.Operations.Where(o => o.RequestContent?["application/json"] is not null).Select(o => o.Name);
        Assert.Equal(withJson.Order(StringComparer.Ordinal), Order.Order(StringComparer.Ordinal));

        var failures = new List<string>();
        foreach (var operation in Order.Select(name => document.Operations.Single(o => o.Name == name)))
        {
            if (operation.Path.EndsWith("/bills", StringComparison.Ordinal))
            {
                server.Clock.Set(Instant.FromUtc(2026, 11, 22, 0, 0)); // The example's cycle, 2026-11-20, has closed.
            }

            var media = operation.RequestContent!["application/json"]!;
            if (media["example"] is not JObject example)
            {
                failures.Add($"{operation.Name}: no JSON example for its request");
                continue;
            }

            var path = operation.Path.Replace("{tenant}", "acme", StringComparison.Ordinal)
                .Replace("{id}", operation.Path.Contains("/price-books/", StringComparison.Ordinal) ? "my-book" : "call-7", StringComparison.Ordinal);
            foreach (var field in Required(document, media["schema"]!))
            {
                var without = (JObject)example.DeepClone();
                without.Remove(field);
                var (status, answer) = await SendAsync(http, operation.Method, path, without);
                if (status is < 400 or >= 500)
                {
                    failures.Add($"{operation.Name} without '{field}': {status} {answer}");
                }
            }

            var (sent, body) = await SendAsync(http, operation.Method, path, example);
            if (sent >= 300)
            {
                failures.Add($"{operation.Name} with its example: {sent} {body}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>The required fields of a body schema: its own, its $ref's and those of its allOf parts.</summary>
    private static IEnumerable<string> Required(ApiDocument document, JToken schema)
    {
        if (schema["$ref"]?.ToString() is { } reference)
        {
            schema = document.Root["components"]!["schemas"]![reference.Split('/')[^1]]!;
        }

        var own = schema["required"]?.Select(r => r.ToString()) ?? [];
        var parts = schema["allOf"]?.SelectMany(part => Required(document, part)) ?? [];
        return own.Concat(parts).Distinct(StringComparer.Ordinal);
    }

    private static async Task<(int Status, string Body)> SendAsync(HttpClient http, string method, string path, JObject body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'))
        {
            Content = new StringContent(body.ToString(Formatting.None), Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
