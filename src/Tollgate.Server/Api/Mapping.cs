using Tollgate.Core.Catalogs;
using Tollgate.Core.Rating;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Keys;
using Tollgate.Storage.Ledger;
using C = Tollgate.Client.Contracts;

namespace Tollgate.Server.Api;

/// <summary>From the engine's types to the API's contracts (Tollgate.Client.Contracts), in one place.</summary>
public static class Mapping
{
    public static C.Charge ToContract(this RatedCharge charge) => new(
        charge.Total,
        charge.Subtotal,
        charge.Unit,
        [.. charge.Lines.Select(l => new C.ChargeLine(l.Meter, l.Quantity, l.UnitPrice, l.Per, l.Currency, l.Amount, [.. l.Modifiers.Select(m => new C.Modifier(m.Kind, m.Factor, m.Note))], l.Estimated ? true : null))],
        charge.PriceBook);

    public static C.EventResult ToContract(this RecordResult r, IReadOnlyList<C.Balance>? balances = null) => new(
        r.EventId,
        r.Status,
        r.Duplicate,
        r.Charge?.ToContract(),
        r.Payer,
        r.Unit,
        r.Amount,
        r.Payments?.Select(ToContract).ToList(),
        r.Arrears,
        r.Error?.ToContract(),
        balances,
        r.Uncollected);

    public static C.Payment ToContract(this Payment p) => new(p.AccountId, p.Kind, p.Unit, p.Amount, p.Covers);

    public static C.ItemError ToContract(this RatingError e) => new(e.Code, e.Message, e.Field);

    public static C.Balance ToContract(this AccountBalance b) => new(
        b.AccountId, b.Owner, b.Kind, b.Unit, b.Posted, b.Held, b.Available, b.ExpiresAt is { } ms ? Time(ms) : null);

    public static C.Balances ToContract(string tenant, IReadOnlyList<AccountBalance> balances) => new(
        tenant,
        [.. balances.Where(b => b.Kind != AccountKinds.Arrears).Select(ToContract)],
        balances.Where(b => b.Kind == AccountKinds.Arrears).GroupBy(b => b.Unit, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => -g.Sum(b => b.Posted), StringComparer.Ordinal));

    public static C.Reservation ToContract(this HoldResult h) => new(h.HoldId, h.Status, h.Unit, h.Amount, h.Payments?.Select(ToContract).ToList());

    public static C.Tenant ToContract(this TenantSettings s, decimal cumulativeRecharge)
    {
        var routes = s.EffectiveRoutes;
        return new C.Tenant(
            s.Id,
            s.TimeZone,
            s.PriceBook,
            s.Plan,
            s.UserDiscount,
            (C.FundingOrder)(int)s.FundingOrder,
            s.Strict,
            routes.MessageBilling,
            [.. routes.FreeChannels.Order(StringComparer.Ordinal)],
            routes.ChannelUnits.ToDictionary(StringComparer.Ordinal),
            routes.UnitRates.ToDictionary(StringComparer.Ordinal),
            cumulativeRecharge,
            (C.BillingCycle)(int)s.Cycle,
            [.. s.Tiers.Select(t => new C.DiscountTier(t.Threshold, t.Discount))],
            s.LowBalanceThresholds.ToDictionary(StringComparer.Ordinal));
    }

    public static C.ApiKeyInfo ToContract(this ApiKey k) => new(k.Id, k.Tenant, k.Name, k.CanRecord, Time(k.CreatedAt), k.RevokedAt is { } r ? Time(r) : null);

    public static C.LedgerTransfer ToContract(this TransferEntry t) => new(
        t.TransferId, Time(t.CreatedAt), t.Kind, t.Unit, t.Amount, t.Pending, t.DebitAccount, t.DebitKind, t.DebitOwner,
        t.CreditAccount, t.CreditKind, t.CreditOwner, t.EventId, t.HoldId);

    public static C.PriceBookInfo ToContract(this PriceBook book, System.Text.Json.JsonElement? document = null) => new(
        book.Id,
        book.Name,
        book.Source,
        [.. book.Versions.Select(v => new C.PriceBookVersionInfo(v.Version, v.EffectiveFrom.ToDateTimeOffset(), v.Settlement.Unit, v.Settlement.Scale, v.Items.Count))],
        document);

    public static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
}
