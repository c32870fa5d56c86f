using System.Collections.Frozen;
using Dapper;
using NodaTime;
using Tollgate.Core.Catalogs;
using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Catalogs;

/// <summary>What creating a price book or a version did: the book as it now is, or why nothing changed.</summary>
public sealed record PriceBookChange(PriceBook? Book, string? Code = null, IReadOnlyList<string>? Errors = null)
{

    public const string NotFound = "unknown_price_book";
    public const string Exists = "price_book_exists";
    public const string Invalid = "invalid_price_book";
    public const string Retroactive = "effective_in_past";
    public const string Conflict = "concurrent_change";
}

/// <summary>
/// The price books in force: the built-in catalogs plus books and versions created through the API (stored as JSON
/// documents in <c>price_books</c>). Versions are only ever added, never changed or removed, and a version added to an
/// existing book never takes effect in the past, so an event always rates by the version in force at its time (a new
/// book may start at any date: nothing was priced with it yet). Reads are lock-free from a snapshot.
/// </summary>
public sealed class PriceBookRegistry(SqlDialect dialect, IClock clock)
{
    private sealed record Entry(PriceBook Book, object Tree, int Revision, bool Stored);

    private volatile FrozenDictionary<string, Entry> books = BuiltIns.Value;

    public PriceBook? Find(string id) => books.GetValueOrDefault(id)?.Book;

    /// <summary>The whole document of a book as JSON (every version), or null when there is no such book.</summary>
    public string? Document(string id) => books.GetValueOrDefault(id) is { } entry ? PriceBookDocument.ToJson(entry.Tree) : null;

    public IReadOnlyList<PriceBook> All => [.. books.Values.Select(e => e.Book).OrderBy(b => b.Id, StringComparer.Ordinal)];

    /// <summary>
    /// Re-reads the stored books (at start, after a change, and periodically for changes made by other nodes); only a
    /// book whose revision changed is fetched and parsed again.
    /// </summary>
    public async Task LoadAsync(CancellationToken cancel = default)
    {
        var current = books;
        var all = new Dictionary<string, Entry>(BuiltIns.Value, StringComparer.Ordinal);
        await using var connection = await dialect.OpenAsync(cancel);
        foreach (var (id, revision) in await connection.QueryAsync<(string, int)>("SELECT book_id, revision FROM price_books"))
        {
            if (current.GetValueOrDefault(id) is { Stored: true } known && known.Revision == revision)
            {
                all[id] = known;
                continue;
            }

            var document = await connection.ExecuteScalarAsync<string>("SELECT document FROM price_books WHERE book_id = @id", new { id });
            PriceBookDocument.TryParse(document!, out var tree, out _);
            var read = PriceBookReader.Read(tree);
            if (read.IsSuccess)
            {
                all[id] = new Entry(read.Book, tree!, revision, Stored: true);
            }
        }

        books = all.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Creates a new price book from a whole document (YAML or JSON); its id must be new.</summary>
    public async Task<PriceBookChange> CreateAsync(string text, CancellationToken cancel = default)
    {
        if (!PriceBookDocument.TryParse(text, out var tree, out var error))
        {
            return new PriceBookChange(null, PriceBookChange.Invalid, [error!]);
        }

        var read = PriceBookReader.Read(tree);
        if (!read.IsSuccess)
        {
            return new PriceBookChange(null, PriceBookChange.Invalid, read.Errors);
        }

        if (Find(read.Book.Id) is not null)
        {
            return new PriceBookChange(null, PriceBookChange.Exists, [$"id: a price book '{read.Book.Id}' already exists; add a version to it instead"]);
        }

        // Any date is fine for a new book: nothing was ever priced with it, so no recorded usage can change.
        return await SaveAsync(read.Book, tree!, null, cancel);
    }

    /// <summary>Adds a version (one version mapping, YAML or JSON) after the book's latest.</summary>
    public async Task<PriceBookChange> AddVersionAsync(string id, string text, CancellationToken cancel = default)
    {
        if (books.GetValueOrDefault(id) is not { } entry)
        {
            return new PriceBookChange(null, PriceBookChange.NotFound, [$"no price book '{id}'"]);
        }

        if (!PriceBookDocument.TryParse(text, out var version, out var error))
        {
            return new PriceBookChange(null, PriceBookChange.Invalid, [error!]);
        }

        // Read on its own first, so a version dated in the past is named as such rather than as out of order.
        var alone = PriceBookReader.Read(PriceBookDocument.WithOnlyVersion(entry.Tree, version));
        if (alone.IsSuccess && Retroactive(alone.Book.Latest.EffectiveFrom) is { } retro)
        {
            return retro;
        }

        var tree = PriceBookDocument.WithVersion(entry.Tree, version);
        var extended = PriceBookReader.Read(tree);
        return extended.IsSuccess
            ? await SaveAsync(extended.Book, tree, entry, cancel)
            : new PriceBookChange(null, PriceBookChange.Invalid, extended.Errors);
    }

    /// <summary>
    /// A book with the candidate version as its only version (in force for every event), checked as if it were added
    /// to <paramref name="id"/>: what a dry run rates with.
    /// </summary>
    public PriceBookChange Candidate(string id, string text)
    {
        if (books.GetValueOrDefault(id) is not { } entry)
        {
            return new PriceBookChange(null, PriceBookChange.NotFound, [$"no price book '{id}'"]);
        }

        if (!PriceBookDocument.TryParse(text, out var version, out var error))
        {
            return new PriceBookChange(null, PriceBookChange.Invalid, [error!]);
        }

        var read = PriceBookReader.Read(PriceBookDocument.WithOnlyVersion(entry.Tree, version));
        return read.IsSuccess
            ? new PriceBookChange(read.Book with { Versions = [read.Book.Latest with { EffectiveFrom = Instant.MinValue }] })
            : new PriceBookChange(null, PriceBookChange.Invalid, read.Errors);
    }

    private PriceBookChange? Retroactive(Instant effectiveFrom) =>
        effectiveFrom < clock.GetCurrentInstant()
            ? new PriceBookChange(null, PriceBookChange.Retroactive, [$"effective_from: {effectiveFrom} is in the past; a price change takes effect now or later, never for usage already recorded"])
            : null;

    private async Task<PriceBookChange> SaveAsync(PriceBook book, object tree, Entry? previous, CancellationToken cancel)
    {
        var document = PriceBookDocument.ToJson(tree);
        var now = clock.GetCurrentInstant().ToUnixTimeMilliseconds();
        await using var connection = await dialect.OpenAsync(cancel);
        int changed;
        if (previous is { Stored: true })
        {
            changed = await connection.ExecuteAsync(
                "UPDATE price_books SET revision = @revision, document = @document, updated_at = @now WHERE book_id = @id AND revision = @old",
                new { id = book.Id, revision = book.Versions.Count, document, now, old = previous.Revision });
        }
        else
        {
            changed = await connection.ExecuteAsync(
                "INSERT INTO price_books (book_id, revision, document, updated_at) VALUES (@id, @revision, @document, @now) ON CONFLICT (book_id) DO NOTHING",
                new { id = book.Id, revision = book.Versions.Count, document, now });
        }

        await LoadAsync(cancel);
        return changed == 1
            ? new PriceBookChange(Find(book.Id))
            : new PriceBookChange(null, PriceBookChange.Conflict, [$"price book '{book.Id}' was changed at the same time by another request; read it again and retry"]);
    }

    /// <summary>The built-in books, parsed once: every reload (each sweep) starts from them, and their trees are never changed.</summary>
    private static readonly Lazy<FrozenDictionary<string, Entry>> BuiltIns = new(() =>
        BuiltInCatalogs.All.ToFrozenDictionary(
            book => book.Id,
            book =>
            {
                PriceBookDocument.TryParse(BuiltInCatalogs.Text(book.Id), out var tree, out _);
                return new Entry(book, tree!, book.Versions.Count, Stored: false);
            },
            StringComparer.Ordinal));
}
