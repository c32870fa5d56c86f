using System.Text.Json;

namespace Tollgate.Client.Contracts;

/// <summary>A key to create: an operator key (no tenant) or a tenant key, which may also record usage.</summary>
public sealed record KeyRequest(string Name, string? Tenant = null, bool CanRecord = false);

public sealed record ApiKeyInfo(string Id, string? Tenant, string Name, bool CanRecord, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A new key: <see cref="Secret"/> is shown this once; only its hash is stored.</summary>
public sealed record CreatedKey(ApiKeyInfo Key, string Secret);

public sealed record KeyList(IReadOnlyList<ApiKeyInfo> Keys);

public sealed record PriceBookVersionInfo(string Version, DateTimeOffset EffectiveFrom, string Unit, int Scale, int Items);

public sealed record PriceBookInfo(string Id, string Name, string? Source, IReadOnlyList<PriceBookVersionInfo> Versions, JsonElement? Document = null);

public sealed record PriceBookList(IReadOnlyList<PriceBookInfo> PriceBooks);

/// <summary>Per unit: what the stored events were charged, what the candidate version would charge, and the difference.</summary>
public sealed record DryRunTotal(string Unit, decimal Current, decimal Candidate, decimal Difference);

/// <summary>A candidate version rated against stored events; <see cref="Failed"/> counts events it cannot price, by code.</summary>
public sealed record DryRunReport(int Events, int Changed, IReadOnlyDictionary<string, int> Failed, IReadOnlyList<DryRunTotal> Totals);

/// <summary>An RFC 7807 problem with Tollgate's stable <see cref="Code"/> and the <see cref="Field"/> at fault.</summary>
public sealed record Problem(string? Type, string? Title, int Status, string? Detail, string? Code, string? Field, IReadOnlyList<string>? Errors, JsonElement? Result);
