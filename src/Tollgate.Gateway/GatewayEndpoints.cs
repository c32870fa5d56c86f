using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tollgate.Gateway.Anthropic;
using Tollgate.Gateway.Keys;
using Tollgate.Gateway.OpenAi;

namespace Tollgate.Gateway;

/// <summary>Maps the metering gateway into a host: /openai/v1/..., /anthropic/v1/..., and the gateway keys' API under /v1.</summary>
public static class GatewayEndpoints
{
    /// <param name="routesFile">The YAML file of routes (docs/gateway.md); null serves no models.</param>
    public static IEndpointRouteBuilder MapTollgateGateway(this IEndpointRouteBuilder endpoints, string? routesFile) =>
        endpoints.MapTollgateGateway(GatewayOptions.FromFile(routesFile));

    public static IEndpointRouteBuilder MapTollgateGateway(this IEndpointRouteBuilder endpoints, GatewayOptions options)
    {
        var services = new GatewayServices(endpoints.ServiceProvider, options);
        var messages = new MessagesHandler(services);

        // The model endpoints take gateway keys (tgk_...), checked by each handler so a refusal has the protocol's
        // own error shape: the host's API-key authorization does not apply to them.
        var protocol = endpoints.MapGroup(string.Empty).AllowAnonymous();
        protocol.MapPost("/openai/v1/chat/completions", new ChatCompletionsHandler(services).HandleAsync).ExcludeFromDescription();
        protocol.MapPost("/openai/v1/responses", new ResponsesHandler(services).HandleAsync).ExcludeFromDescription();
        protocol.MapPost("/openai/v1/embeddings", new EmbeddingsHandler(services).HandleAsync).ExcludeFromDescription();
        protocol.MapPost("/openai/v1/images/generations", new ImagesHandler(services).HandleAsync).ExcludeFromDescription();
        protocol.MapPost("/openai/v1/audio/speech", new SpeechHandler(services).HandleAsync).ExcludeFromDescription();
        protocol.MapGet("/openai/v1/models", context => ModelList.WriteAsync(context, services)).ExcludeFromDescription();
        protocol.MapPost("/anthropic/v1/messages", messages.HandleAsync).ExcludeFromDescription();
        GatewayKeyApi.Map(endpoints, services);
        UserBudgetApi.Map(endpoints, services);
        return endpoints;
    }
}
