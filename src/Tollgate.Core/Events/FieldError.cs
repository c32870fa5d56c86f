namespace Tollgate.Core.Events;

/// <summary>What is wrong with one field of a request: a stable code, the field's JSON path and why.</summary>
public sealed record FieldError(string Code, string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
