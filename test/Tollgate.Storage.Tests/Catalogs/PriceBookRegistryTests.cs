using NodaTime;
using Tollgate.Storage.Catalogs;

namespace Tollgate.Storage.Tests.Catalogs;

/// <summary>
/// Creating price books and versions on both engines: a brand-new book may start at any date (nothing was priced
/// with it); only a version added to an existing book must never take effect in the past.
/// </summary>
public sealed class PriceBookRegistryTests
{
    private static string Book(string from) => StoreFixture.TestBookYaml.Replace("id: test-book", "id: new-book", StringComparison.Ordinal)
        .Replace("2020-01-01T00:00:00Z", from, StringComparison.Ordinal);

    private const string Version = """
        version: "2"
        effective_from: FROM
        settlement: { unit: credits, scale: 8 }
        groups:
          - types: [llm_text]
            per: 1K
            items:
              - { model: m, prices: { input_tokens: 2, output_tokens: 2 } }
        """;

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task CreateAsync_NewBookDatedInThePast_IsCreated(string engine)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine);
        var registry = new PriceBookRegistry(store.Dialect, clock);

        var change = await registry.CreateAsync(Book("2020-01-01T00:00:00Z"));

        Assert.True(change.Book is not null, string.Join("; ", change.Errors ?? []));
        Assert.Equal(Instant.FromUtc(2020, 1, 1, 0, 0), registry.Find("new-book")!.Versions[0].EffectiveFrom);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AddVersionAsync_InThePast_IsRefusedAndLaterIsAdded(string engine)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine);
        var registry = new PriceBookRegistry(store.Dialect, clock);
        await registry.CreateAsync(Book("2020-01-01T00:00:00Z"));

        var past = await registry.AddVersionAsync("new-book", Version.Replace("FROM", "2024-01-01T00:00:00Z", StringComparison.Ordinal));
        var later = await registry.AddVersionAsync("new-book", Version.Replace("FROM", clock.GetCurrentInstant().Plus(Duration.FromDays(1)).ToString(), StringComparison.Ordinal));

        Assert.Equal(PriceBookChange.Retroactive, past.Code);
        Assert.True(later.Book is not null, string.Join("; ", later.Errors ?? []));
        Assert.Equal(2, registry.Find("new-book")!.Versions.Count);
    }
}
