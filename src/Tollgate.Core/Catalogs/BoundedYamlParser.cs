using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Tollgate.Core.Catalogs;

/// <summary>
/// A YAML event stream with limits, read before the deserializer builds anything: the deserializer recurses once
/// per nesting level, so 5,000 nested brackets would overflow the stack and end the process (a stack overflow
/// cannot be caught). Aliases are refused because a tree that shares nodes expands exponentially when written out.
/// </summary>
internal sealed class BoundedYamlParser(IParser inner, int maxDepth) : IParser
{
    private int depth;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case MappingStart or SequenceStart:
                if (++depth > maxDepth)
                {
                    throw new YamlException(inner.Current.Start, inner.Current.End, $"the document is nested deeper than {maxDepth} levels");
                }

                break;
            case MappingEnd or SequenceEnd:
                depth--;
                break;
            case AnchorAlias:
                throw new YamlException(inner.Current.Start, inner.Current.End, "anchors and aliases (*name) are not supported in price books");
        }

        return true;
    }
}
