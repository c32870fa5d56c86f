using System.Text;

namespace Tollgate.Server.Tests;

/// <summary>Everything a tenant's data consists of, read through the API with the operator key: equal snapshots mean nothing changed.</summary>
internal static class Snapshot
{
    public static async Task<string> TakeAsync(TestServer server, params string[] tenants)
    {
        using var http = server.Raw(server.OperatorKey);
        var text = new StringBuilder();
        text.AppendLine(await http.GetStringAsync("v1/tenants"));
        text.AppendLine(await http.GetStringAsync("v1/keys"));
        text.AppendLine(await http.GetStringAsync("v1/price-books"));
        foreach (var tenant in tenants)
        {
            text.AppendLine(await http.GetStringAsync($"v1/tenants/{tenant}/balances"));
            text.AppendLine(await http.GetStringAsync($"v1/tenants/{tenant}/transfers?limit=1000"));
            text.AppendLine(await http.GetStringAsync($"v1/tenants/{tenant}/users"));
        }

        var check = await server.Store.CheckAsync();
        Assert.True(check.Clean, string.Join("\n", check.Problems));
        return text.ToString();
    }
}
