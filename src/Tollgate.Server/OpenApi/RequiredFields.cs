namespace Tollgate.Server.OpenApi;

/// <summary>Endpoint metadata: fields the JSON body must carry on this endpoint beyond its type's own (a new tenant's id).</summary>
public sealed record RequiredFields(IReadOnlyList<string> Names);
