using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Tollgate.WebConsole.Components;

namespace Tollgate.WebConsole.Hosting;

/// <summary>
/// The web console inside <c>tollgate serve</c>: Razor components rendered on the server (static SSR, no script), a
/// cookie session of its own, antiforgery on every form, and CSV downloads beside the pages.
/// </summary>
public static class ConsoleHosting
{
    private static readonly Lazy<string> Stylesheet = new(() =>
    {
        using var stream = typeof(ConsoleHosting).Assembly.GetManifestResourceStream("console.css") ?? throw new InvalidOperationException("console.css is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IServiceCollection AddTollgateConsole(this IServiceCollection services, Action<ConsoleOptions>? configure = null)
    {
        var options = new ConsoleOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddRazorComponents();
        // MudBlazor's components (the usage charts) resolve its services even when they render once, statically.
        services.AddMudServices();
        services.AddAntiforgery(o => o.Cookie.Name = "tollgate_console_af");
        services.AddAuthentication().AddCookie(ConsoleAuth.Scheme, o =>
        {
            o.Cookie.Name = "tollgate_console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = false;
            o.LoginPath = "/signin";
            o.LogoutPath = "/signout";
            o.Events.OnValidatePrincipal = ConsoleAuth.ValidateAsync;
        });
        services.AddAuthorizationBuilder().AddPolicy(ConsoleAuth.Policy, p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAuthenticatedUser());
        return services;
    }

    public static WebApplication MapTollgateConsole(this WebApplication app)
    {
        // Authentication and authorization are the host's (UseAuthentication/UseAuthorization before this call).
        app.UseAntiforgery();
        app.MapRazorComponents<App>().RequireAuthorization(ConsoleAuth.Policy);
        app.MapGet("/console.css", () => Results.Text(Stylesheet.Value, "text/css")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/tenants/{tenant}/usage.csv", UsageCsv.GetAsync).RequireAuthorization(ConsoleAuth.Policy).ExcludeFromDescription();
        app.MapGet("/tenants/{tenant}/bills/{file}", BillDownload.GetAsync).RequireAuthorization(ConsoleAuth.Policy).ExcludeFromDescription();
        app.MapPost("/signout", async (HttpContext context, IAntiforgery antiforgery) =>
            {
                // A minimal endpoint that binds no form is not refused by the antiforgery middleware: check here.
                if (!await antiforgery.IsRequestValidAsync(context))
                {
                    return Results.BadRequest("the form's antiforgery token is missing or invalid; reload the page");
                }

                await context.SignOutAsync(ConsoleAuth.Scheme);
                return Results.Redirect("/signin");
            })
            .RequireAuthorization(ConsoleAuth.Policy)
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .ExcludeFromDescription();
        return app;
    }
}
