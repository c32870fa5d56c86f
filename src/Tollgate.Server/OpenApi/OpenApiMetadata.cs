using System.Text.Json.Nodes;

namespace Tollgate.Server.OpenApi;

/// <summary>Small chained calls that add the metadata above to an endpoint.</summary>
public static class OpenApiMetadata
{
    public static RouteHandlerBuilder ProducesText(this RouteHandlerBuilder builder, int status, string contentType, string example) =>
        builder.WithMetadata(new TextContent(status, contentType, JsonValue.Create(example)));

    public static RouteHandlerBuilder RequiresFields(this RouteHandlerBuilder builder, params string[] names) =>
        builder.WithMetadata(new RequiredFields(names));
}
