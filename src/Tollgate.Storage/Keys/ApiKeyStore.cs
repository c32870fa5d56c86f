using System.Security.Cryptography;
using System.Text;
using Dapper;
using NodaTime;
using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Keys;

/// <summary>An API key as listed: never its secret.</summary>
/// <param name="Tenant">The tenant it belongs to, or null for an operator key.</param>
/// <param name="CanRecord">A tenant key that may also record usage and create reservations.</param>
public sealed record ApiKey(string Id, string? Tenant, string Name, bool CanRecord, long CreatedAt, long? RevokedAt)
{
    public bool IsOperator => Tenant is null;
}

/// <summary>A key just created: <see cref="Secret"/> is the whole key, shown once and stored only as a hash.</summary>
public sealed record CreatedKey(ApiKey Key, string Secret);

/// <summary>
/// Operator and tenant API keys. A key reads <c>tg_{id}_{secret}</c>: the id finds the row, the secret (32 random
/// bytes) is compared with its stored SHA-256 in constant time. A fast hash is right here because the secret is
/// random, not a password.
/// </summary>
public sealed class ApiKeyStore(SqlDialect dialect, IClock clock)
{
    private const string Prefix = "tg_";

    public async Task<CreatedKey> CreateAsync(string? tenant, string name, bool canRecord, CancellationToken cancel = default)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return await InsertAsync(id, secret, tenant, name, canRecord, cancel);
    }

    /// <summary>
    /// On an empty key table, creates the first operator key: from <paramref name="configured"/> when given (it must
    /// have the key form), else a random one. Returns null when keys already exist.
    /// </summary>
    public async Task<CreatedKey?> BootstrapAsync(string? configured, CancellationToken cancel = default)
    {
        await using (var connection = await dialect.OpenAsync(cancel))
        {
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys") > 0)
            {
                return null;
            }
        }

        if (configured is null)
        {
            return await CreateAsync(null, "bootstrap", canRecord: true, cancel);
        }

        var (id, secret) = Split(configured) ?? throw new ArgumentException("a configured bootstrap key must read tg_{id}_{secret}, as `tollgate keys` prints them", nameof(configured));
        return await InsertAsync(id, secret, null, "bootstrap", true, cancel);
    }

    /// <summary>The key a presented secret belongs to, unless it is unknown, wrong or revoked.</summary>
    public async Task<ApiKey?> VerifyAsync(string presented, CancellationToken cancel = default)
    {
        if (Split(presented) is not var (id, secret))
        {
            return null;
        }

        await using var connection = await dialect.OpenAsync(cancel);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(Select + " WHERE key_id = @id", new { id });
        if (row is null || row.RevokedAt is not null)
        {
            return null;
        }

        var expected = Convert.FromHexString(row.SecretHash);
        return CryptographicOperations.FixedTimeEquals(expected, Hash(secret)) ? row.ToKey() : null;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(string? tenant = null, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = await connection.QueryAsync<KeyRow>(
            Select + (tenant is null ? string.Empty : " WHERE tenant_id = @tenant") + " ORDER BY created_at, key_id", new { tenant });
        return [.. rows.Select(r => r.ToKey())];
    }

    public async Task<ApiKey?> GetAsync(string id, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        return (await connection.QuerySingleOrDefaultAsync<KeyRow>(Select + " WHERE key_id = @id", new { id }))?.ToKey();
    }

    /// <summary>Revokes a key for good; revoking twice keeps the first time. Null when there is no such key.</summary>
    public async Task<ApiKey?> RevokeAsync(string id, CancellationToken cancel = default)
    {
        await using (var connection = await dialect.OpenAsync(cancel))
        {
            await connection.ExecuteAsync(
                "UPDATE api_keys SET revoked_at = @now WHERE key_id = @id AND revoked_at IS NULL",
                new { id, now = clock.GetCurrentInstant().ToUnixTimeMilliseconds() });
        }

        return await GetAsync(id, cancel);
    }

    private async Task<CreatedKey> InsertAsync(string id, string secret, string? tenant, string name, bool canRecord, CancellationToken cancel)
    {
        var now = clock.GetCurrentInstant().ToUnixTimeMilliseconds();
        await using var connection = await dialect.OpenAsync(cancel);
        await connection.ExecuteAsync(
            "INSERT INTO api_keys (key_id, tenant_id, name, secret_hash, can_record, created_at) VALUES (@id, @tenant, @name, @hash, @canRecord, @now)",
            new { id, tenant, name, hash = Convert.ToHexStringLower(Hash(secret)), canRecord = canRecord ? 1 : 0, now });
        return new CreatedKey(new ApiKey(id, tenant, name, canRecord, now, null), $"{Prefix}{id}_{secret}");
    }

    private static (string Id, string Secret)? Split(string presented)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = presented.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        if (separator <= 0 || separator == rest.Length - 1 || rest.Length > 200)
        {
            return null;
        }

        return (rest[..separator].ToString(), rest[(separator + 1)..].ToString());
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private const string Select = "SELECT key_id AS KeyId, tenant_id AS TenantId, name AS Name, secret_hash AS SecretHash, can_record AS CanRecord, created_at AS CreatedAt, revoked_at AS RevokedAt FROM api_keys";

    private sealed class KeyRow
    {
        public string KeyId { get; set; } = string.Empty;

        public string? TenantId { get; set; }

        public string Name { get; set; } = string.Empty;

        public string SecretHash { get; set; } = string.Empty;

        public long CanRecord { get; set; }

        public long CreatedAt { get; set; }

        public long? RevokedAt { get; set; }

        public ApiKey ToKey() => new(KeyId, TenantId, Name, CanRecord != 0, CreatedAt, RevokedAt);
    }
}
