namespace Clickscape.Geometry.Segmentation;

/// <summary>
/// Union–find forest with union by rank and component sizes, with exactly the conventions of Felzenszwalb's
/// <c>universe</c> as ScanNet's Segmentator uses it (REFERENCE.md §1.1), because segment ids (= root element)
/// and, through the merge order, partitions depend on them:
/// <see cref="Find"/> walks to the root and points only the queried element at it (no full path compression);
/// <see cref="Join"/> of two roots hangs the lower-rank root under the other and, on equal ranks, makes the
/// second argument the parent.
/// </summary>
public sealed class DisjointSet
{
    private readonly int[] _parent;
    private readonly int[] _rank;
    private readonly int[] _size;

    /// <summary>Creates <paramref name="count"/> singleton sets.</summary>
    public DisjointSet(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _parent = new int[count];
        _rank = new int[count];
        _size = new int[count];
        for (int i = 0; i < count; i++)
        {
            _parent[i] = i;
            _size[i] = 1;
        }
        SetCount = count;
    }

    /// <summary>Number of elements.</summary>
    public int Count => _parent.Length;

    /// <summary>Number of disjoint sets.</summary>
    public int SetCount { get; private set; }

    /// <summary>The root of the set holding <paramref name="x"/>; afterwards <paramref name="x"/> points at it.</summary>
    public int Find(int x)
    {
        int y = x;
        while (y != _parent[y])
            y = _parent[y];
        _parent[x] = y;
        return y;
    }

    /// <summary>
    /// Joins the sets whose roots are <paramref name="x"/> and <paramref name="y"/> (both must be roots and
    /// different) and returns the new root.
    /// </summary>
    public int Join(int x, int y)
    {
        if (_rank[x] > _rank[y])
        {
            _parent[y] = x;
            _size[x] += _size[y];
            SetCount--;
            return x;
        }
        _parent[x] = y;
        _size[y] += _size[x];
        if (_rank[x] == _rank[y])
            _rank[y]++;
        SetCount--;
        return y;
    }

    /// <summary>Joins the sets holding <paramref name="x"/> and <paramref name="y"/>; returns the root.</summary>
    public int Union(int x, int y)
    {
        int rx = Find(x), ry = Find(y);
        return rx == ry ? rx : Join(rx, ry);
    }

    /// <summary>Size of the set whose root is <paramref name="root"/>.</summary>
    public int Size(int root) => _size[root];

    /// <summary>The root of every element (the segment id convention of ScanNet).</summary>
    public int[] Roots()
    {
        var roots = new int[_parent.Length];
        for (int i = 0; i < roots.Length; i++)
            roots[i] = Find(i);
        return roots;
    }
}
