namespace Tollgate.Core.Events;

/// <summary>Stable error codes. Clients branch on these; never rename one.</summary>
public static class ErrorCodes
{
    public const string MalformedJson = "malformed_json";
    public const string MissingField = "missing_field";
    public const string InvalidField = "invalid_field";
    public const string UnknownType = "unknown_type";
    public const string UnknownMeter = "unknown_meter";
    public const string NegativeQuantity = "negative_quantity";
    public const string QuantityTooLarge = "quantity_too_large";
    public const string PartsExceedTotal = "parts_exceed_total";
    public const string UnknownModel = "unknown_model";
    public const string ModelNotOffered = "model_not_offered";
    public const string UnpricedMeter = "unpriced_meter";
    public const string NoPriceBookVersion = "no_price_book_version";
    public const string NoExchangeRate = "no_exchange_rate";
    public const string NothingToCharge = "nothing_to_charge";
}
