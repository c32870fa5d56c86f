using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Tollgate.Storage.Billing;

/// <summary>
/// Where a page of bills ended: the last bill's cycle start (unix ms) and id, the keys the list is ordered by. Sent
/// as opaque base64url text so that clients pass it back instead of building one.
/// </summary>
internal sealed record BillCursor(long StartsAt, string BillId)
{
    public override string ToString() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{StartsAt}:{BillId}")));

    /// <summary>The cursor a page returned; null for any other text.</summary>
    public static BillCursor? Parse(string text)
    {
        if (text.Length is 0 or > 200)
        {
            return null;
        }

        try
        {
            var plain = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            var colon = plain.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && long.TryParse(plain.AsSpan(0, colon), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var starts) && colon < plain.Length - 1
                ? new BillCursor(starts, plain[(colon + 1)..])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
