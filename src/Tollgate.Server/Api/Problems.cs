using Tollgate.Client;
using Tollgate.Core.Events;
using Tollgate.Core.Rating;
using Tollgate.Storage.Ledger;
using Tollgate.Client.Contracts;

namespace Tollgate.Server.Api;

/// <summary>
/// RFC 7807 problem details with Tollgate's stable <c>code</c> and the <c>field</c> at fault. Every error the API
/// returns is one of these.
/// </summary>
public static class Problems
{
    public const string MalformedJson = "malformed_json";
    public const string InvalidField = "invalid_field";
    public const string MissingField = "missing_field";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string TenantExists = "tenant_exists";
    public const string BatchTooLarge = "batch_too_large";
    public const string BodyTooLarge = "body_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string StoreUnavailable = "store_unavailable";
    public const string Internal = "internal_error";

    public static IResult Of(int status, string code, string detail, string? field = null, IReadOnlyList<string>? errors = null, object? result = null) =>
        Results.Json(Create(status, code, detail, field, errors, result), TollgateJson.Options, "application/problem+json", status);

    public static Problem Create(int status, string code, string detail, string? field = null, IReadOnlyList<string>? errors = null, object? result = null) =>
        new(
            $"https://tollgate.dev/problems/{code.Replace('_', '-')}",
            Title(status),
            status,
            detail,
            code,
            field,
            errors,
            result is null ? null : System.Text.Json.JsonSerializer.SerializeToElement(result, result.GetType(), TollgateJson.Options));

    /// <summary>Gives the framework's own problems (no route, wrong method, wrong media type) a code and a readable detail.</summary>
    public static void Describe(Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        var (code, detail) = problem.Status switch
        {
            404 => (NotFound, "no such endpoint; the API is under /v1 and documented at /docs"),
            405 => ("method_not_allowed", "this endpoint does not take this HTTP method; see /docs"),
            415 => (UnsupportedMediaType, "send the body as application/json (price books: application/yaml or application/json)"),
            _ => (problem.Status >= 500 ? Internal : "bad_request", problem.Title ?? "the request was refused"),
        };
        problem.Extensions.TryAdd("code", code);
        problem.Detail ??= detail;
    }

    /// <summary>
    /// The HTTP status of an error code of the engine: 404 unknown, 409 conflicting, 402 not funded, 400 a malformed
    /// field, else <paramref name="otherwise"/> (422: well-formed, but it cannot be priced).
    /// </summary>
    public static int StatusOf(string code, int otherwise = StatusCodes.Status422UnprocessableEntity) => code switch
    {
        LedgerErrors.UnknownTenant or LedgerErrors.UnknownAccount or LedgerErrors.HoldNotFound => StatusCodes.Status404NotFound,
        LedgerErrors.IdempotencyConflict or LedgerErrors.HoldNotActive or LedgerErrors.HoldExpired => StatusCodes.Status409Conflict,
        LedgerErrors.InsufficientFunds => StatusCodes.Status402PaymentRequired,
        LedgerErrors.AmountOutOfRange or ErrorCodes.MalformedJson or ErrorCodes.MissingField or ErrorCodes.InvalidField or ErrorCodes.NegativeQuantity
            or ErrorCodes.QuantityTooLarge or Core.Calendar.SupportedTimes.OutOfRange => StatusCodes.Status400BadRequest,
        _ => otherwise,
    };

    /// <summary>The problem for an event or reservation the engine refused, carrying its result.</summary>
    public static IResult Refused(RatingError error, object result) => Of(StatusOf(error.Code), error.Code, error.Message, error.Field, result: result);

    public static IResult BadRequest(string code, string detail, string? field = null) => Of(StatusCodes.Status400BadRequest, code, detail, field);

    public static IResult Invalid(string field, string detail) => Of(StatusCodes.Status400BadRequest, InvalidField, detail, field);

    public static IResult NotFoundOf(string what, string id, string? field = null) => Of(StatusCodes.Status404NotFound, NotFound, $"no {what} '{id}'", field);

    private static string Title(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        402 => "Payment required",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        413 => "Request too large",
        415 => "Unsupported media type",
        422 => "Unprocessable request",
        503 => "Service unavailable",
        _ => "Error",
    };
}
