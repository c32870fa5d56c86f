namespace Tollgate.Server.Tests.OpenApi;

/// <summary>An excerpt of /openapi/v1.json before issue 12 (camelCase, double amounts, integer enums, no problems or examples).</summary>
internal static class OldDocument
{
    public const string Json = """
        {
          "openapi": "3.1.1",
          "paths": {
            "/v1/tenants": {
              "post": {
                "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/TenantRequest" } } }, "required": true },
                "responses": {
                  "201": { "description": "Created", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Tenant" } } } },
                  "400": { "description": "Bad Request", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/ProblemDetails" } } } }
                }
              },
              "get": { "responses": { "200": { "description": "OK", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Tenant" } } } } } }
            }
          },
          "components": {
            "schemas": {
              "TenantRequest": {
                "type": "object",
                "properties": {
                  "id": { "type": ["null", "string"] },
                  "timeZone": { "type": ["null", "string"] },
                  "userDiscount": { "pattern": "^-?(?:0|[1-9]\\d*)(?:\\.\\d+)?$", "type": ["null", "number", "string"], "format": "double" },
                  "billingCycle": { "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/BillingCycle" }] }
                }
              },
              "Tenant": {
                "required": ["id", "timeZone"],
                "type": "object",
                "properties": { "id": { "type": "string" }, "timeZone": { "type": "string" } }
              },
              "BillingCycle": { "type": "integer" },
              "ProblemDetails": {
                "type": "object",
                "properties": { "type": { "type": ["null", "string"] }, "title": { "type": ["null", "string"] }, "status": { "type": ["null", "integer", "string"], "format": "int32" } }
              }
            }
          }
        }
        """;
}
