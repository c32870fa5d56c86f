using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Tollgate.Client.Contracts;

namespace Tollgate.Client;

/// <summary>A 4xx or 5xx answer from Tollgate, with its problem details.</summary>
public sealed class TollgateException(HttpStatusCode status, Problem? problem)
    : Exception($"{(int)status} {problem?.Code}: {problem?.Detail ?? problem?.Title}")
{
    public HttpStatusCode Status { get; } = status;

    public Problem? Problem { get; } = problem;

    public string? Code => Problem?.Code;
}

/// <summary>
/// Typed client of the Tollgate HTTP API (/v1). Every method sends one request; 4xx and 5xx answers throw
/// <see cref="TollgateException"/> with the problem's stable code and the field at fault.
/// </summary>
public sealed class TollgateClient
{
    private readonly HttpClient http;

    /// <param name="http">An HttpClient whose BaseAddress is the server (http://127.0.0.1:5080/).</param>
    /// <param name="apiKey">An operator or tenant key (tg_...).</param>
    public TollgateClient(HttpClient http, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        this.http = http;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    public TollgateClient(Uri server, string apiKey)
        : this(new HttpClient { BaseAddress = server }, apiKey)
    {
    }

    // Tenants and end users
    public Task<Tenant> CreateTenantAsync(TenantRequest request, CancellationToken cancel = default) => SendAsync<Tenant>(HttpMethod.Post, "v1/tenants", request, cancel);

    public Task<Tenant> UpdateTenantAsync(string tenant, TenantRequest request, CancellationToken cancel = default) => SendAsync<Tenant>(HttpMethod.Patch, $"v1/tenants/{E(tenant)}", request, cancel);

    public Task<Tenant> GetTenantAsync(string tenant, CancellationToken cancel = default) => SendAsync<Tenant>(HttpMethod.Get, $"v1/tenants/{E(tenant)}", null, cancel);

    public Task<TenantList> ListTenantsAsync(CancellationToken cancel = default) => SendAsync<TenantList>(HttpMethod.Get, "v1/tenants", null, cancel);

    public Task<EndUser> SaveEndUserAsync(string tenant, EndUserRequest request, CancellationToken cancel = default) => SendAsync<EndUser>(HttpMethod.Post, $"v1/tenants/{E(tenant)}/users", request, cancel);

    public Task<EndUserList> ListEndUsersAsync(string tenant, CancellationToken cancel = default) => SendAsync<EndUserList>(HttpMethod.Get, $"v1/tenants/{E(tenant)}/users", null, cancel);

    // Usage
    public Task<EventResult> RecordAsync(UsageEvent e, CancellationToken cancel = default) => SendAsync<EventResult>(HttpMethod.Post, "v1/events", e, cancel);

    public Task<BatchResult> RecordBatchAsync(IReadOnlyList<UsageEvent> events, CancellationToken cancel = default) => SendAsync<BatchResult>(HttpMethod.Post, "v1/events/batch", new EventBatch(events), cancel);

    public Task<Quote> QuoteAsync(UsageEvent e, CancellationToken cancel = default) => SendAsync<Quote>(HttpMethod.Post, "v1/events/quote", e, cancel);

    public Task<StoredEvent> GetEventAsync(string tenant, string id, CancellationToken cancel = default) => SendAsync<StoredEvent>(HttpMethod.Get, $"v1/tenants/{E(tenant)}/events/{E(id)}", null, cancel);

    // Reservations
    public Task<Reservation> ReserveAsync(string tenant, ReservationRequest request, CancellationToken cancel = default) => SendAsync<Reservation>(HttpMethod.Post, $"v1/tenants/{E(tenant)}/reservations", request, cancel);

    public Task<Reservation> GetReservationAsync(string tenant, string id, CancellationToken cancel = default) => SendAsync<Reservation>(HttpMethod.Get, $"v1/tenants/{E(tenant)}/reservations/{E(id)}", null, cancel);

    public Task<EventResult> SettleAsync(string tenant, string id, UsageEvent usage, CancellationToken cancel = default) => SendAsync<EventResult>(HttpMethod.Post, $"v1/tenants/{E(tenant)}/reservations/{E(id)}/settle", new SettleRequest(usage), cancel);

    public Task<Reservation> ReleaseAsync(string tenant, string id, CancellationToken cancel = default) => SendAsync<Reservation>(HttpMethod.Post, $"v1/tenants/{E(tenant)}/reservations/{E(id)}/release", null, cancel);

    // Balances, ledger, top-ups
    public Task<Balances> GetBalancesAsync(string tenant, CancellationToken cancel = default) => SendAsync<Balances>(HttpMethod.Get, $"v1/tenants/{E(tenant)}/balances", null, cancel);

    public Task<TransferPage> GetTransfersAsync(string tenant, string? cursor = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int? limit = null, CancellationToken cancel = default)
    {
        var query = new List<string>();
        if (cursor is not null)
        {
            query.Add($"cursor={E(cursor)}");
        }

        if (from is { } f)
        {
            query.Add($"from={E(f.ToString("O"))}");
        }

        if (to is { } t)
        {
            query.Add($"to={E(t.ToString("O"))}");
        }

        if (limit is { } l)
        {
            query.Add(FormattableString.Invariant($"limit={l}"));
        }

        var path = $"v1/tenants/{E(tenant)}/transfers" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty);
        return SendAsync<TransferPage>(HttpMethod.Get, path, null, cancel);
    }

    public Task<TopUpResult> TopUpAsync(string tenant, TopUpRequest request, CancellationToken cancel = default) => SendAsync<TopUpResult>(HttpMethod.Post, $"v1/tenants/{E(tenant)}/topups", request, cancel);

    public Task<AccountCreated> AddFreeQuotaAsync(string tenant, FreeQuotaRequest request, CancellationToken cancel = default) => SendAsync<AccountCreated>(HttpMethod.Post, $"v1/tenants/{E(tenant)}/free-quotas", request, cancel);

    public Task<Balances> AdjustAsync(string tenant, AdjustmentRequest request, CancellationToken cancel = default) => SendAsync<Balances>(HttpMethod.Post, $"v1/tenants/{E(tenant)}/adjustments", request, cancel);

    // Keys
    public Task<CreatedKey> CreateKeyAsync(KeyRequest request, CancellationToken cancel = default) => SendAsync<CreatedKey>(HttpMethod.Post, "v1/keys", request, cancel);

    public Task<KeyList> ListKeysAsync(string? tenant = null, CancellationToken cancel = default) => SendAsync<KeyList>(HttpMethod.Get, "v1/keys" + (tenant is null ? string.Empty : $"?tenant={E(tenant)}"), null, cancel);

    public Task<ApiKeyInfo> RevokeKeyAsync(string id, CancellationToken cancel = default) => SendAsync<ApiKeyInfo>(HttpMethod.Delete, $"v1/keys/{E(id)}", null, cancel);

    // Price books
    public Task<PriceBookList> ListPriceBooksAsync(CancellationToken cancel = default) => SendAsync<PriceBookList>(HttpMethod.Get, "v1/price-books", null, cancel);

    public Task<PriceBookInfo> GetPriceBookAsync(string id, CancellationToken cancel = default) => SendAsync<PriceBookInfo>(HttpMethod.Get, $"v1/price-books/{E(id)}", null, cancel);

    /// <summary>Creates a price book from a whole document, YAML or JSON text.</summary>
    public Task<PriceBookInfo> CreatePriceBookAsync(string document, CancellationToken cancel = default) => SendTextAsync<PriceBookInfo>($"v1/price-books", document, cancel);

    /// <summary>Adds a version (one version mapping, YAML or JSON) to a price book.</summary>
    public Task<PriceBookInfo> AddPriceBookVersionAsync(string id, string version, CancellationToken cancel = default) => SendTextAsync<PriceBookInfo>($"v1/price-books/{E(id)}/versions", version, cancel);

    /// <summary>Rates stored events of the book's tenants with a candidate version and compares totals; nothing is changed.</summary>
    public Task<DryRunReport> DryRunAsync(string id, string version, string? tenant = null, CancellationToken cancel = default) =>
        SendTextAsync<DryRunReport>($"v1/price-books/{E(id)}/dry-run" + (tenant is null ? string.Empty : $"?tenant={E(tenant)}"), version, cancel);

    // Usage, bills, webhooks
    public Task<UsageReport> GetUsageAsync(UsageQuery query, CancellationToken cancel = default)
    {
        var parameters = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parameters.Add($"{name}={E(value)}");
            }
        }

        Add("tenant", query.Tenant);
        Add("from", query.From?.ToString("O", CultureInfo.InvariantCulture));
        Add("to", query.To?.ToString("O", CultureInfo.InvariantCulture));
        Add("type", query.Type);
        Add("model", query.Model);
        Add("channel", query.Channel);
        Add("subject", query.Subject);
        Add("key_mode", query.KeyMode);
        Add("group_by", query.GroupBy is { Count: > 0 } g ? string.Join(',', g) : null);
        Add("bucket", query.Bucket);
        return SendAsync<UsageReport>(HttpMethod.Get, "v1/usage" + (parameters.Count > 0 ? "?" + string.Join('&', parameters) : string.Empty), null, cancel);
    }

    public Task<BillList> ListBillsAsync(string tenant, CancellationToken cancel = default) => ListBillsAsync(tenant, new BillQuery(), cancel);

    /// <summary>One page of a tenant's bills, newest first; follow <see cref="BillList.NextCursor"/> for the next.</summary>
    public Task<BillList> ListBillsAsync(string tenant, BillQuery query, CancellationToken cancel = default)
    {
        var parameters = new List<string>();
        if (query.From is { } from)
        {
            parameters.Add("from=" + from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (query.To is { } to)
        {
            parameters.Add("to=" + to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (query.Limit is { } limit)
        {
            parameters.Add("limit=" + limit.ToString(CultureInfo.InvariantCulture));
        }

        if (query.Cursor is { } cursor)
        {
            parameters.Add($"cursor={E(cursor)}");
        }

        return SendAsync<BillList>(HttpMethod.Get, $"v1/tenants/{E(tenant)}/bills" + (parameters.Count > 0 ? "?" + string.Join('&', parameters) : string.Empty), null, cancel);
    }

    public Task<Bill> GetBillAsync(string tenant, string id, CancellationToken cancel = default) => SendAsync<Bill>(HttpMethod.Get, $"v1/tenants/{E(tenant)}/bills/{E(id)}", null, cancel);

    /// <summary>A bill exported as csv or html (json is <see cref="GetBillAsync"/>).</summary>
    public async Task<string> ExportBillAsync(string tenant, string id, string format, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/tenants/{E(tenant)}/bills/{E(id)}?format={E(format)}");
        using var response = await http.SendAsync(request, cancel);
        await ThrowIfFailedAsync(response, cancel);
        return await response.Content.ReadAsStringAsync(cancel);
    }

    public Task<Bill> IssueBillAsync(string tenant, IssueBillRequest request, CancellationToken cancel = default) => SendAsync<Bill>(HttpMethod.Post, $"v1/tenants/{E(tenant)}/bills", request, cancel);

    public Task<Webhook> CreateWebhookAsync(WebhookRequest request, CancellationToken cancel = default) => SendAsync<Webhook>(HttpMethod.Post, "v1/webhooks", request, cancel);

    public Task<WebhookList> ListWebhooksAsync(CancellationToken cancel = default) => SendAsync<WebhookList>(HttpMethod.Get, "v1/webhooks", null, cancel);

    public Task<Webhook> DeleteWebhookAsync(string id, CancellationToken cancel = default) => SendAsync<Webhook>(HttpMethod.Delete, $"v1/webhooks/{E(id)}", null, cancel);

    public Task<DeliveryList> ListDeliveriesAsync(string webhookId, CancellationToken cancel = default) => SendAsync<DeliveryList>(HttpMethod.Get, $"v1/webhooks/{E(webhookId)}/deliveries", null, cancel);

    public Task<Delivery> ReplayDeliveryAsync(string webhookId, string deliveryId, CancellationToken cancel = default) =>
        SendAsync<Delivery>(HttpMethod.Post, $"v1/webhooks/{E(webhookId)}/deliveries/{E(deliveryId)}/replay", null, cancel);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: TollgateJson.Options);
        }

        return await ReadAsync<T>(request, cancel);
    }

    private async Task<T> SendTextAsync<T>(string path, string text, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(text, Encoding.UTF8, "application/yaml") };
        return await ReadAsync<T>(request, cancel);
    }

    private async Task<T> ReadAsync<T>(HttpRequestMessage request, CancellationToken cancel)
    {
        using var response = await http.SendAsync(request, cancel);
        await ThrowIfFailedAsync(response, cancel);
        return (await response.Content.ReadFromJsonAsync<T>(TollgateJson.Lenient, cancel))!;
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancel)
    {
        if (!response.IsSuccessStatusCode)
        {
            Problem? problem = null;
            if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true)
            {
                problem = await response.Content.ReadFromJsonAsync<Problem>(TollgateJson.Lenient, cancel);
            }

            throw new TollgateException(response.StatusCode, problem);
        }
    }

    private static string E(string value) => Uri.EscapeDataString(value);
}
