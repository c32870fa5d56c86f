using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Tollgate.Client;
using Tollgate.Client.Contracts;

namespace Tollgate.Cli.Commands;

/// <summary>Operator commands against a running server: <c>keys</c>, <c>tenants</c> and <c>topup</c>.</summary>
internal static class AdminCommands
{
    public static Command Keys()
    {
        var api = new ApiOptions();
        var keys = new Command("keys", "Create, list and revoke API keys.");

        var name = new Option<string>("--name") { Description = "What the key is for", Required = true };
        var tenant = new Option<string?>("--tenant") { Description = "A tenant key for this tenant; an operator key when left out" };
        var canRecord = new Option<bool>("--can-record") { Description = "A tenant key that may also record usage and reserve credit" };
        var create = new Command("create", "Create a key and print its secret (shown once).") { name, tenant, canRecord };
        api.AddTo(create);
        create.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            var created = await api.Client(parse).CreateKeyAsync(new KeyRequest(parse.GetValue(name)!, parse.GetValue(tenant), parse.GetValue(canRecord)), cancel);
            Console.WriteLine($"created key {created.Key.Id} ({(created.Key.Tenant is null ? "operator" : "tenant " + created.Key.Tenant)}); its secret, shown once:");
            Console.WriteLine(created.Secret);
        }));

        var listTenant = new Option<string?>("--tenant") { Description = "Only this tenant's keys" };
        var list = new Command("list", "List keys (never their secrets).") { listTenant };
        api.AddTo(list);
        list.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            var table = new Table().AddColumns("id", "tenant", "name", "can record", "created", "revoked");
            foreach (var k in (await api.Client(parse).ListKeysAsync(parse.GetValue(listTenant), cancel)).Keys)
            {
                table.AddRow(k.Id, k.Tenant ?? "(operator)", Markup.Escape(k.Name), k.CanRecord ? "yes" : "no", k.CreatedAt.ToString("u", CultureInfo.InvariantCulture), k.RevokedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "");
            }

            ApiOptions.Print(table);
        }));

        var id = new Argument<string>("id") { Description = "The key id (the part after tg_)" };
        var revoke = new Command("revoke", "Revoke a key for good.") { id };
        api.AddTo(revoke);
        revoke.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            var key = await api.Client(parse).RevokeKeyAsync(parse.GetValue(id)!, cancel);
            Console.WriteLine($"revoked key {key.Id} at {key.RevokedAt:u}");
        }));

        keys.Subcommands.Add(create);
        keys.Subcommands.Add(list);
        keys.Subcommands.Add(revoke);
        return keys;
    }

    public static Command Tenants()
    {
        var api = new ApiOptions();
        var tenants = new Command("tenants", "Create, change, list and show tenants.");
        var (createSettings, createCommand) = SettingsCommand("create", "Create a tenant.", api);
        createCommand.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
            PrintJson(await api.Client(parse).CreateTenantAsync(createSettings(parse), cancel))));
        var (updateSettings, updateCommand) = SettingsCommand("update", "Change a tenant's settings (options left out keep their value).", api);
        updateCommand.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            var request = updateSettings(parse);
            PrintJson(await api.Client(parse).UpdateTenantAsync(request.Id!, request with { Id = null }, cancel));
        }));

        var list = new Command("list", "List tenants.");
        api.AddTo(list);
        list.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            var table = new Table().AddColumns("id", "time zone", "price book", "plan", "discount", "strict", "cumulative recharge");
            foreach (var t in (await api.Client(parse).ListTenantsAsync(cancel)).Tenants)
            {
                table.AddRow(t.Id, t.TimeZone, t.PriceBook, t.Plan, Text(t.UserDiscount), t.Strict ? "yes" : "no", Text(t.CumulativeRecharge));
            }

            ApiOptions.Print(table);
        }));

        var id = new Argument<string>("id");
        var show = new Command("show", "Show a tenant's settings and balances.") { id };
        api.AddTo(show);
        show.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            var client = api.Client(parse);
            PrintJson(await client.GetTenantAsync(parse.GetValue(id)!, cancel));
            var balances = await client.GetBalancesAsync(parse.GetValue(id)!, cancel);
            var table = new Table().AddColumns("account", "owner", "kind", "unit", "posted", "held", "available", "expires");
            foreach (var b in balances.Accounts)
            {
                table.AddRow(b.AccountId.ToString(CultureInfo.InvariantCulture), Markup.Escape(b.Owner), b.Kind, b.Unit, Text(b.Posted), Text(b.Held), Text(b.Available), b.ExpiresAt?.ToString("u", CultureInfo.InvariantCulture) ?? "");
            }

            ApiOptions.Print(table);
            foreach (var (unit, owed) in balances.Arrears)
            {
                Console.WriteLine($"arrears: {Text(owed)} {unit}");
            }
        }));

        tenants.Subcommands.Add(createCommand);
        tenants.Subcommands.Add(updateCommand);
        tenants.Subcommands.Add(list);
        tenants.Subcommands.Add(show);
        return tenants;
    }

    public static Command TopUp()
    {
        var api = new ApiOptions();
        var tenant = new Argument<string>("tenant");
        var amount = new Argument<decimal>("amount");
        var unit = new Option<string>("--unit") { Description = "credits, api_tokens, CNY, USD, ...", DefaultValueFactory = _ => "credits" };
        var kind = ApiOptions.Choice<TopUpKind>("--kind", "What to add (default recharge)");
        // Required, never made up: a retried command must carry the same id so it tops up once, not twice.
        var id = new Option<string>("--id") { Description = "Idempotency id of the top-up (a retry with the same id tops up once)", Required = true };
        var bonus = new Option<decimal>("--bonus") { Description = "Bonus credited beside a recharge" };
        var paid = new Option<decimal>("--paid") { Description = "What the customer paid, for the cumulative recharge" };
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "When a grant or pack expires (ISO 8601)" };
        var owner = new Option<string?>("--owner") { Description = "An end user's balance instead of the tenant's" };
        var command = new Command("topup", "Recharge, grant or sell a resource pack to a tenant.") { tenant, amount, unit, kind, id, bonus, paid, expires, owner };
        api.AddTo(command);
        command.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            var request = new TopUpRequest(
                parse.GetValue(id)!, parse.GetValue(kind) ?? TopUpKind.Recharge, parse.GetValue(unit)!, parse.GetValue(amount),
                parse.GetValue(bonus), parse.GetValue(owner), parse.GetValue(expires), null, parse.GetValue(paid));
            PrintJson(await api.Client(parse).TopUpAsync(parse.GetValue(tenant)!, request, cancel));
        }));
        return command;
    }

    private static (Func<ParseResult, TenantRequest> Read, Command Command) SettingsCommand(string name, string description, ApiOptions api)
    {
        var id = new Argument<string>("id");
        var zone = new Option<string?>("--time-zone") { Description = "IANA time zone (Asia/Shanghai)" };
        var book = new Option<string?>("--price-book") { Description = "Price book id (gptbots, coze-credits, agent-voice, ...)" };
        var plan = new Option<string?>("--plan") { Description = "free or premium" };
        var discount = new Option<decimal?>("--user-discount") { Description = "Factor on every charge (0.9 = 10% off)" };
        var order = ApiOptions.Choice<FundingOrder>("--funding-order", "How money balances share a charge");
        var strict = new Option<bool?>("--strict") { Description = "Reject usage the balances cannot cover" };
        var messageBilling = new Option<bool?>("--message-billing") { Description = "End users pay for their own usage" };
        var cycle = ApiOptions.Choice<BillingCycle>("--billing-cycle", "How long a billing cycle is");
        var tiers = Pairs("--tier", "A discount tier, cumulative recharge=discount (1000=0.9); repeat for more; replaces the tiers", numericKeys: true);
        var lowBalance = Pairs("--low-balance", "A low-balance alert threshold, unit=amount (credits=100); repeat for more");
        var command = new Command(name, description) { id, zone, book, plan, discount, order, strict, messageBilling, cycle, tiers, lowBalance };
        api.AddTo(command);
        return (parse => new TenantRequest(
            parse.GetValue(id), parse.GetValue(zone), parse.GetValue(book), parse.GetValue(plan), parse.GetValue(discount),
            parse.GetValue(order), parse.GetValue(strict), parse.GetValue(messageBilling),
            BillingCycle: parse.GetValue(cycle),
            DiscountTiers: parse.GetValue(tiers) is { Count: > 0 } t ? [.. t.Select(p => new DiscountTier(decimal.Parse(p.Key, CultureInfo.InvariantCulture), p.Value))] : null,
            LowBalance: parse.GetValue(lowBalance) is { Count: > 0 } l ? l : null), command);
    }

    /// <summary>A repeatable key=number option.</summary>
    private static Option<Dictionary<string, decimal>?> Pairs(string name, string description, bool numericKeys = false) => new(name)
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = result =>
        {
            var pairs = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var token in result.Tokens.Select(t => t.Value))
            {
                var parts = token.Split('=', 2);
                if (parts.Length != 2 || !decimal.TryParse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var value) || parts[0].Length == 0
                    || (numericKeys && !decimal.TryParse(parts[0], NumberStyles.Number, CultureInfo.InvariantCulture, out _)))
                {
                    result.AddError($"{name} takes {(numericKeys ? "number" : "key")}=number, not '{token}'");
                    return null;
                }

                pairs[parts[0]] = value;
            }

            return pairs;
        },
    };

    private static void PrintJson<T>(T value) =>
        Console.WriteLine(JsonSerializer.Serialize(value, new JsonSerializerOptions(TollgateJson.Lenient) { WriteIndented = true }));

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
