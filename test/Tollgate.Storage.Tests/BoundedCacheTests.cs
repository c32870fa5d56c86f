using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Tests;

/// <summary>The caches of derived texts build each value once, and start again empty past their size.</summary>
public sealed class BoundedCacheTests
{
    [Fact]
    public void GetOrAdd_BuildsEachValueOnce_AndPastItsSizeStartsAgainEmpty()
    {
        var built = 0;
        var cache = new BoundedCache<string, string>(2, StringComparer.Ordinal);
        string Build(string key) => $"{key}:{++built}";

        Assert.Equal("a:1", cache.GetOrAdd("a", Build));
        Assert.Equal("a:1", cache.GetOrAdd("a", Build));
        Assert.Equal("b:2", cache.GetOrAdd("b", Build));
        Assert.Equal("c:3", cache.GetOrAdd("c", Build)); // full: emptied, then c kept
        Assert.Equal("c:3", cache.GetOrAdd("c", Build));
        Assert.Equal("a:4", cache.GetOrAdd("a", Build)); // built again after the reset
    }
}
