using System.Globalization;
using Tollgate.Client.Contracts;
using Tollgate.Core.Funding;
using Tollgate.Server.Api;
using Tollgate.Server.Auth;
using Tollgate.Server.Hosting;
using Tollgate.Storage.Ledger;
using TopUp = Tollgate.Storage.Ledger.TopUp;
using TopUpResult = Tollgate.Client.Contracts.TopUpResult;
using TransferPage = Tollgate.Client.Contracts.TransferPage;

namespace Tollgate.Server.Endpoints;

/// <summary>Balances and the ledger; top-ups, grants, resource packs, free quotas and operator adjustments.</summary>
public static class LedgerEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var tenant = v1.MapGroup("/tenants/{tenant}").WithTags("Balances");
        tenant.MapGet("/balances", GetBalancesAsync).WithSummary("A tenant's balances (each account: unit, kind, posted, held, available, expiry) and arrears")
            .Produces<Balances>().ProducesProblem(404);
        tenant.MapGet("/transfers", GetTransfersAsync).WithSummary("The tenant's ledger transfers, oldest first, with cursor paging and a time filter (from, to: ISO 8601)")
            .Produces<TransferPage>().ProducesProblem(400).ProducesProblem(404);
        tenant.MapPost("/topups", TopUpAsync).WithSummary("Recharge (with an optional bonus), grant or resource pack, idempotent by id (operator). Credits are not refundable.")
            .Accepts<TopUpRequest>("application/json").Produces<TopUpResult>(201).Produces<TopUpResult>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409)
            .RequireAuthorization(Policies.Operator);
        tenant.MapPost("/free-quotas", AddFreeQuotaAsync).WithSummary("Define a free quota: a number of free units, refilled daily or never (operator)")
            .Accepts<FreeQuotaRequest>("application/json").Produces<AccountCreated>(201).ProducesProblem(400).ProducesProblem(404)
            .RequireAuthorization(Policies.Operator);
        tenant.MapPost("/adjustments", AdjustAsync).WithSummary("An operator's correcting adjustment of one account, recorded with who and why")
            .Accepts<AdjustmentRequest>("application/json").Produces<Balances>(201).ProducesProblem(400).ProducesProblem(404)
            .RequireAuthorization(Policies.Operator);
    }

    private static async Task<IResult> GetBalancesAsync(string tenant, HttpContext context, LedgerStore store, CancellationToken cancel)
    {
        if (await Caller.Of(context).CanReadExistingAsync(tenant, store, cancel) is { } denied)
        {
            return denied;
        }

        return Results.Json(Mapping.ToContract(tenant, await store.GetBalancesAsync(tenant, cancel)), Client.TollgateJson.Options);
    }

    private static async Task<IResult> GetTransfersAsync(string tenant, string? cursor, string? from, string? to, int? limit, HttpContext context, LedgerStore store, CancellationToken cancel)
    {
        if (await Caller.Of(context).CanReadExistingAsync(tenant, store, cancel) is { } denied)
        {
            return denied;
        }

        long? after = null;
        if (cursor is not null)
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var c))
            {
                return Problems.Invalid("cursor", "is not a cursor this API returned (next_cursor)");
            }

            after = c;
        }

        var (fromMs, badFrom) = Validate.Time(from, "from");
        var (toMs, badTo) = Validate.Time(to, "to");
        if ((badFrom ?? badTo) is { } badTime)
        {
            return badTime;
        }

        if (limit is < 1 or > LedgerStore.MaxPageSize)
        {
            return Problems.Invalid("limit", $"must be 1 to {LedgerStore.MaxPageSize}");
        }

        var page = await store.ListTransfersAsync(tenant, after, fromMs, toMs, limit ?? 100, cancel);
        return Results.Json(
            new Client.Contracts.TransferPage([.. page.Transfers.Select(Mapping.ToContract)], page.NextCursor?.ToString(CultureInfo.InvariantCulture)),
            Client.TollgateJson.Options);
    }

    private static async Task<IResult> TopUpAsync(string tenant, HttpContext context, LedgerStore store, TollgateMetrics metrics, CancellationToken cancel)
    {
        if (await OperatorAsync(tenant, context, store, cancel) is { } denied)
        {
            return denied;
        }

        var body = await BodyReader.ReadAsync<TopUpRequest>(context.Request, cancel);
        if (!body.Ok)
        {
            return body.Problem!;
        }

        var r = body.Value!;
        if (Validate.First(
                Validate.Id(r.Id, "id"),
                Validate.Name(r.Unit, "unit"),
                Validate.Amount(r.Amount, "amount"),
                Validate.Amount(r.Bonus, "bonus", allowZero: true),
                Validate.Amount(r.Paid, "paid", allowZero: true),
                Owner(r.Owner),
                Validate.Supported(Instant(r.ExpiresAt), "expires_at"),
                r.Bonus > 0m && r.Kind != TopUpKind.Recharge ? Problems.Invalid("bonus", "only a recharge carries a bonus") : null) is { } bad)
        {
            return bad;
        }

        var kind = r.Kind switch
        {
            TopUpKind.Recharge => AccountKind.Recharge,
            TopUpKind.Grant => AccountKind.Bonus,
            _ => AccountKind.ResourcePack,
        };
        var result = await store.TopUpAsync(
            new TopUp(tenant, r.Id, kind, r.Unit, r.Amount, r.Owner ?? string.Empty, r.Bonus, Instant(r.ExpiresAt), Scope(r.Scope), r.Paid),
            cancel);
        metrics.BalanceOperation(r.Kind.ToString().ToLowerInvariant());
        return Results.Json(
            new Client.Contracts.TopUpResult(result.Id, result.AccountId, result.BonusAccountId, result.ArrearsSettled, result.Duplicate),
            Client.TollgateJson.Options,
            statusCode: result.Duplicate ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task<IResult> AddFreeQuotaAsync(string tenant, HttpContext context, LedgerStore store, TollgateMetrics metrics, CancellationToken cancel)
    {
        if (await OperatorAsync(tenant, context, store, cancel) is { } denied)
        {
            return denied;
        }

        var body = await BodyReader.ReadAsync<FreeQuotaRequest>(context.Request, cancel);
        if (!body.Ok)
        {
            return body.Problem!;
        }

        var r = body.Value!;
        if (Validate.First(
                Validate.Name(r.Unit, "unit"),
                Validate.Amount(r.Limit, "limit"),
                Owner(r.Owner),
                r.Period is "day" or "lifetime" ? null : Problems.Invalid("period", "must be 'day' (refilled at the tenant's midnight) or 'lifetime'")) is { } bad)
        {
            return bad;
        }

        var id = await store.OpenAccountAsync(
            new OpenAccount(tenant, AccountKind.FreeQuota, r.Unit, r.Owner ?? string.Empty, Scope(r.Scope), QuotaPeriod: r.Period, QuotaLimit: r.Limit),
            cancel);
        metrics.BalanceOperation("free_quota");
        return Results.Json(new AccountCreated(id), Client.TollgateJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> AdjustAsync(string tenant, HttpContext context, LedgerStore store, TollgateMetrics metrics, CancellationToken cancel)
    {
        if (await OperatorAsync(tenant, context, store, cancel) is { } denied)
        {
            return denied;
        }

        var body = await BodyReader.ReadAsync<AdjustmentRequest>(context.Request, cancel);
        if (!body.Ok)
        {
            return body.Problem!;
        }

        var r = body.Value!;
        if (Validate.First(
                Validate.Amount(r.Amount, "amount", allowNegative: true),
                r.Amount == 0m ? Problems.Invalid("amount", "must not be zero") : null,
                string.IsNullOrWhiteSpace(r.Reason) ? Problems.BadRequest(Problems.MissingField, "an adjustment is recorded with why: give a reason", "reason") : null,
                Validate.Text(r.Reason, "reason", 500)) is { } bad)
        {
            return bad;
        }

        var balances = await store.GetBalancesAsync(tenant, cancel);
        var account = balances.FirstOrDefault(b => b.AccountId == r.AccountId);
        if (account is null || account.Kind == AccountKinds.Arrears)
        {
            return Problems.Of(StatusCodes.Status404NotFound, LedgerErrors.UnknownAccount, $"tenant '{tenant}' has no funding account {r.AccountId}", "account_id");
        }

        if (r.Amount < 0m && -r.Amount > account.Available)
        {
            return Problems.Invalid("amount", $"account {r.AccountId} has {account.Available} {account.Unit} available; an adjustment cannot take more");
        }

        await store.AdjustAsync(tenant, r.AccountId, r.Amount, Caller.Of(context).Name, r.Reason, cancel);
        metrics.BalanceOperation("adjustment");
        return Results.Json(Mapping.ToContract(tenant, await store.GetBalancesAsync(tenant, cancel)), Client.TollgateJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult?> OperatorAsync(string tenant, HttpContext context, LedgerStore store, CancellationToken cancel) =>
        await Caller.Of(context).CanReadExistingAsync(tenant, store, cancel) ?? Caller.Of(context).MustBeOperator();

    private static IResult? Owner(string? owner) =>
        owner is null ? null : Validate.Text(owner, "owner");

    private static NodaTime.Instant? Instant(DateTimeOffset? time) => time is { } t ? NodaTime.Instant.FromDateTimeOffset(t) : null;

    private static AccountScope? Scope(Client.Contracts.Scope? scope) => scope is null ? null : new AccountScope(
        new HashSet<string>(scope.Types ?? [], StringComparer.Ordinal),
        new HashSet<string>(scope.Models ?? [], StringComparer.OrdinalIgnoreCase),
        new HashSet<string>(scope.Channels ?? [], StringComparer.Ordinal));
}
