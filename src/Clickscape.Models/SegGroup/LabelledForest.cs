namespace Clickscape.Models.SegGroup;

/// <summary>
/// Union–find over the nodes of a <see cref="ClusterGraph"/> that carries a seg-level label and a point count per
/// cluster and refuses to join two clusters with different labels (SegGroup's disjoint set, REFERENCE.md §4).
/// </summary>
public sealed class LabelledForest
{
    private readonly int[] _parent;
    private readonly int[] _label;
    private readonly long[] _size;

    /// <summary>One cluster per node with <paramref name="labels"/> and <paramref name="sizes"/>.</summary>
    public LabelledForest(ReadOnlySpan<int> labels, ReadOnlySpan<int> sizes)
    {
        if (labels.Length != sizes.Length) throw new ArgumentException($"labelled forest: {labels.Length} labels for {sizes.Length} sizes");
        _parent = new int[labels.Length];
        _label = labels.ToArray();
        _size = new long[labels.Length];
        for (int i = 0; i < _parent.Length; i++)
        {
            _parent[i] = i;
            _size[i] = sizes[i];
        }
    }

    /// <summary>Nodes.</summary>
    public int Count => _parent.Length;

    /// <summary>The root of the cluster of <paramref name="node"/> (path halving).</summary>
    public int Find(int node)
    {
        while (_parent[node] != node)
        {
            _parent[node] = _parent[_parent[node]];
            node = _parent[node];
        }
        return node;
    }

    /// <summary>The label of the cluster of <paramref name="node"/>.</summary>
    public int Label(int node) => _label[Find(node)];

    /// <summary>The points of the cluster of <paramref name="node"/>.</summary>
    public long Size(int node) => _size[Find(node)];

    /// <summary>Joins the clusters of <paramref name="a"/> and <paramref name="b"/> unless both are labelled, differently; true when they are one cluster afterwards.</summary>
    public bool TryMerge(int a, int b)
    {
        int ra = Find(a), rb = Find(b);
        if (ra == rb) return true;
        int la = _label[ra], lb = _label[rb];
        if (la != SegGroupScene.Unlabelled && lb != SegGroupScene.Unlabelled && la != lb) return false;
        // the lower root survives, so cluster numbering does not depend on the merge order's root choice
        int root = Math.Min(ra, rb), other = Math.Max(ra, rb);
        _parent[other] = root;
        _size[root] += _size[other];
        _label[root] = la != SegGroupScene.Unlabelled ? la : lb;
        return true;
    }

    /// <summary>Cluster of every node (0.. in order of each cluster's lowest node), the count and every cluster's label.</summary>
    public (int[] NodeToCluster, int Count, int[] Labels) Compact()
    {
        var map = new int[Count];
        Array.Fill(map, -1);
        var result = new int[Count];
        var labels = new List<int>();
        for (int i = 0; i < Count; i++)
        {
            int r = Find(i);
            if (map[r] < 0)
            {
                map[r] = labels.Count;
                labels.Add(_label[r]);
            }
            result[i] = map[r];
        }
        return (result, labels.Count, [.. labels]);
    }
}
