using Tollgate.Client.Contracts;
using Tollgate.Core.Calendar;
using Tollgate.Core.Events;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Server.Api;
using Tollgate.Server.Auth;
using Tollgate.Server.OpenApi;
using Tollgate.Storage.Catalogs;
using Tollgate.Storage.Ledger;
using EndUser = Tollgate.Client.Contracts.EndUser;
using FundingOrder = Tollgate.Core.Funding.FundingOrder;

namespace Tollgate.Server.Endpoints;

/// <summary>Tenants (the operator's customers) and their end users.</summary>
public static class TenantEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var tenants = v1.MapGroup("/tenants").WithTags("Tenants");
        tenants.MapPost("/", CreateAsync).WithSummary("Create a tenant (operator)")
            .Accepts<TenantRequest>("application/json").RequiresFields("id").Produces<Tenant>(201).ProducesProblem(400).ProducesProblem(409)
            .RequireAuthorization(Policies.Operator);
        tenants.MapGet("/", ListAsync).WithSummary("List tenants (a tenant key sees itself)").Produces<TenantList>();
        tenants.MapGet("/{tenant}", GetAsync).WithSummary("Read a tenant").Produces<Tenant>().ProducesProblem(404);
        tenants.MapPatch("/{tenant}", UpdateAsync).WithSummary("Change a tenant's settings; fields left out keep their value (operator)")
            .Accepts<TenantRequest>("application/json").Produces<Tenant>().ProducesProblem(400).ProducesProblem(404)
            .RequireAuthorization(Policies.Operator);
        tenants.MapGet("/{tenant}/users", ListUsersAsync).WithSummary("List the tenant's end users").Produces<EndUserList>().ProducesProblem(404);
        tenants.MapPost("/{tenant}/users", SaveUserAsync).WithSummary("Add or rename an end user (operator)")
            .Accepts<EndUserRequest>("application/json").Produces<EndUser>().ProducesProblem(400).ProducesProblem(404)
            .RequireAuthorization(Policies.Operator);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, LedgerStore store, PriceBookRegistry books, CancellationToken cancel)
    {
        if (Caller.Of(context).MustBeOperator() is { } denied)
        {
            return denied;
        }

        var body = await BodyReader.ReadAsync<TenantRequest>(context.Request, cancel);
        if (!body.Ok)
        {
            return body.Problem!;
        }

        var request = body.Value!;
        if (Validate.Id(request.Id, "id") is { } badId)
        {
            return badId;
        }

        var (settings, problem) = Apply(new TenantSettings(request.Id!), request, books);
        if (problem is not null)
        {
            return problem;
        }

        if (await store.GetTenantAsync(settings!.Id, cancel) is not null)
        {
            return Problems.Of(StatusCodes.Status409Conflict, Problems.TenantExists, $"tenant '{settings.Id}' already exists; change it with PATCH", "id");
        }

        await store.SaveTenantAsync(settings, cancel);
        return Results.Json(settings.ToContract(0m), Client.TollgateJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(HttpContext context, LedgerStore store, CancellationToken cancel)
    {
        var caller = Caller.Of(context);
        var all = await store.ListTenantsAsync(cancel);
        var visible = all.Where(t => caller.CanRead(t.Id) is null).ToList();
        var list = new List<Tenant>(visible.Count);
        foreach (var t in visible)
        {
            list.Add(t.ToContract(await store.GetCumulativeRechargeAsync(t.Id, cancel)));
        }

        return Results.Json(new TenantList(list), Client.TollgateJson.Options);
    }

    private static async Task<IResult> GetAsync(string tenant, HttpContext context, LedgerStore store, CancellationToken cancel)
    {
        if (Caller.Of(context).CanRead(tenant) is { } denied)
        {
            return denied;
        }

        var settings = await store.GetTenantAsync(tenant, cancel);
        return settings is null
            ? Problems.NotFoundOf("tenant", tenant, "tenant")
            : Results.Json(settings.ToContract(await store.GetCumulativeRechargeAsync(tenant, cancel)), Client.TollgateJson.Options);
    }

    private static async Task<IResult> UpdateAsync(string tenant, HttpContext context, LedgerStore store, PriceBookRegistry books, CancellationToken cancel)
    {
        var caller = Caller.Of(context);
        if ((caller.CanRead(tenant) ?? caller.MustBeOperator()) is { } denied)
        {
            return denied;
        }

        var body = await BodyReader.ReadAsync<TenantRequest>(context.Request, cancel);
        if (!body.Ok)
        {
            return body.Problem!;
        }

        var request = body.Value!;
        if (request.Id is not null && request.Id != tenant)
        {
            return Problems.Invalid("id", "a tenant's id cannot change");
        }

        var current = await store.GetTenantAsync(tenant, cancel);
        if (current is null)
        {
            return Problems.NotFoundOf("tenant", tenant, "tenant");
        }

        var (settings, problem) = Apply(current, request, books);
        if (problem is not null)
        {
            return problem;
        }

        await store.SaveTenantAsync(settings!, cancel);
        return Results.Json(settings!.ToContract(await store.GetCumulativeRechargeAsync(tenant, cancel)), Client.TollgateJson.Options);
    }

    private static async Task<IResult> ListUsersAsync(string tenant, HttpContext context, LedgerStore store, CancellationToken cancel)
    {
        if (await Caller.Of(context).CanReadExistingAsync(tenant, store, cancel) is { } denied)
        {
            return denied;
        }

        var users = await store.ListEndUsersAsync(tenant, cancel);
        return Results.Json(new EndUserList([.. users.Select(u => new EndUser(u.UserId, u.Name, Mapping.Time(u.CreatedAt)))]), Client.TollgateJson.Options);
    }

    private static async Task<IResult> SaveUserAsync(string tenant, HttpContext context, LedgerStore store, CancellationToken cancel)
    {
        var caller = Caller.Of(context);
        if ((caller.CanRead(tenant) ?? caller.MustBeOperator()) is { } denied)
        {
            return denied;
        }

        var body = await BodyReader.ReadAsync<EndUserRequest>(context.Request, cancel);
        if (!body.Ok)
        {
            return body.Problem!;
        }

        var request = body.Value!;
        if (Validate.First(Validate.Text(request.Id, "id"), Validate.Text(request.Name, "name", 500, required: false)) is { } bad)
        {
            return bad;
        }

        if (await store.GetTenantAsync(tenant, cancel) is null)
        {
            return Problems.NotFoundOf("tenant", tenant, "tenant");
        }

        var user = await store.SaveEndUserAsync(tenant, request.Id, request.Name, cancel);
        return Results.Json(new EndUser(user.UserId, user.Name, Mapping.Time(user.CreatedAt)), Client.TollgateJson.Options);
    }

    /// <summary>The settings with the request's fields applied, or the problem with the first bad field.</summary>
    private static (TenantSettings? Settings, IResult? Problem) Apply(TenantSettings current, TenantRequest r, PriceBookRegistry books)
    {
        if (r.TimeZone is { } zone && !TenantCalendar.IsKnownZone(zone))
        {
            return (null, Problems.Invalid("time_zone", $"'{zone}' is not an IANA time zone (such as Asia/Shanghai or UTC)"));
        }

        if (r.PriceBook is { } book && books.Find(book) is null)
        {
            return (null, Problems.Of(StatusCodes.Status400BadRequest, PriceBookChange.NotFound, $"no price book '{book}'", "price_book"));
        }

        if (r.Plan is { } plan && !Plans.IsKnown(plan))
        {
            return (null, Problems.Invalid("plan", $"'{plan}' is not a plan: free or premium"));
        }

        if (r.UserDiscount is { } discount && (discount <= 0m || discount > 1m))
        {
            return (null, Problems.Invalid("user_discount", "must be greater than 0 and at most 1 (0.9 = 10% off)"));
        }

        if (r.FreeChannels is { } free && free.FirstOrDefault(c => Validate.Name(c, "free_channels") is not null) is { } badChannel)
        {
            return (null, Problems.Invalid("free_channels", $"'{badChannel}' is not a channel name"));
        }

        if (r.ChannelUnits is { } units && units.FirstOrDefault(u => Validate.Name(u.Key, "channel_units") is not null || Validate.Name(u.Value, "channel_units") is not null) is { Key: not null } badUnit)
        {
            return (null, Problems.Invalid($"channel_units.{badUnit.Key}", "channel and unit must be names"));
        }

        if (r.UnitRates is { } rates)
        {
            foreach (var (pair, rate) in rates)
            {
                var parts = pair.Split("->");
                if (parts.Length != 2 || parts.Any(p => Validate.Name(p, "unit_rates") is not null))
                {
                    return (null, Problems.Invalid($"unit_rates.{pair}", "a rate is named 'from->to', such as 'credits->api_tokens'"));
                }

                if (Validate.Amount(rate, $"unit_rates.{pair}") is { } badRate)
                {
                    return (null, badRate);
                }
            }
        }

        if (r.DiscountTiers is { } tiers)
        {
            for (var i = 0; i < tiers.Count; i++)
            {
                if (tiers[i] is null || tiers[i].Threshold < 0m || tiers[i].Threshold > Validate.MaxAmount)
                {
                    return (null, Problems.Invalid($"discount_tiers[{i}].threshold", $"must be a cumulative recharge from 0 to {Validate.MaxAmount}"));
                }

                if (tiers[i].Discount <= 0m || tiers[i].Discount > 1m)
                {
                    return (null, Problems.Invalid($"discount_tiers[{i}].discount", "must be greater than 0 and at most 1 (0.9 = 10% off)"));
                }
            }

            if (tiers.Select(t => t.Threshold).Distinct().Count() != tiers.Count)
            {
                return (null, Problems.Invalid("discount_tiers", "two tiers have the same threshold"));
            }
        }

        if (r.LowBalance is { } low)
        {
            foreach (var (unit, threshold) in low)
            {
                if ((Validate.Name(unit, "low_balance") ?? Validate.Amount(threshold, $"low_balance.{unit}", allowZero: true)) is { } badLow)
                {
                    return (null, badLow);
                }
            }
        }

        var routes = current.EffectiveRoutes;
        var newRoutes = new FundingRoutes(
            r.ChannelUnits ?? routes.ChannelUnits,
            r.UnitRates ?? routes.UnitRates,
            r.FreeChannels is { } channels ? new HashSet<string>(channels, StringComparer.Ordinal) : routes.FreeChannels,
            r.MessageBilling ?? routes.MessageBilling);
        return (current with
        {
            TimeZone = r.TimeZone ?? current.TimeZone,
            PriceBook = r.PriceBook ?? current.PriceBook,
            Plan = r.Plan ?? current.Plan,
            UserDiscount = r.UserDiscount ?? current.UserDiscount,
            FundingOrder = r.FundingOrder is { } order ? (FundingOrder)(int)order : current.FundingOrder,
            Strict = r.Strict ?? current.Strict,
            Routes = newRoutes,
            Cycle = r.BillingCycle is { } cycle ? (BillingPeriod)(int)cycle : current.Cycle,
            DiscountTiers = r.DiscountTiers is { } t ? [.. t.OrderBy(x => x.Threshold).Select(x => new Core.Tenants.DiscountTier(x.Threshold, x.Discount))] : current.DiscountTiers,
            LowBalance = r.LowBalance is { } l ? l.ToDictionary(StringComparer.Ordinal) : current.LowBalance,
        }, null);
    }
}
