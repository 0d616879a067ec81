namespace Clickscape.Data.Formats.PartNet;

/// <summary>
/// One node of a PartNet part hierarchy (<c>result.json</c>, REFERENCE.md §6): an id unique in the shape, a
/// name from the category template (<c>chair_base</c>), the annotator's text (<c>Chair Base</c>), child nodes,
/// and for leaves the mesh pieces (<c>objs</c>) it covers.
/// </summary>
public sealed class PartNetNode
{
    /// <summary>Creates a node.</summary>
    public PartNetNode(int id, string name, string text, IEnumerable<string>? objs = null, IEnumerable<PartNetNode>? children = null, int? originalId = null)
    {
        Id = id;
        OriginalId = originalId;
        Name = name;
        Text = text;
        Objs = objs?.ToList() ?? [];
        Children = [];
        foreach (var c in children ?? []) AddChild(c);
    }

    /// <summary>Node id (point labels refer to these).</summary>
    public int Id { get; }

    /// <summary>
    /// In a merged hierarchy (<c>result_after_merging.json</c>), the id of the <c>result.json</c> node it was made from
    /// (<c>ori_id</c>): the node covers the points of that node's leaves. Null in <c>result.json</c> itself.
    /// </summary>
    public int? OriginalId { get; }

    /// <summary>Template name, e.g. <c>leg</c>.</summary>
    public string Name { get; }

    /// <summary>Annotator text, e.g. <c>Leg</c>.</summary>
    public string Text { get; }

    /// <summary>Mesh pieces of a leaf (empty for inner nodes).</summary>
    public List<string> Objs { get; }

    /// <summary>Child parts.</summary>
    public List<PartNetNode> Children { get; }

    /// <summary>The parent, or null for a root.</summary>
    public PartNetNode? Parent { get; private set; }

    /// <summary>Depth: 0 for a root.</summary>
    public int Depth => Parent is null ? 0 : Parent.Depth + 1;

    /// <summary>Whether the node has no children.</summary>
    public bool IsLeaf => Children.Count == 0;

    /// <summary>The names from the root to this node joined by '/', e.g. <c>chair/chair_base/leg</c> (the part's semantic class).</summary>
    public string Path => Parent is null ? Name : Parent.Path + "/" + Name;

    /// <summary>Adds <paramref name="child"/> under this node.</summary>
    public void AddChild(PartNetNode child)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (child.Parent is not null) throw new ArgumentException($"PartNet node {child.Id} already has a parent");
        child.Parent = this;
        Children.Add(child);
    }

    /// <summary>This node and all its descendants, depth first.</summary>
    public IEnumerable<PartNetNode> Descendants()
    {
        yield return this;
        foreach (var c in Children)
        {
            foreach (var d in c.Descendants()) yield return d;
        }
    }

    /// <summary>The ancestor at <paramref name="depth"/> (this node when it is not deeper than that).</summary>
    public PartNetNode AncestorAt(int depth)
    {
        var node = this;
        while (node.Depth > depth) node = node.Parent!;
        return node;
    }
}
