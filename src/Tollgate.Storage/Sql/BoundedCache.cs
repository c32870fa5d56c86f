using System.Collections.Concurrent;

namespace Tollgate.Storage.Sql;

/// <summary>
/// Values derived from texts that repeat (row insert shapes, parameter names, stored tenant settings), kept for the
/// process so that they are built once. Past <paramref name="capacity"/> entries the cache starts again empty, so that
/// texts that come and go (settings changed over months) cannot grow it without bound.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> values = new(comparer);

    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        if (values.TryGetValue(key, out var value))
        {
            return value;
        }

        if (values.Count >= capacity)
        {
            values.Clear();
        }

        return values.GetOrAdd(key, create);
    }
}
