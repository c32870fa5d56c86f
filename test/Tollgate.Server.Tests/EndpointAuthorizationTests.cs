using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tollgate.Client.Contracts;

namespace Tollgate.Server.Tests;

/// <summary>
/// Every endpoint the application maps (read from its endpoint data source, so a new endpoint cannot escape), called
/// without a key, with a foreign tenant's key and with odd spellings of its path: never a 2xx with data, never a 5xx.
/// Authentication and authorization belong to the endpoints, not to a path prefix (issue 11, item 2).
/// </summary>
public sealed class EndpointAuthorizationTests
{
    /// <summary>The only endpoints open without a key; an endpoint added with AllowAnonymous must be added here, on purpose.</summary>
    private static readonly string[] Anonymous = ["/healthz", "/readyz", "/metrics", "/openapi/{documentName}.json", "/signin", "/console.css"];

    private static readonly System.Text.RegularExpressions.Regex Gateway = new("^/(openai|anthropic)/v1/", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Every_endpoint_refuses_anonymous_foreign_and_oddly_spelt_requests(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        var ids = await ArrangeAsync(server);
        var before = await Snapshot.TakeAsync(server, "acme", "other");
        using var anonymous = server.Raw();
        using var foreign = server.Raw(ids["foreign_key"]);
        using var operatorHttp = server.Raw(server.OperatorKey);
        using var consoleAnonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };
        using var consoleForeign = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };
        consoleForeign.DefaultRequestHeaders.Authorization = new("Bearer", ids["foreign_key"]);

        var endpoints = server.Endpoints.Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null).ToList();
        Assert.True(endpoints.Count >= 30, $"only {endpoints.Count} endpoints found");
        var operatorOk = 0;
        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null && Gateway.IsMatch(pattern))
            {
                // The gateway's model endpoints take gateway keys, checked by their handlers: an API key is not one.
                foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
                {
                    foreach (var http in new[] { anonymous, foreign, operatorHttp })
                    {
                        var answer = await SendAsync(http, method, pattern);
                        Assert.True(answer.Code == 401, $"gateway {method} {pattern}: {answer}");
                    }
                }

                continue;
            }

            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                Assert.True(Anonymous.Contains(pattern) || pattern == "/docs" || pattern.StartsWith("/docs/", StringComparison.Ordinal), $"{pattern} is open without a key");
                continue;
            }

            Assert.NotNull(endpoint.Metadata.GetMetadata<IAuthorizeData>());
            var path = Fill(pattern, ids);
            if (endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == WebConsole.Hosting.ConsoleAuth.Policy))
            {
                // Console pages take a session cookie, never a bearer key: without a session they send the browser
                // to sign in (302), whatever the spelling; the console's own tests cover tenant isolation with sessions.
                foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
                {
                    foreach (var spelt in new[] { path, path.ToUpperInvariant(), path.TrimEnd('/') + "/", "/" + path })
                    {
                        foreach (var http in new[] { consoleAnonymous, consoleForeign })
                        {
                            var answer = await SendAsync(http, method, spelt);
                            Assert.True(answer.Code is 302 or (>= 400 and < 500), $"console {method} {spelt}: {answer}");
                            Assert.DoesNotContain("998.9", answer.Body, StringComparison.Ordinal);
                        }
                    }
                }

                continue;
            }

            var targetsAcme = pattern.Contains('{', StringComparison.Ordinal) && !pattern.StartsWith("/v1/price-books", StringComparison.Ordinal);
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                var status = await SendAsync(anonymous, method, path);
                Assert.True(status.Code == 401, $"{method} {path} without a key: {status}");

                status = await SendAsync(foreign, method, path);
                Assert.True(status.Code < 500 && !status.Body.Contains("998.9", StringComparison.Ordinal), $"{method} {path} with a foreign key: {status}");
                Assert.True(!targetsAcme || status.Code is 403 or 404, $"{method} {path} with a foreign key: {status}");
                Assert.True(status.Code >= 400 || !status.Body.Contains("\"acme\"", StringComparison.Ordinal), $"{method} {path} with a foreign key: {status}");

                foreach (var odd in Spellings(path))
                {
                    status = await SendAsync(anonymous, method, odd);
                    Assert.True(status.Code is 401 or 404 or 405, $"{method} {odd} without a key: {status}");
                    status = await SendAsync(foreign, method, odd);
                    Assert.True(status.Code is >= 400 and < 500 || (!targetsAcme && status.Code < 300), $"{method} {odd} with a foreign key: {status}");
                    Assert.DoesNotContain("998.9", status.Body, StringComparison.Ordinal);
                }

                if (method == "GET" && (await SendAsync(operatorHttp, method, path)).Code == 200)
                {
                    operatorOk++;
                }
            }
        }

        // The filled paths are real: the operator reads most of them (a bill and a delivery may not exist).
        Assert.True(operatorOk >= 12, $"the operator read only {operatorOk} of the GET endpoints: the test fills routes wrongly");
        Assert.Equal(before, await Snapshot.TakeAsync(server, "acme", "other"));
    }

    [Fact]
    public async Task Upper_case_v1_without_a_key_is_401_not_the_price_books()
    {
        await using var server = await TestServer.StartAsync();
        using var anonymous = server.Raw();
        foreach (var path in new[] { "V1/price-books", "V1/tenants", "v1/PRICE-BOOKS", "V1/usage" })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task An_unknown_path_is_401_without_a_key_and_404_with_one()
    {
        await using var server = await TestServer.StartAsync();
        using var anonymous = server.Raw();
        using var operatorHttp = server.Raw(server.OperatorKey);
        foreach (var path in new[] { "v1/nothing", "nothing", "v2/tenants" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await operatorHttp.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task A_refused_capability_names_what_is_missing()
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        var readOnly = await server.Operator.CreateKeyAsync(new KeyRequest("dashboard", "acme"));
        using var http = server.Raw(readOnly.Secret);
        using var record = await http.PostAsync("v1/events", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, record.StatusCode);
        Assert.Contains("can_record", await record.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var keys = await http.GetAsync("v1/keys");
        Assert.Equal(HttpStatusCode.Forbidden, keys.StatusCode);
        Assert.Contains("operator key", await keys.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Odd spellings of a path: upper case, a doubled slash, an encoded slash, a trailing slash, upper-case segments.</summary>
    private static IEnumerable<string> Spellings(string path)
    {
        yield return "/V1" + path[3..];
        yield return path.Replace("/v1/", "/v1//", StringComparison.Ordinal);
        yield return path.Replace("/v1/", "/v1%2F", StringComparison.Ordinal);
        yield return path + "/";
        yield return path.ToUpperInvariant();
    }

    private static async Task<(int Code, string Body)> SendAsync(HttpClient http, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
        if (method is "POST" or "PATCH" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, body.Length > 300 ? body[..300] : body);
    }

    /// <summary>The route with its parameters filled with acme's things (price books are shared; one of them).</summary>
    private static string Fill(string pattern, Dictionary<string, string> ids)
    {
        var path = pattern.Replace("{tenant}", "acme", StringComparison.Ordinal).Replace("{deliveryId}", ids["delivery"], StringComparison.Ordinal);
        var kind = pattern.Split('/').Reverse().SkipWhile(s => s.StartsWith('{') || s is "settle" or "release" or "deliveries" or "versions" or "dry-run" or "replay").FirstOrDefault() ?? "";
        var id = kind switch
        {
            "events" => "evt-1",
            "reservations" => "held-1",
            "bills" => "2025-12-01",
            "keys" => ids["acme_key"],
            "webhooks" => ids["webhook"],
            "price-books" => "gptbots",
            _ => "x",
        };
        return path.Replace("{id}", id, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, string>> ArrangeAsync(TestServer server)
    {
        await Samples.FundedTenantAsync(server, "acme");
        await server.Operator.RecordAsync(Samples.Llm("evt-1", "acme"));
        await server.Operator.ReserveAsync("acme", new ReservationRequest("held-1", Amount: 3m, Unit: "credits", TimeoutSeconds: 86_400));
        await Samples.FundedTenantAsync(server, "other", credits: 5m);
        var acmeKey = await server.Operator.CreateKeyAsync(new KeyRequest("acme's key", "acme", CanRecord: true));
        var foreign = await server.Operator.CreateKeyAsync(new KeyRequest("other's key", "other", CanRecord: true));
        var ids = new Dictionary<string, string> { ["acme_key"] = acmeKey.Key.Id, ["foreign_key"] = foreign.Secret, ["webhook"] = "wh-none", ["delivery"] = "1" };
        using var http = server.Raw(server.OperatorKey);
        using var hook = await http.PostAsync("v1/webhooks", new StringContent("""{"url":"https://hooks.example.com/tollgate","tenant":"acme"}""", Encoding.UTF8, "application/json"));
        if (hook.IsSuccessStatusCode)
        {
            var created = System.Text.Json.JsonDocument.Parse(await hook.Content.ReadAsStringAsync()).RootElement;
            ids["webhook"] = (created.TryGetProperty("webhook", out var w) ? w : created).GetProperty("id").ToString();
        }

        return ids;
    }
}
