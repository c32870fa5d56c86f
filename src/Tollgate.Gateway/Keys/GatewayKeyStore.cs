using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using NodaTime;
using Tollgate.Core.Money;
using Tollgate.Storage.Sql;

namespace Tollgate.Gateway.Keys;

/// <summary>
/// Gateway keys. A key reads <c>tgk_{id}_{secret}</c>: the id finds the row, the secret (32 random bytes) is compared
/// with its stored SHA-256 in constant time, as for API keys. The distinct prefix keeps a gateway key from ever
/// being taken for an API key (and the other way round).
/// </summary>
public sealed class GatewayKeyStore(SqlDialect dialect, IClock clock)
{
    private const string Prefix = "tgk_";

    private const string Select = "SELECT key_id AS KeyId, tenant_id AS TenantId, name AS Name, subject AS Subject, channel AS Channel, models AS Models, " +
        "budget AS Budget, budget_period AS BudgetPeriod, soft_limit AS SoftLimit, soft_limit_period AS SoftLimitPeriod, rpm AS Rpm, tpm AS Tpm, secret_hash AS SecretHash, created_at AS CreatedAt, revoked_at AS RevokedAt FROM gateway_keys";

    public async Task<CreatedGatewayKey> CreateAsync(
        string tenant, string name, string? subject, string channel, IReadOnlyList<string>? models, KeyBudget? budget = null, int? rpm = null, long? tpm = null, CancellationToken cancel = default, KeyBudget? softLimit = null)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetCurrentInstant().ToUnixTimeMilliseconds();
        var modelsJson = models is null ? null : JsonSerializer.Serialize(models);
        await using var connection = await dialect.OpenAsync(cancel);
        await connection.ExecuteAsync(
            "INSERT INTO gateway_keys (key_id, tenant_id, name, subject, channel, models, budget, budget_period, soft_limit, soft_limit_period, rpm, tpm, secret_hash, created_at) " +
            "VALUES (@id, @tenant, @name, @subject, @channel, @modelsJson, @limit, @period, @soft, @softPeriod, @rpm, @tpm, @hash, @now)",
            new
            {
                id, tenant, name, subject, channel, modelsJson, limit = budget is null ? (long?)null : KeyLimits.Units(budget.Limit), period = budget?.Period,
                soft = softLimit is null ? (long?)null : KeyLimits.Units(softLimit.Limit), softPeriod = softLimit?.Period, rpm, tpm, hash = Convert.ToHexStringLower(Hash(secret)), now,
            });
        return new CreatedGatewayKey(new GatewayKey(id, tenant, name, subject, channel, models, now, null, budget, rpm, tpm) { SoftLimit = softLimit }, $"{Prefix}{id}_{secret}");
    }

    /// <summary>The key a presented secret belongs to, unless it is malformed, unknown, wrong or revoked.</summary>
    public async Task<GatewayKey?> VerifyAsync(string presented, CancellationToken cancel = default)
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

        return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(row.SecretHash), Hash(secret)) ? row.ToKey() : null;
    }

    public async Task<IReadOnlyList<GatewayKey>> ListAsync(string tenant, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = await connection.QueryAsync<KeyRow>(Select + " WHERE tenant_id = @tenant ORDER BY created_at, key_id", new { tenant });
        return [.. rows.Select(r => r.ToKey())];
    }

    /// <summary>Revokes a tenant's key for good; revoking twice keeps the first time. Null when the tenant has no such key.</summary>
    public async Task<GatewayKey?> RevokeAsync(string tenant, string id, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        await connection.ExecuteAsync(
            "UPDATE gateway_keys SET revoked_at = @now WHERE tenant_id = @tenant AND key_id = @id AND revoked_at IS NULL",
            new { tenant, id, now = clock.GetCurrentInstant().ToUnixTimeMilliseconds() });
        return (await connection.QuerySingleOrDefaultAsync<KeyRow>(Select + " WHERE tenant_id = @tenant AND key_id = @id", new { tenant, id }))?.ToKey();
    }

    private static (string Id, string Secret)? Split(string presented)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 200)
        {
            return null;
        }

        var rest = presented.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        return separator <= 0 || separator == rest.Length - 1 ? null : (rest[..separator].ToString(), rest[(separator + 1)..].ToString());
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private sealed class KeyRow
    {
        public string KeyId { get; set; } = string.Empty;

        public string TenantId { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string? Subject { get; set; }

        public string Channel { get; set; } = string.Empty;

        public string? Models { get; set; }

        public long? Budget { get; set; }

        public string? BudgetPeriod { get; set; }

        public long? SoftLimit { get; set; }

        public string? SoftLimitPeriod { get; set; }

        public long? Rpm { get; set; }

        public long? Tpm { get; set; }

        public string SecretHash { get; set; } = string.Empty;

        public long CreatedAt { get; set; }

        public long? RevokedAt { get; set; }

        public GatewayKey ToKey() => new(
            KeyId,
            TenantId,
            Name,
            Subject,
            Channel,
            Models is null ? null : JsonSerializer.Deserialize<List<string>>(Models),
            CreatedAt,
            RevokedAt,
            Budget is { } limit ? new KeyBudget(LedgerAmount.FromUnits(limit), BudgetPeriod ?? KeyBudget.Lifetime) : null,
            Rpm is { } rpm ? (int)rpm : null,
            Tpm)
        {
            SoftLimit = SoftLimit is { } soft ? new KeyBudget(LedgerAmount.FromUnits(soft), SoftLimitPeriod ?? KeyBudget.Lifetime) : null,
        };
    }
}
