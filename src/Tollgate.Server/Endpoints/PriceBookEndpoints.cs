using System.Text.Json;
using Tollgate.Client.Contracts;
using Tollgate.Core.Catalogs;
using Tollgate.Server.Api;
using Tollgate.Server.Auth;
using Tollgate.Storage.Catalogs;

namespace Tollgate.Server.Endpoints;

/// <summary>
/// Price books: list and read (any key), create a book or a new version (operator; validated, never retroactive,
/// old versions stay), and dry-run a candidate version against stored events.
/// </summary>
public static class PriceBookEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var books = v1.MapGroup("/price-books").WithTags("Price books");
        books.MapGet("/", List).WithSummary("List price books and their versions").Produces<PriceBookList>();
        books.MapGet("/{id}", Get).WithSummary("Read a price book with its whole document").Produces<PriceBookInfo>().ProducesProblem(404);
        books.MapPost("/", CreateAsync).WithSummary("Create a price book from a YAML or JSON document (operator)")
            .Accepts<string>("application/yaml", "application/json").Produces<PriceBookInfo>(201).ProducesProblem(400).ProducesProblem(409)
            .RequireAuthorization(Policies.Operator);
        books.MapPost("/{id}/versions", AddVersionAsync).WithSummary("Add a version (one version mapping, YAML or JSON), effective now or later (operator)")
            .Accepts<string>("application/yaml", "application/json").Produces<PriceBookInfo>(201).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409)
            .RequireAuthorization(Policies.Operator);
        books.MapPost("/{id}/dry-run", DryRunAsync).WithSummary("Rate stored events with a candidate version and compare totals; changes nothing (operator)")
            .Accepts<string>("application/yaml", "application/json").Produces<DryRunReport>().ProducesProblem(400).ProducesProblem(404)
            .RequireAuthorization(Policies.Operator);
    }

    private static IResult List(PriceBookRegistry registry) =>
        Results.Json(new PriceBookList([.. registry.All.Select(b => b.ToContract())]), Client.TollgateJson.Options);

    private static IResult Get(string id, PriceBookRegistry registry)
    {
        if (registry.Find(id) is not { } book)
        {
            return Problems.NotFoundOf("price book", id, "id");
        }

        return Results.Json(book.ToContract(JsonDocument.Parse(registry.Document(id)!).RootElement.Clone()), Client.TollgateJson.Options);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, PriceBookRegistry registry, CancellationToken cancel)
    {
        if (Caller.Of(context).MustBeOperator() is { } denied)
        {
            return denied;
        }

        var change = await registry.CreateAsync(await BodyReader.ReadTextAsync(context.Request, cancel), cancel);
        return Answer(change, StatusCodes.Status201Created);
    }

    private static async Task<IResult> AddVersionAsync(string id, HttpContext context, PriceBookRegistry registry, CancellationToken cancel)
    {
        if (Caller.Of(context).MustBeOperator() is { } denied)
        {
            return denied;
        }

        var change = await registry.AddVersionAsync(id, await BodyReader.ReadTextAsync(context.Request, cancel), cancel);
        return Answer(change, StatusCodes.Status201Created);
    }

    private static async Task<IResult> DryRunAsync(string id, string? tenant, string? from, string? to, HttpContext context, PriceBookDryRun dryRun, CancellationToken cancel)
    {
        if (Caller.Of(context).MustBeOperator() is { } denied)
        {
            return denied;
        }

        var (fromMs, badFrom) = Validate.Time(from, "from");
        var (toMs, badTo) = Validate.Time(to, "to");
        if ((badFrom ?? badTo) is { } badTime)
        {
            return badTime;
        }

        var result = await dryRun.RunAsync(id, await BodyReader.ReadTextAsync(context.Request, cancel), tenant, fromMs, toMs, cancel);
        if (result.Refused is { } refused)
        {
            return Answer(refused, 0);
        }

        var totals = result.Totals.Select(t => new DryRunTotal(t.Unit, t.Current, t.Candidate, t.Difference)).ToList();
        return Results.Json(new DryRunReport(result.Events, result.Changed, result.Failed, totals), Client.TollgateJson.Options);
    }

    private static IResult Answer(PriceBookChange change, int successStatus)
    {
        if (change.Book is { } book)
        {
            return Results.Json(book.ToContract(), Client.TollgateJson.Options, statusCode: successStatus);
        }

        var status = change.Code switch
        {
            PriceBookChange.NotFound => StatusCodes.Status404NotFound,
            PriceBookChange.Exists or PriceBookChange.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        var errors = change.Errors ?? [];
        var first = errors.Count > 0 ? errors[0] : change.Code!;
        var field = first.Contains(':', StringComparison.Ordinal) ? first[..first.IndexOf(':', StringComparison.Ordinal)] : null;
        return Problems.Of(status, change.Code!, string.Join("; ", errors), field is { Length: < 200 } && !field.Contains(' ', StringComparison.Ordinal) ? field : null, errors);
    }
}
