using System.Globalization;
using Tollgate.Core.Funding;
using Tollgate.Storage.Ledger;

namespace Tollgate.WebConsole.Components.Shared;

/// <summary>
/// The operator's free-quota form as posted (strings, so a bad value is a message). It opens the account with the
/// same store call as POST /v1/tenants/{t}/free-quotas and the same rules (unit, limit above zero, period day or
/// lifetime). Like that endpoint it has no idempotency key: each accepted submit defines one quota.
/// </summary>
public sealed class FreeQuotaInput
{
    public string? Unit { get; set; }

    public string? Limit { get; set; }

    public string? Period { get; set; }

    /// <summary>Validates and opens the quota; returns the message to show and whether it is an error.</summary>
    public async Task<(string Message, bool Failed)> ApplyAsync(LedgerStore ledger, string tenant, CancellationToken cancel)
    {
        if (string.IsNullOrWhiteSpace(Unit) || Unit.Length > 64)
        {
            return ("Unit is required (such as credits or api_tokens).", true);
        }

        if (!TopUpInput.Positive(Limit, out var limit))
        {
            return ($"Limit must be a number greater than zero, such as 1000 (got '{Limit}').", true);
        }

        if (Period is not ("day" or "lifetime"))
        {
            return ("Period must be day (refilled at the tenant's midnight) or lifetime.", true);
        }

        try
        {
            var id = await ledger.OpenAccountAsync(new OpenAccount(tenant, AccountKind.FreeQuota, Unit.Trim(), QuotaPeriod: Period, QuotaLimit: limit), cancel);
            return ($"Free quota {id} defined: {limit.ToString(CultureInfo.InvariantCulture)} {Unit.Trim()} per {(Period == "day" ? "day" : "lifetime")}.", false);
        }
        catch (LedgerException ex)
        {
            return (ex.Message, true);
        }
    }
}
