using System.Text;

namespace Tollgate.Storage.Sql;

/// <summary>
/// A text value for a row of <see cref="Bulk"/> that is already UTF-8 (JSON written by a serializer): the SQLite writer
/// binds its bytes as they are; other paths bind it as a string. It saves two transcodings and a string per stored body
/// and answer.
/// </summary>
internal sealed class Utf8Text(byte[] bytes)
{
    public byte[] Bytes => bytes;

    public override string ToString() => Encoding.UTF8.GetString(bytes);
}
