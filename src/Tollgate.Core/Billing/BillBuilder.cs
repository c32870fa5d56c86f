namespace Tollgate.Core.Billing;

/// <summary>Composes a bill from the lines it takes: pure, so a bill is a function of its lines.</summary>
public static class BillBuilder
{
    public static Bill Build(Bill header, IEnumerable<BillSource> sources)
    {
        var all = sources.ToList();
        var sections = all
            .GroupBy(s => s.Unit, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Section(g.Key, header.Start, [.. g]))
            .ToList();
        var books = all.Select(s => s.PriceBook).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return header with { PriceBooks = books, Units = sections };
    }

    private static BillSection Section(string unit, DateOnly billStart, List<BillSource> sources)
    {
        var charges = sources.Where(s => s.Item.Length == 0).ToList();
        var lines = sources
            .Where(s => !s.Item.StartsWith(BillSource.PaidPrefix, StringComparison.Ordinal))
            .GroupBy(s => (s.Type, s.Model, LateFrom: s.Cycle < billStart ? s.Cycle : (DateOnly?)null))
            .OrderBy(g => g.Key.Type, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.LateFrom)
            .Select(g => new BillItem(
                g.Key.Type,
                g.Key.Model,
                g.Key.LateFrom,
                g.Sum(s => s.Events),
                g.Where(s => s.Item.StartsWith(BillSource.MeterPrefix, StringComparison.Ordinal))
                    .GroupBy(s => s.Item[BillSource.MeterPrefix.Length..], StringComparer.Ordinal)
                    .OrderBy(m => m.Key, StringComparer.Ordinal)
                    .ToDictionary(m => m.Key, m => m.Sum(s => s.Quantity), StringComparer.Ordinal),
                g.Where(s => s.Item.Length == 0).Sum(s => s.Amount),
                [.. g.Select(s => s.PriceBook).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]))
            .ToList();
        var channels = charges
            .GroupBy(s => s.Channel, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ChannelSubtotal(g.Key, g.Sum(s => s.Events), g.Sum(s => s.Amount)))
            .ToList();
        var paid = sources
            .Where(s => s.Item.StartsWith(BillSource.PaidPrefix, StringComparison.Ordinal))
            .GroupBy(s => s.Item[BillSource.PaidPrefix.Length..], StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var kindUnit = g.Key.Split(':', 2);
                return new BillPayment(kindUnit[0], kindUnit.Length > 1 ? kindUnit[1] : unit, g.Sum(s => s.Amount), g.Sum(s => s.Paid));
            })
            .ToList();
        return new BillSection(
            unit,
            charges.Sum(s => s.Events),
            charges.Sum(s => s.Amount),
            paid.Where(p => p.Kind is AccountKinds.FreeQuota or AccountKinds.ResourcePack).Sum(p => p.Covered),
            paid.Where(p => p.Kind == AccountKinds.Arrears).Sum(p => p.Covered),
            lines,
            channels,
            paid,
            paid.Where(p => p.Kind == BillSource.Uncollected).Sum(p => p.Covered));
    }

    /// <summary>The ledger's account kind names that bills single out.</summary>
    private static class AccountKinds
    {
        public const string FreeQuota = "free_quota";
        public const string ResourcePack = "resource_pack";
        public const string Arrears = "arrears";
    }
}
