using Tollgate.Core.Events;
using Tollgate.Core.Rating;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Catalogs;

/// <summary>
/// Rates stored charged events with a candidate version of a price book and compares what each tenant on that book
/// was charged with what it would be charged; changes nothing. The API's dry-run endpoint and the console's price-book
/// page both call this, so they cannot disagree.
/// </summary>
public sealed class PriceBookDryRun(PriceBookRegistry registry, LedgerStore store)
{
    /// <summary>At most this many events are rated (the newest first), so a dry run stays a bounded read.</summary>
    public const int Limit = 100_000;

    /// <param name="tenant">One tenant on the book, or null for every tenant on it.</param>
    /// <param name="from">Unix ms; events at or after it (null: any).</param>
    /// <param name="to">Unix ms; events before it (null: any).</param>
    public async Task<DryRunResult> RunAsync(string bookId, string versionText, string? tenant = null, long? from = null, long? to = null, CancellationToken cancel = default)
    {
        var candidate = registry.Candidate(bookId, versionText);
        if (candidate.Book is not { } book)
        {
            return new DryRunResult(candidate, null, 0, 0, new SortedDictionary<string, int>(StringComparer.Ordinal), []);
        }

        var tenants = (await store.ListTenantsAsync(cancel)).ToDictionary(t => t.Id, StringComparer.Ordinal);
        var sums = new SortedDictionary<(string Tenant, string Unit), Sums>(Comparer<(string, string)>.Create((a, b) =>
            string.CompareOrdinal(a.Item1, b.Item1) is var c and not 0 ? c : string.CompareOrdinal(a.Item2, b.Item2)));
        var failed = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int count = 0, changed = 0;
        var priced = tenants.Values.Where(t => t.PriceBook == bookId && (tenant is null || t.Id == tenant)).Select(t => t.Id);
        foreach (var (body, result) in await store.ChargedEventsAsync(priced, from, to, Limit, cancel))
        {
            var parse = UsageEventParser.Parse(body);
            if (!parse.IsSuccess || result.Charge is not { } was || !tenants.TryGetValue(parse.Event!.Tenant, out var settings))
            {
                continue;
            }

            count++;
            var current = At(sums, settings.Id, was.Unit);
            current.Events++;
            current.Current += was.Total;
            var rating = Rater.Rate(parse.Event, book, new RatingContext(settings.Plan, settings.UserDiscount));
            if (!rating.IsSuccess)
            {
                failed[rating.Error.Code] = failed.GetValueOrDefault(rating.Error.Code) + 1;
                current.Changed++;
                changed++;
                continue;
            }

            At(sums, settings.Id, rating.Charge.Unit).Candidate += rating.Charge.Total;
            if (rating.Charge.Total != was.Total || rating.Charge.Unit != was.Unit)
            {
                current.Changed++;
                changed++;
            }
        }

        return new DryRunResult(null, book.Latest.Version, count, changed, failed,
            [.. sums.Select(s => new DryRunTenantTotal(s.Key.Tenant, s.Key.Unit, s.Value.Events, s.Value.Changed, s.Value.Current, s.Value.Candidate))]);
    }

    private static Sums At(IDictionary<(string, string), Sums> sums, string tenant, string unit)
    {
        if (!sums.TryGetValue((tenant, unit), out var s))
        {
            sums[(tenant, unit)] = s = new Sums();
        }

        return s;
    }

    private sealed class Sums
    {
        public int Events;
        public int Changed;
        public decimal Current;
        public decimal Candidate;
    }
}
