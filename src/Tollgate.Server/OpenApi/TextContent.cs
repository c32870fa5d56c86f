using System.Text.Json.Nodes;

namespace Tollgate.Server.OpenApi;

/// <summary>
/// Endpoint metadata: the answer of <see cref="Status"/> may also be text of this media type (a bill's CSV and HTML
/// beside its JSON; the health checks' plain text). Produces&lt;T&gt; would replace the JSON one of the same status.
/// </summary>
public sealed record TextContent(int Status, string ContentType, JsonNode? Example);
