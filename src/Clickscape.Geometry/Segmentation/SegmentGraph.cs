using System.Numerics;

namespace Clickscape.Geometry.Segmentation;

/// <summary>
/// Over-segments as the nodes of a graph — their points, size, centroid, mean colour and mean normal — with
/// adjacency from mesh edges or from k-nearest-neighbour lists, and union–find merging for hierarchical grouping
/// (SegGroup's graph of segments, REFERENCE.md §4; ClickSeg's supervoxel expansion).
/// </summary>
/// <remarks>
/// Nodes are the distinct segment ids in ascending order (NumPy's <c>unique</c>, as SegGroup remaps segments to
/// 0..S−1). Two nodes are adjacent when an edge joins points of both; adjacency lists are sorted and unique.
/// <see cref="Merge"/> joins two groups; statistics of a group are read through any of its nodes and are the
/// point-weighted means of its members. A segment id of −1 is an ordinary id here; filter points first if it
/// marks "no segment".
/// </remarks>
public sealed class SegmentGraph
{
    private readonly int[] _pointOffsets;   // CSR: points of node s are _points[_pointOffsets[s].._pointOffsets[s+1]]
    private readonly int[] _points;
    private readonly int[][] _adjacency;
    private readonly DisjointSet _groups;
    private readonly double[] _sums;        // per node (group root): count, x, y, z, r, g, b, nx, ny, nz
    private readonly List<int>?[] _members;
    private const int Stride = 10;

    private SegmentGraph(int[] segmentIds, int[] pointNodes, int[] pointOffsets, int[] points, int[][] adjacency, double[] sums)
    {
        SegmentIds = segmentIds;
        PointNodes = pointNodes;
        _pointOffsets = pointOffsets;
        _points = points;
        _adjacency = adjacency;
        _sums = sums;
        _groups = new DisjointSet(segmentIds.Length);
        _members = new List<int>?[segmentIds.Length];
    }

    /// <summary>Number of nodes (segments).</summary>
    public int Count => SegmentIds.Length;

    /// <summary>Number of groups after the merges so far.</summary>
    public int GroupCount => _groups.SetCount;

    /// <summary>The original segment id of each node.</summary>
    public int[] SegmentIds { get; }

    /// <summary>The node of each point.</summary>
    public int[] PointNodes { get; }

    /// <summary>Graph with adjacency from the edges of mesh <paramref name="faces"/>.</summary>
    public static SegmentGraph FromMesh(ReadOnlySpan<int> segIndices, ReadOnlySpan<float> positions, ReadOnlySpan<int> faces,
        ReadOnlySpan<byte> colors = default, ReadOnlySpan<float> normals = default)
    {
        if (faces.Length % 3 != 0)
            throw new ArgumentException($"faces hold {faces.Length} indices, expected a multiple of 3", nameof(faces));
        var pairs = new List<long>();
        int n = segIndices.Length;
        var (ids, nodes) = Compact(segIndices);
        for (int f = 0; f < faces.Length; f += 3)
        {
            for (int e = 0; e < 3; e++)
            {
                int a = faces[f + e], b = faces[f + (e + 1) % 3];
                if ((uint)a >= (uint)n || (uint)b >= (uint)n)
                    throw new ArgumentException($"face {f / 3} references a vertex outside 0..{n - 1}", nameof(faces));
                AddPair(pairs, nodes[a], nodes[b]);
            }
        }
        return Build(ids, nodes, positions, colors, normals, pairs);
    }

    /// <summary>Graph with adjacency from neighbour lists (<paramref name="k"/> per point, −1 = none), e.g. <see cref="Neighbors.KdTree"/> results.</summary>
    public static SegmentGraph FromNeighbors(ReadOnlySpan<int> segIndices, ReadOnlySpan<float> positions, ReadOnlySpan<int> neighbors, int k,
        ReadOnlySpan<byte> colors = default, ReadOnlySpan<float> normals = default) =>
        FromNeighbors(segIndices, positions, neighbors, k, k, colors, normals);

    /// <summary>
    /// Graph with adjacency from the first <paramref name="k"/> of each point's <paramref name="rowLength"/> neighbours
    /// (rows of a longer k-NN search that a caller made for something else too, e.g. normals).
    /// </summary>
    public static SegmentGraph FromNeighbors(ReadOnlySpan<int> segIndices, ReadOnlySpan<float> positions, ReadOnlySpan<int> neighbors, int rowLength, int k,
        ReadOnlySpan<byte> colors = default, ReadOnlySpan<float> normals = default)
    {
        int n = segIndices.Length;
        if (k < 1 || rowLength < k || neighbors.Length != n * rowLength)
            throw new ArgumentException($"neighbour lists hold {neighbors.Length} entries for {n} points, expected {n} × {rowLength} (k = {k})", nameof(neighbors));
        var (ids, nodes) = Compact(segIndices);
        var pairs = new List<long>();
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < k; t++)
            {
                int j = neighbors[i * rowLength + t];
                if (j < 0)
                    continue;
                if (j >= n)
                    throw new ArgumentException($"point {i} lists neighbour {j}, expected 0..{n - 1}", nameof(neighbors));
                AddPair(pairs, nodes[i], nodes[j]);
            }
        }
        return Build(ids, nodes, positions, colors, normals, pairs);
    }

    private static void AddPair(List<long> pairs, int a, int b)
    {
        if (a != b)
            pairs.Add(((long)Math.Min(a, b) << 32) | (uint)Math.Max(a, b));
    }

    private static (int[] Ids, int[] Nodes) Compact(ReadOnlySpan<int> segIndices)
    {
        var ids = segIndices.ToArray();
        Array.Sort(ids);
        int m = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            if (i == 0 || ids[i] != ids[m - 1])
                ids[m++] = ids[i];
        }
        Array.Resize(ref ids, m);
        var nodes = new int[segIndices.Length];
        for (int i = 0; i < nodes.Length; i++)
            nodes[i] = Array.BinarySearch(ids, segIndices[i]);
        return (ids, nodes);
    }

    private static SegmentGraph Build(int[] ids, int[] nodes, ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors,
        ReadOnlySpan<float> normals, List<long> pairs)
    {
        int n = nodes.Length, s = ids.Length;
        if (positions.Length != 3 * n)
            throw new ArgumentException($"positions hold {positions.Length} floats for {n} points, expected 3 per point", nameof(positions));
        if (!colors.IsEmpty && colors.Length != 3 * n)
            throw new ArgumentException($"colors hold {colors.Length} bytes for {n} points, expected 3 per point", nameof(colors));
        if (!normals.IsEmpty && normals.Length != 3 * n)
            throw new ArgumentException($"normals hold {normals.Length} floats for {n} points, expected 3 per point", nameof(normals));
        var offsets = new int[s + 1];
        foreach (int node in nodes)
            offsets[node + 1]++;
        for (int i = 0; i < s; i++)
            offsets[i + 1] += offsets[i];
        var points = new int[n];
        var fill = offsets[..s];
        var sums = new double[s * Stride];
        for (int i = 0; i < n; i++)
        {
            int node = nodes[i];
            points[fill[node]++] = i;
            int o = node * Stride;
            sums[o] += 1;
            for (int d = 0; d < 3; d++)
            {
                sums[o + 1 + d] += positions[3 * i + d];
                if (!colors.IsEmpty)
                    sums[o + 4 + d] += colors[3 * i + d];
                if (!normals.IsEmpty)
                    sums[o + 7 + d] += normals[3 * i + d];
            }
        }
        pairs.Sort();
        var lists = new List<int>[s];
        for (int i = 0; i < s; i++)
            lists[i] = [];
        for (int i = 0; i < pairs.Count; i++)
        {
            if (i > 0 && pairs[i] == pairs[i - 1])
                continue;
            int a = (int)(pairs[i] >> 32), b = (int)(uint)pairs[i];
            lists[a].Add(b);
            lists[b].Add(a);
        }
        var adjacency = new int[s][];
        for (int i = 0; i < s; i++)
        {
            lists[i].Sort();
            adjacency[i] = [.. lists[i]];
        }
        return new SegmentGraph(ids, nodes, offsets, points, adjacency, sums);
    }

    /// <summary>The points of node <paramref name="node"/>, ascending.</summary>
    public ReadOnlySpan<int> Points(int node) => _points.AsSpan(_pointOffsets[node], _pointOffsets[node + 1] - _pointOffsets[node]);

    /// <summary>Nodes adjacent to <paramref name="node"/> (before merging), ascending.</summary>
    public IReadOnlyList<int> Neighbors(int node) => _adjacency[node];

    /// <summary>Number of points in the group of <paramref name="node"/>.</summary>
    public int Size(int node) => (int)_sums[Find(node) * Stride];

    /// <summary>Mean position of the group of <paramref name="node"/>.</summary>
    public Vector3 Centroid(int node) => Mean(node, 1);

    /// <summary>Mean colour (0–255) of the group of <paramref name="node"/>.</summary>
    public Vector3 MeanColor(int node) => Mean(node, 4);

    /// <summary>Mean normal (not renormalized) of the group of <paramref name="node"/>.</summary>
    public Vector3 MeanNormal(int node) => Mean(node, 7);

    private Vector3 Mean(int node, int at)
    {
        int o = Find(node) * Stride;
        double c = _sums[o];
        return new Vector3((float)(_sums[o + at] / c), (float)(_sums[o + at + 1] / c), (float)(_sums[o + at + 2] / c));
    }

    /// <summary>The representative node of the group holding <paramref name="node"/>.</summary>
    public int Find(int node) => _groups.Find(node);

    /// <summary>Merges the groups of <paramref name="a"/> and <paramref name="b"/>; returns the representative.</summary>
    public int Merge(int a, int b)
    {
        int ra = Find(a), rb = Find(b);
        if (ra == rb)
            return ra;
        int root = _groups.Join(ra, rb);
        int other = root == ra ? rb : ra;
        for (int t = 0; t < Stride; t++)
            _sums[root * Stride + t] += _sums[other * Stride + t];
        var into = _members[root] ??= [root];
        into.AddRange(_members[other] ?? [other]);
        _members[other] = null;
        return root;
    }

    /// <summary>The nodes of the group of <paramref name="node"/>, ascending.</summary>
    public int[] Members(int node)
    {
        var list = _members[Find(node)];
        if (list is null)
            return [node];
        int[] result = [.. list];
        Array.Sort(result);
        return result;
    }

    /// <summary>Representatives of the groups adjacent to the group of <paramref name="node"/>, ascending.</summary>
    public int[] GroupNeighbors(int node)
    {
        int root = Find(node);
        var set = new SortedSet<int>();
        foreach (int m in Members(node))
        {
            foreach (int nb in _adjacency[m])
            {
                int r = Find(nb);
                if (r != root)
                    set.Add(r);
            }
        }
        return [.. set];
    }

    /// <summary>Per node, its group as 0, 1, … in order of each group's lowest node.</summary>
    public int[] GroupLabels()
    {
        var labels = new int[Count];
        var map = new Dictionary<int, int>();
        for (int i = 0; i < Count; i++)
        {
            int r = Find(i);
            if (!map.TryGetValue(r, out labels[i]))
                map[r] = labels[i] = map.Count;
        }
        return labels;
    }
}
