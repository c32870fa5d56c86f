using Dapper;

namespace Tollgate.Storage.Ledger;

/// <summary>Operator-wide figures for the metrics: read on a scrape, not on the hot path.</summary>
public sealed partial class LedgerStore
{
    /// <summary>Holds still held (reserved, neither settled, released nor expired), per unit, over every tenant.</summary>
    public async Task<IReadOnlyDictionary<string, long>> HeldCountsAsync(CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = await connection.QueryAsync<(string Unit, long Count)>(
            new CommandDefinition("SELECT unit, COUNT(*) FROM holds WHERE status = 'held' GROUP BY unit", cancellationToken: cancel));
        return rows.ToDictionary(r => r.Unit, r => r.Count, StringComparer.Ordinal);
    }
}
