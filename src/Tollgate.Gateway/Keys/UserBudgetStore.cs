using Dapper;
using Tollgate.Core.Money;
using Tollgate.Storage.Sql;

namespace Tollgate.Gateway.Keys;

/// <summary>
/// Hard spend limits per end user (a gateway key's subject), shared by every key of that user: enforced inside the
/// reservation like a key's budget, counted under <c>user:&lt;subject&gt;</c> in the budget counters.
/// </summary>
public sealed class UserBudgetStore(SqlDialect dialect)
{
    /// <summary>The budget counter of an end user (gateway key ids are hex, so never the same).</summary>
    public static string Counter(string subject) => "user:" + subject;

    public async Task SetAsync(string tenant, string subject, KeyBudget budget, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        await connection.ExecuteAsync(
            "INSERT INTO gateway_user_budgets (tenant_id, subject, budget, budget_period) VALUES (@tenant, @subject, @limit, @Period) " +
            "ON CONFLICT (tenant_id, subject) DO UPDATE SET budget = excluded.budget, budget_period = excluded.budget_period",
            new { tenant, subject, limit = KeyLimits.Units(budget.Limit), budget.Period });
    }

    public async Task<bool> DeleteAsync(string tenant, string subject, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        return await connection.ExecuteAsync("DELETE FROM gateway_user_budgets WHERE tenant_id = @tenant AND subject = @subject", new { tenant, subject }) == 1;
    }

    public async Task<KeyBudget?> GetAsync(string tenant, string subject, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var row = await connection.QuerySingleOrDefaultAsync<(long Budget, string Period)?>(
            "SELECT budget, budget_period FROM gateway_user_budgets WHERE tenant_id = @tenant AND subject = @subject", new { tenant, subject });
        return row is { } r ? new KeyBudget(LedgerAmount.FromUnits(r.Budget), r.Period) : null;
    }

    public async Task<IReadOnlyList<(string Subject, KeyBudget Budget)>> ListAsync(string tenant, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = await connection.QueryAsync<(string Subject, long Budget, string Period)>(
            "SELECT subject, budget, budget_period FROM gateway_user_budgets WHERE tenant_id = @tenant ORDER BY subject", new { tenant });
        return [.. rows.Select(r => (r.Subject, new KeyBudget(LedgerAmount.FromUnits(r.Budget), r.Period)))];
    }
}
