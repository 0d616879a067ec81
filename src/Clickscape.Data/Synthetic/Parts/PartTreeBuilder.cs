using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Synthetic.Parts;

/// <summary>Creates the nodes of one hierarchy with consecutive ids (root = 0, as PartNet numbers them).</summary>
internal sealed class PartTreeBuilder
{
    private int _next;

    /// <summary>A new node named <paramref name="name"/> under <paramref name="parent"/> (or a root).</summary>
    public PartNode Node(PartNode? parent, string name)
    {
        var node = new PartNode(_next++, name, TextOf(name));
        parent?.Children.Add(node);
        return node;
    }

    /// <summary>A new leaf with its surfaces.</summary>
    public PartNode Leaf(PartNode parent, string name, params Primitive[] surfaces)
    {
        var node = Node(parent, name);
        node.Surfaces.AddRange(surfaces);
        return node;
    }

    private static string TextOf(string name) =>
        string.Join(' ', name.Split('_').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
}
