using NodaTime;
using Tollgate.Core.Events;
using Tollgate.Core.Funding;

namespace Tollgate.Core.Tests.Funding;

public sealed class FunderTests
{
    private static readonly Instant Now = Instant.FromUtc(2025, 3, 1, 2, 0);

    private static FundingRequest Request(decimal charge, decimal tokens = 0m, string channel = Channels.Editor, string model = "GLM-4") =>
        new(charge, "CNY", BillingTypes.LlmText, model, channel, tokens, Now);

    private static FundingSource Money(long id, AccountKind kind, decimal available, Instant? expires = null, int priority = 0) =>
        new(id, kind, "CNY", available, AccountScope.Any, expires, priority);

    [Fact]
    public void Plan_SeedExample_TakesHalfFromRechargeAndHalfFromBonus()
    {
        var plan = Funder.Plan(Request(10m), [Money(1, AccountKind.Recharge, 10m), Money(2, AccountKind.Bonus, 10m)], FundingOrder.Proportional, 8);

        Assert.True(plan.FullyCovered);
        Assert.Equal([(1L, 5m), (2L, 5m)], plan.Allocations.Select(a => (a.AccountId, a.Amount)));
    }

    [Fact]
    public void Plan_ResourcePackWithEnoughTokens_PaysAloneAndMoneyDoesNotMove()
    {
        var pack = new FundingSource(3, AccountKind.ResourcePack, "tokens", 1_000_000m, new AccountScope(new HashSet<string>(), new HashSet<string> { "GLM-4" }, new HashSet<string>()));

        var plan = Funder.Plan(Request(10m, tokens: 50_000m), [Money(1, AccountKind.Recharge, 10m), Money(2, AccountKind.Bonus, 10m), pack], FundingOrder.Proportional, 8);

        var only = Assert.Single(plan.Allocations);
        Assert.Equal((3L, 50_000m, 10m), (only.AccountId, only.Amount, only.Covers));
    }

    [Fact]
    public void Plan_PackForAnotherModel_IsNotUsed()
    {
        var pack = new FundingSource(3, AccountKind.ResourcePack, "tokens", 1_000_000m, new AccountScope(new HashSet<string>(), new HashSet<string> { "Other" }, new HashSet<string>()));

        var plan = Funder.Plan(Request(10m, tokens: 50_000m), [Money(1, AccountKind.Recharge, 20m), pack], FundingOrder.Proportional, 8);

        Assert.Equal(1L, Assert.Single(plan.Allocations).AccountId);
    }

    [Fact]
    public void Plan_PackShort_CoversItsShareAndMoneyPaysTheRest()
    {
        var pack = new FundingSource(3, AccountKind.ResourcePack, "tokens", 30_000m, AccountScope.Any);

        var plan = Funder.Plan(Request(10m, tokens: 40_000m), [Money(1, AccountKind.Recharge, 100m), pack], FundingOrder.Proportional, 8);

        Assert.Equal([(3L, 30_000m, 7.5m), (1L, 2.5m, 2.5m)], plan.Allocations.Select(a => (a.AccountId, a.Amount, a.Covers)));
    }

    [Fact]
    public void Plan_PacksByEarliestExpiry_ExpiredPackSkipped()
    {
        var expired = new FundingSource(4, AccountKind.ResourcePack, "tokens", 1_000m, AccountScope.Any, Now - Duration.FromDays(1));
        var later = new FundingSource(5, AccountKind.ResourcePack, "tokens", 1_000m, AccountScope.Any, Now + Duration.FromDays(30));
        var sooner = new FundingSource(6, AccountKind.ResourcePack, "tokens", 600m, AccountScope.Any, Now + Duration.FromDays(2));

        var plan = Funder.Plan(Request(1m, tokens: 1_000m), [expired, later, sooner], FundingOrder.Proportional, 8);

        Assert.Equal([(6L, 600m), (5L, 400m)], plan.Allocations.Select(a => (a.AccountId, a.Amount)));
        Assert.Equal(1m, plan.Allocations.Sum(a => a.Covers));
    }

    [Fact]
    public void Plan_FreeQuota_CoversWholeEventWithOneUnit()
    {
        var quota = new FundingSource(9, AccountKind.FreeQuota, "calls", 30m, new AccountScope(new HashSet<string>(), new HashSet<string>(), new HashSet<string> { Channels.Api }));

        var api = Funder.Plan(Request(3.5m, channel: Channels.Api), [Money(1, AccountKind.Recharge, 100m), quota], FundingOrder.Proportional, 8);
        var editor = Funder.Plan(Request(3.5m, channel: Channels.Editor), [Money(1, AccountKind.Recharge, 100m), quota], FundingOrder.Proportional, 8);

        Assert.Equal((9L, 1m, 3.5m), (api.Allocations[0].AccountId, api.Allocations[0].Amount, api.Allocations[0].Covers));
        Assert.Equal(1L, Assert.Single(editor.Allocations).AccountId);
    }

    [Fact]
    public void Plan_NotEnough_LeavesUncovered()
    {
        var plan = Funder.Plan(Request(10m), [Money(1, AccountKind.Recharge, 3m), Money(2, AccountKind.Bonus, 4m)], FundingOrder.Proportional, 8);

        Assert.Equal(3m, plan.Uncovered);
        Assert.Equal(7m, plan.Allocations.Sum(a => a.Amount));
    }

    [Theory]
    [InlineData(FundingOrder.BonusFirst, new long[] { 3, 2 })]
    [InlineData(FundingOrder.Priority, new long[] { 3, 1 })]
    [InlineData(FundingOrder.EarliestExpiry, new long[] { 1, 3 })]
    public void Plan_OrderedPolicies_TakeInOrder(FundingOrder order, long[] expected)
    {
        var sources = new[]
        {
            Money(1, AccountKind.Recharge, 8m, Now + Duration.FromDays(1), priority: 2),
            Money(2, AccountKind.Bonus, 6m, Now + Duration.FromDays(10), priority: 3),
            Money(3, AccountKind.Bonus, 6m, Now + Duration.FromDays(5), priority: 1),
        };

        var plan = Funder.Plan(Request(10m), sources, order, 8);

        Assert.Equal(expected, plan.Allocations.Select(a => a.AccountId));
        Assert.Equal(10m, plan.Allocations.Sum(a => a.Amount));
    }

}
