using NodaTime;

namespace Tollgate.Core.Funding;

/// <summary>
/// Decides which balances pay a charge: a pure function of the charge, the payer's accounts and the policy.
/// </summary>
/// <remarks>
/// Order: a free quota first (one event of it covers the whole charge); then resource packs by earliest expiry,
/// paying in tokens (a pack with fewer tokens than the event used covers that fraction of the charge); then the
/// money balances (recharge and bonus) in the configured <see cref="FundingOrder"/>. What is left is uncovered.
/// Amounts are at <c>scale</c> decimal places; the covered money of packs is rounded half-up once, cumulatively,
/// so the sum of the covers never drifts from the charge.
/// </remarks>
public static class Funder
{
    public static FundingPlan Plan(FundingRequest request, IReadOnlyList<FundingSource> sources, FundingOrder order, int scale)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sources);
        if (request.Charge == 0m)
        {
            return new FundingPlan(0m, [], 0m);
        }

        var eligible = sources
            .Where(s => s.Available > 0m && (s.ExpiresAt is null || s.ExpiresAt > request.At) && s.Scope.Allows(request.Type, request.Model, request.Channel))
            .ToList();

        var quota = eligible.Where(s => s.Kind == AccountKind.FreeQuota && s.Available >= 1m).OrderBy(s => s.ExpiresAt ?? Instant.MaxValue).ThenBy(s => s.AccountId).FirstOrDefault();
        if (quota is not null)
        {
            return new FundingPlan(request.Charge, [new Allocation(quota.AccountId, quota.Kind, quota.Unit, 1m, request.Charge)], 0m);
        }

        var allocations = new List<Allocation>();
        var remaining = request.Charge;
        if (request.Tokens > 0m)
        {
            remaining -= PayWithPacks(request, eligible, scale, allocations);
        }

        if (remaining > 0m)
        {
            var money = eligible.Where(s => s.Kind is AccountKind.Recharge or AccountKind.Bonus && string.Equals(s.Unit, request.Unit, StringComparison.Ordinal)).ToList();
            remaining -= order == FundingOrder.Proportional
                ? PayProportionally(remaining, money, scale, allocations)
                : PayInOrder(remaining, Sort(money, order), allocations);
        }

        return new FundingPlan(request.Charge, allocations, remaining);
    }

    private static decimal PayWithPacks(FundingRequest request, List<FundingSource> eligible, int scale, List<Allocation> allocations)
    {
        var packs = eligible.Where(s => s.Kind == AccountKind.ResourcePack).OrderBy(s => s.ExpiresAt ?? Instant.MaxValue).ThenBy(s => s.AccountId);
        decimal tokensUsed = 0m, covered = 0m;
        foreach (var pack in packs)
        {
            if (tokensUsed == request.Tokens)
            {
                break;
            }

            var take = Math.Min(pack.Available, request.Tokens - tokensUsed);
            tokensUsed += take;
            var coveredSoFar = decimal.Round(request.Charge * tokensUsed / request.Tokens, scale, MidpointRounding.AwayFromZero);
            allocations.Add(new Allocation(pack.AccountId, pack.Kind, pack.Unit, take, coveredSoFar - covered));
            covered = coveredSoFar;
        }

        return covered;
    }

    private static decimal PayProportionally(decimal amount, List<FundingSource> money, int scale, List<Allocation> allocations)
    {
        var shares = ProportionalSplit.Split(amount, money.Select(m => m.Available).ToArray(), scale);
        var paid = 0m;
        for (var i = 0; i < money.Count; i++)
        {
            if (shares[i] > 0m)
            {
                allocations.Add(new Allocation(money[i].AccountId, money[i].Kind, money[i].Unit, shares[i], shares[i]));
                paid += shares[i];
            }
        }

        return paid;
    }

    private static decimal PayInOrder(decimal amount, IEnumerable<FundingSource> money, List<Allocation> allocations)
    {
        var paid = 0m;
        foreach (var account in money)
        {
            var take = Math.Min(account.Available, amount - paid);
            if (take <= 0m)
            {
                break;
            }

            allocations.Add(new Allocation(account.AccountId, account.Kind, account.Unit, take, take));
            paid += take;
        }

        return paid;
    }

    private static IEnumerable<FundingSource> Sort(List<FundingSource> money, FundingOrder order) => order switch
    {
        FundingOrder.BonusFirst => money.OrderBy(m => m.Kind == AccountKind.Bonus ? 0 : 1).ThenBy(m => m.ExpiresAt ?? Instant.MaxValue).ThenBy(m => m.AccountId),
        FundingOrder.Priority => money.OrderBy(m => m.Priority).ThenBy(m => m.ExpiresAt ?? Instant.MaxValue).ThenBy(m => m.AccountId),
        FundingOrder.EarliestExpiry => money.OrderBy(m => m.ExpiresAt ?? Instant.MaxValue).ThenBy(m => m.AccountId),
        _ => money.OrderBy(m => m.AccountId),
    };
}
