using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tollgate.Client.Webhooks;

/// <summary>
/// How Tollgate signs webhook deliveries, for receivers to check: the <c>Tollgate-Signature</c> header is
/// <c>v1=</c> and the hex HMAC-SHA256, keyed with the webhook's secret, of <c>{Tollgate-Timestamp}.{body}</c>
/// (the timestamp in Unix seconds). Refuse a delivery whose signature differs or whose timestamp is old: a replayed
/// request cannot be re-signed without the secret.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "Tollgate-Signature";
    public const string TimestampHeader = "Tollgate-Timestamp";
    public const string DeliveryHeader = "Tollgate-Delivery";

    public static string Sign(string secret, long timestamp, string body)
    {
        var payload = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body);
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload));
    }

    /// <summary>True when the signature matches and the timestamp is within <paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(string secret, string? timestampHeader, string body, string? signatureHeader, DateTimeOffset now, TimeSpan tolerance)
    {
        // A timestamp past the year 9999 is no time at all: refused, where converting it would throw.
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp) || signatureHeader is null
            || timestamp > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(timestamp);
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        return age.Duration() <= tolerance && CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signatureHeader));
    }
}
