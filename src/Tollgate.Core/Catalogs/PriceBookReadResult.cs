using System.Diagnostics.CodeAnalysis;

namespace Tollgate.Core.Catalogs;

/// <summary>A price book, or every problem found in its document (each prefixed by its path).</summary>
public sealed record PriceBookReadResult(PriceBook? Book, IReadOnlyList<string> Errors)
{
    [MemberNotNullWhen(true, nameof(Book))]
    public bool IsSuccess => Book is not null;
}
