using Newtonsoft.Json.Linq;

namespace Tollgate.Server.Tests.OpenApi;

/// <summary>
/// The OpenAPI document is the API: every request and answer of a tour of every endpoint validates against the
/// document's schemas (NJsonSchema), every answer's status and media type is documented, and every documented
/// operation is called. The document itself speaks the wire's language (snake_case, decimal strings, problems).
/// </summary>
public sealed class OpenApiConformanceTests
{
    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task EveryEndpoint_RealRequestsAndAnswers_ValidateAgainstTheDocument(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, o => o with { MaxBatch = 5 });
        using var http = server.Raw();
        var document = await ApiDocument.LoadAsync(http);
        var recorder = new Recorder();

        await ApiTour.RunAsync(server, recorder);
        await ApiTour.SweepAsync(document, server, recorder);

        var failures = new List<string>();
        var succeeded = new HashSet<string>(StringComparer.Ordinal);
        var statuses = new HashSet<int>();
        foreach (var exchange in recorder.Exchanges)
        {
            if (document.Find(exchange.Method, exchange.Path) is not { } operation)
            {
                failures.Add($"{exchange}: no such operation in the document");
                continue;
            }

            failures.AddRange(Check(document, operation, exchange).Select(f => $"{exchange}: {f}"));
            statuses.Add(exchange.Status);
            if (exchange.Status < 300)
            {
                succeeded.Add(operation.Name);
            }
        }

        Assert.True(recorder.Exchanges.Count > 60, $"only {recorder.Exchanges.Count} exchanges");
        var uncalled = document.Operations.Select(o => o.Name).Where(n => !succeeded.Contains(n)).ToList();
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(uncalled.Count == 0, "documented but never answered with success: " + string.Join(", ", uncalled));
        Assert.Superset(new HashSet<int> { 200, 201, 400, 401, 402, 403, 404, 409, 413, 415, 422 }, statuses);
    }

    [Fact]
    public async Task Document_DescribesTheWire_SnakeCaseDecimalStringsProblemsAndExamples()
    {
        await using var server = await TestServer.StartAsync();
        using var http = server.Raw();
        var document = await ApiDocument.LoadAsync(http);

        var violations = DocumentRules.Violations(document).ToList();

        Assert.True(violations.Count == 0, string.Join('\n', violations));
        var schemas = document.Root["components"]!["schemas"]!;
        Assert.Equal(["recharge", "grant", "resource_pack"], schemas["TopUpKind"]!["enum"]!.Select(v => v.ToString()));
        Assert.Equal(["id", "unit", "amount"], schemas["TopUpRequest"]!["required"]!.Select(v => v.ToString()));
        Assert.Equal("bearer", document.Root["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.ToString());
    }

    [Fact]
    public void DocumentRules_TheDocumentBeforeIssue12_IsRefused()
    {
        var old = new ApiDocument((JObject)ApiDocument.ParseToken(OldDocument.Json));

        var violations = DocumentRules.Violations(old).ToList();

        Assert.Contains(violations, v => v.Contains("property 'timeZone' is not snake_case", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("format double", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("type number", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("POST /v1/tenants: no bearer security requirement", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("no example", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("GET /v1/tenants: no 4xx problem response", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validator_AnswerInTheOldShape_IsRefused()
    {
        await using var server = await TestServer.StartAsync();
        using var http = server.Raw(server.OperatorKey);
        var document = await ApiDocument.LoadAsync(http);
        using var created = await http.PostAsync("v1/tenants", new StringContent("""{"id": "acme", "user_discount": 0.9}""", System.Text.Encoding.UTF8, "application/json"));
        var answer = (JObject)ApiDocument.ParseToken(await created.Content.ReadAsStringAsync());
        var schema = document.Find("POST", "/v1/tenants")!.Response(201)!["content"]!["application/json"]!["schema"]!;
        Assert.Empty(document.Validate(schema, answer));

        var camel = (JObject)answer.DeepClone();
        camel["timeZone"] = camel["time_zone"];
        camel.Remove("time_zone");
        var number = (JObject)answer.DeepClone();
        number["user_discount"] = 0.9m;
        var integerKind = (JObject)answer.DeepClone();
        integerKind["billing_cycle"] = 0;

        Assert.NotEmpty(document.Validate(schema, camel));
        Assert.NotEmpty(document.Validate(schema, number));
        Assert.NotEmpty(document.Validate(schema, integerKind));
    }

    /// <summary>What is wrong with one exchange: an undocumented status or media type, or a body its schema refuses.</summary>
    private static IEnumerable<string> Check(ApiDocument document, ApiOperation operation, Recorder.Exchange exchange)
    {
        if (exchange.RequestBody is { Length: > 0 } request && exchange.Status is not (413 or 415))
        {
            var media = operation.RequestContent?[exchange.RequestType ?? "application/json"];
            if (media?["schema"] is not { } schema)
            {
                yield return $"request body of type {exchange.RequestType} is not documented";
            }
            else if (exchange.RequestType == "application/json" && exchange.Status < 300)
            {
                foreach (var error in document.Validate(schema, ApiDocument.ParseToken(request)))
                {
                    yield return $"request: {error}";
                }
            }
        }

        if (operation.Response(exchange.Status) is not { } response)
        {
            yield return $"status {exchange.Status} is not documented ({exchange.ResponseBody})";
            yield break;
        }

        if (response["content"] is not JObject content || exchange.ResponseType is null)
        {
            yield break;
        }

        if (content[exchange.ResponseType]?["schema"] is not { } answer)
        {
            yield return $"answer of type {exchange.ResponseType} is not documented for {exchange.Status}";
        }
        else if (exchange.ResponseType.EndsWith("json", StringComparison.Ordinal))
        {
            foreach (var error in document.Validate(answer, ApiDocument.ParseToken(exchange.ResponseBody)))
            {
                yield return $"answer: {error} in {exchange.ResponseBody}";
            }
        }
    }
}
