using System.Globalization;
using NodaTime;
using Tollgate.Core.Funding;
using Tollgate.Storage.Ledger;

namespace Tollgate.WebConsole.Components.Shared;

/// <summary>
/// The operator's top-up form as posted (strings, so a bad value is a message rather than a binding failure). The
/// hidden <see cref="Id"/> was rendered with the form: submitting the same form twice tops up once, by the ledger's
/// own idempotency, exactly as the API's top-up does.
/// </summary>
public sealed class TopUpInput
{
    public string? Id { get; set; }

    public string? Kind { get; set; }

    public string? Unit { get; set; }

    public string? Amount { get; set; }

    public string? Paid { get; set; }

    public string? ExpiresInDays { get; set; }

    /// <summary>Validates and applies the top-up; returns the message to show and whether it is an error.</summary>
    public async Task<(string Message, bool Failed)> ApplyAsync(LedgerStore ledger, string tenant, Instant now, CancellationToken cancel)
    {
        if (string.IsNullOrWhiteSpace(Id) || Id.Length > 200)
        {
            return ("The form has no top-up id; reload the page and submit again.", true);
        }

        AccountKind? kind = Kind switch { "recharge" => AccountKind.Recharge, "grant" => AccountKind.Bonus, "pack" => AccountKind.ResourcePack, _ => null };
        if (kind is null)
        {
            return ("Kind must be recharge, grant or pack.", true);
        }

        if (string.IsNullOrWhiteSpace(Unit) || Unit.Length > 64)
        {
            return ("Unit is required (such as credits or api_tokens).", true);
        }

        if (!Positive(Amount, out var amount))
        {
            return ($"Amount must be a number greater than zero, such as 100 or 12.5 (got '{Amount}').", true);
        }

        var paid = 0m;
        if (!string.IsNullOrWhiteSpace(Paid) && !(decimal.TryParse(Paid, NumberStyles.Number, CultureInfo.InvariantCulture, out paid) && paid >= 0m))
        {
            return ($"Paid must be a number of zero or more (got '{Paid}').", true);
        }

        Instant? expires = null;
        if (!string.IsNullOrWhiteSpace(ExpiresInDays))
        {
            if (!int.TryParse(ExpiresInDays, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < 1 or > 36500)
            {
                return ($"Expires in days must be a whole number from 1 to 36500 (got '{ExpiresInDays}').", true);
            }

            expires = now + Duration.FromDays(days);
        }

        try
        {
            var result = await ledger.TopUpAsync(new TopUp(tenant, Id, kind.Value, Unit.Trim(), amount, ExpiresAt: expires, Paid: paid), cancel);
            return result.Duplicate
                ? ($"This form was already submitted: top-up {result.Id} was applied once, not again.", false)
                : ($"Topped up {amount.ToString(CultureInfo.InvariantCulture)} {Unit.Trim()} (top-up {result.Id}).", false);
        }
        catch (LedgerException ex)
        {
            return (ex.Message, true);
        }
    }

    /// <summary>A form's amount: above zero, at most 10^12, at most 8 decimal places (the top-up and free-quota forms).</summary>
    internal static bool Positive(string? text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out value) && value > 0m && value <= 1_000_000_000_000m && decimal.Round(value, 8) == value;
}
