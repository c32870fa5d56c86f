using System.Net;
using Tollgate.Client;
using Tollgate.Client.Contracts;

namespace Tollgate.Server.Tests;

/// <summary>Issue 11 over HTTP: large amounts (item 6), strict settles (item 3), hold and grant edges (item 11), both engines.</summary>
public sealed class LedgerLimitsApiTests
{
    private static async Task<TollgateException> Refused(Func<Task> call) => await Assert.ThrowsAsync<TollgateException>(call);

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Amounts_from_the_issue_work_and_the_ledger_stays_clean(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await server.Operator.CreateTenantAsync(new TenantRequest("acme"));

        for (var i = 0; i < 5; i++)
        {
            await server.Operator.TopUpAsync("acme", new TopUpRequest($"pack-{i}", TopUpKind.ResourcePack, "tokens", 10_000_000_000m));
        }

        await server.Operator.TopUpAsync("acme", new TopUpRequest("big", TopUpKind.Recharge, "credits", 50_000_000_000m));
        await server.Operator.TopUpAsync("acme", new TopUpRequest("paid", TopUpKind.Recharge, "credits", 1_000_000_000_000m, Paid: 1_000_000_000_000m));
        var held = await server.Operator.ReserveAsync("acme", new ReservationRequest("h", 1_000_000_000_000m, "credits"));

        Assert.Equal(("held", 1_000_000_000_000m), (held.Status, held.Amount));
        var balances = await server.Operator.GetBalancesAsync("acme");
        Assert.Equal(50_000_000_000m, balances.Accounts.Where(a => a.Kind == "resource_pack").Sum(a => a.Available));
        Assert.Equal(50_000_000_000m, balances.Accounts.Single(a => a.Kind == "recharge").Available);
        Assert.Equal(1_000_000_000_000m, (await server.Operator.GetTenantAsync("acme")).CumulativeRecharge);
        Assert.True((await server.Store.CheckAsync()).Clean);
    }

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Amounts_past_the_documented_limit_are_400_naming_the_field(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");

        var topUp = await Refused(() => server.Operator.TopUpAsync("acme", new TopUpRequest("t", TopUpKind.Recharge, "credits", 1_000_000_000_000_001m)));
        var paid = await Refused(() => server.Operator.TopUpAsync("acme", new TopUpRequest("p", TopUpKind.Recharge, "credits", 1m, Paid: 10_000_000_000_000_000m)));
        var hold = await Refused(() => server.Operator.ReserveAsync("acme", new ReservationRequest("h", 10_000_000_000_000_000m, "credits")));

        Assert.Equal((HttpStatusCode.BadRequest, "amount"), (topUp.Status, topUp.Problem?.Field));
        Assert.Equal((HttpStatusCode.BadRequest, "paid"), (paid.Status, paid.Problem?.Field));
        Assert.Equal((HttpStatusCode.BadRequest, "amount"), (hold.Status, hold.Problem?.Field));
        Assert.Equal(1000m, (await server.Operator.GetBalancesAsync("acme")).Accounts.Single().Available);
    }

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task A_strict_tenant_settling_past_its_hold_and_balances_gets_uncollected_not_arrears(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "tight", credits: 10m, strict: true);
        await server.Operator.ReserveAsync("tight", new ReservationRequest("h", 1m, "credits"));

        var settled = await server.Operator.SettleAsync("tight", "h", Samples.Llm("s", "tight", input: 20_000, output: 45_000));

        Assert.Equal(("charged", 44m, 0m, 34m), (settled.Status, settled.Amount, settled.Arrears, settled.Uncollected));
        var balances = await server.Operator.GetBalancesAsync("tight");
        Assert.Equal(0m, balances.Accounts.Single().Available);
        Assert.All(balances.Arrears.Values, owed => Assert.Equal(0m, owed));
    }

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Reservation_edges_are_4xx_with_a_code(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, o => o with { SweepInterval = TimeSpan.FromHours(1) });
        await Samples.FundedTenantAsync(server, "acme");
        await server.Operator.ReserveAsync("acme", new ReservationRequest("h", 5m, "credits", TimeoutSeconds: 60));

        var reused = await Refused(() => server.Operator.ReserveAsync("acme", new ReservationRequest("h", 6m, "credits")));
        var both = await Refused(() => server.Operator.ReserveAsync("acme", new ReservationRequest("b", 5m, "credits", Samples.Llm("est", "acme"))));
        server.Clock.Advance(NodaTime.Duration.FromMinutes(2));
        var expired = await Refused(() => server.Operator.SettleAsync("acme", "h", Samples.Llm("s", "acme")));
        var grant = await Refused(() => server.Operator.TopUpAsync("acme", new TopUpRequest("g", TopUpKind.Grant, "credits", 5m, ExpiresAt: Samples.Time.AddYears(-1))));

        Assert.Equal((HttpStatusCode.Conflict, "idempotency_conflict"), (reused.Status, reused.Code));
        Assert.Equal((HttpStatusCode.BadRequest, "amount"), (both.Status, both.Problem?.Field));
        Assert.Equal((HttpStatusCode.Conflict, "hold_expired"), (expired.Status, expired.Code));
        Assert.Equal((HttpStatusCode.BadRequest, "expires_at"), (grant.Status, grant.Problem?.Field));
        Assert.Equal(995m, (await server.Operator.GetBalancesAsync("acme")).Accounts.Single().Available);
    }
}
