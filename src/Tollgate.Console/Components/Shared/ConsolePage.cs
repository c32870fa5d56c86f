using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;
using Tollgate.WebConsole.Hosting;

namespace Tollgate.WebConsole.Components.Shared;

/// <summary>
/// A signed-in console page. Isolation is decided here, once: a tenant key reading another tenant (or one that does
/// not exist) gets 404, as the API answers; a tenant key on an operator page gets 403.
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter]
    public HttpContext Http { get; set; } = default!;

    [Inject]
    public LedgerStore Ledger { get; set; } = default!;

    protected ConsoleSession Session => ConsoleSession.Of(Http.User) ?? throw new InvalidOperationException("the console policy lets no anonymous request in");

    /// <summary>The status of a refused page (404 or 403); null when the page may render.</summary>
    protected int? Refused { get; private set; }

    /// <summary>The tenant's settings when the session may read it; otherwise null and the page is refused with 404.</summary>
    protected async Task<TenantSettings?> ReadableTenantAsync(string tenant)
    {
        var settings = Session.CanRead(tenant) ? await Ledger.GetTenantAsync(tenant, Http.RequestAborted) : null;
        if (settings is null)
        {
            Refuse(StatusCodes.Status404NotFound);
        }

        return settings;
    }

    /// <summary>True for an operator; otherwise the page is refused with 403.</summary>
    protected bool RequireOperator()
    {
        if (!Session.IsOperator)
        {
            Refuse(StatusCodes.Status403Forbidden);
        }

        return Session.IsOperator;
    }

    private void Refuse(int status)
    {
        Refused = status;
        Http.Response.StatusCode = status;
    }
}
