using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Synthetic.Parts;

/// <summary>
/// A node of a PartNet part hierarchy (REFERENCE.md §6, <c>result.json</c>): a name such as <c>chair_base</c>, a
/// human-readable text, an id unique in its shape, and either children or, at a leaf, the surfaces of the part.
/// </summary>
public sealed class PartNode
{
    /// <summary>Creates a node.</summary>
    public PartNode(int id, string name, string text)
    {
        Id = id;
        Name = name;
        Text = text;
    }

    /// <summary>Id unique in the shape; leaf ids are what <c>label-10000.txt</c> holds.</summary>
    public int Id { get; }

    /// <summary>PartNet node name, snake_case (e.g. <c>regular_leg_base</c>).</summary>
    public string Name { get; }

    /// <summary>Display text (e.g. "Regular Leg Base").</summary>
    public string Text { get; }

    /// <summary>Child parts (empty at a leaf).</summary>
    public List<PartNode> Children { get; } = [];

    /// <summary>Surfaces of a leaf part (empty for inner nodes).</summary>
    public List<Primitive> Surfaces { get; } = [];

    /// <summary>Whether this node is a leaf.</summary>
    public bool IsLeaf => Children.Count == 0;

    /// <summary>This node and all below it, depth first, parents before children.</summary>
    public IEnumerable<PartNode> Descendants()
    {
        yield return this;
        foreach (var c in Children)
        {
            foreach (var d in c.Descendants()) yield return d;
        }
    }

    /// <summary>The leaves below (or this node when it is a leaf).</summary>
    public IEnumerable<PartNode> Leaves() => Descendants().Where(n => n.IsLeaf);

    /// <summary>Depth of the tree below this node (a leaf has depth 0).</summary>
    public int Depth => IsLeaf ? 0 : 1 + Children.Max(c => c.Depth);
}

/// <summary>A generated PartNet-style shape: hierarchy plus points sampled on the leaf parts.</summary>
/// <param name="Category">PartNet category: Chair, Table, Lamp, StorageFurniture.</param>
/// <param name="Root">The hierarchy; its leaves hold the surfaces.</param>
/// <param name="Points">x, y, z per point, +Y up, normalized (bbox centre at 0, max radius 1), as PartNet's samples.</param>
/// <param name="LeafIds">Leaf node id per point.</param>
public sealed record PartShape(string Category, PartNode Root, float[] Points, int[] LeafIds);
