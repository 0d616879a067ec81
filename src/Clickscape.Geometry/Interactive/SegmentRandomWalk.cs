using System.Numerics;
using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Normals;
using Clickscape.Geometry.Scenes;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Geometry.Interactive;

/// <summary>Parameters of <see cref="SegmentRandomWalk"/>. Defaults chosen by NoC on generated scenes (seed 7, scenes 0–2), never on real data.</summary>
public sealed record SegmentRandomWalkOptions
{
    /// <summary>Colour scale σ_c of the affinity, in 0–255 RGB units (distance between segment mean colours).</summary>
    public float ColorSigma { get; init; } = 16f;

    /// <summary>Normal scale σ_n of the affinity, on 1 − n̂ᵢ·n̂ⱼ of the segment mean normals (0 parallel … 2 opposite).</summary>
    public float NormalSigma { get; init; } = 0.6f;

    /// <summary>
    /// Weight γ of every segment's edge to the background prior (Grady 2005's prior model with a flat
    /// background density): how fast the foreground probability fades with graph distance from a positive click.
    /// </summary>
    public double BackgroundPrior { get; init; } = 0.05;

    /// <summary>Half-edge of the axis-aligned cube of points a click forces to its label, metres (REFERENCE.md §5).</summary>
    public float ClickHalfEdge { get; init; } = 0.05f;

    /// <summary>Neighbours per point of the k-NN graph that makes segment adjacency on point clouds (meshes use their faces).</summary>
    public int Neighbors { get; init; } = 8;
}

/// <summary>
/// The model-free interactive segmenter: competing random walks on the segment graph (Grady, "Random Walks for
/// Image Segmentation", IEEE TPAMI 28(11), 2006, Eqs. 1–11; with the prior model of Grady, "Multilabel random
/// walker image segmentation using prior models", CVPR 2005, §2). Nodes are over-segments; positive clicks seed
/// their segments with the foreground label and negative clicks with the background label; the foreground
/// probability of every other segment is the probability that a random walker leaving it reaches a foreground
/// seed before a background seed or the background prior.
/// </summary>
/// <remarks>
/// <para>Affinity of adjacent segments i, j (Grady's Gaussian weighting, Eq. 1, over segment features):
/// wᵢⱼ = exp(−‖c̄ᵢ − c̄ⱼ‖² / (2σ_c²)) · exp(−(1 − n̂ᵢ·n̂ⱼ) / σ_n), from mean colours c̄ and unit mean normals n̂.
/// Every segment also has an edge of weight γ to a background sink (the prior), so a single positive click gives
/// a mask that fades with graph distance instead of covering the whole connected scene.</para>
/// <para>With seeds M and unseeded nodes U the foreground probabilities x_U solve the Dirichlet problem
/// (L_U + γI) x_U = W_UM m (Eq. 10 with the prior term), where L is the graph Laplacian and m is 1 on positive
/// and 0 on negative seeds. The matrix is symmetric, strictly diagonally dominant and so positive definite:
/// solved by conjugate gradients with a Jacobi preconditioner. A point is foreground when its segment's
/// probability exceeds ½.</para>
/// <para>A segment holding both positive and negative clicks is not a seed; each of its points takes the label
/// of the nearest click inside it (the segment straddles the object's border). Finally the points in the cube
/// of half-edge <see cref="SegmentRandomWalkOptions.ClickHalfEdge"/> around each click are forced to that
/// click's label, in click order, as the interactive protocol does after every prediction (REFERENCE.md §5).</para>
/// <para>Everything that does not depend on the clicks — the graph, its weights, a k-d tree for the click
/// regions — is built once in the constructor; the instance is immutable afterwards and thread-safe.</para>
/// </remarks>
public sealed class SegmentRandomWalk : IInteractiveSegmenter
{
    private readonly float[] _positions;
    private readonly int[] _pointNodes;
    private readonly int[] _nodeOffsets;      // CSR over nodes: points of node s
    private readonly int[] _nodePoints;
    private readonly int[] _edgeOffsets;      // CSR over nodes: neighbours and weights
    private readonly int[] _edgeTargets;
    private readonly double[] _edgeWeights;
    private readonly double[] _degree;
    private readonly KdTree _tree;
    private readonly SegmentRandomWalkOptions _options;

    /// <summary>Builds the walker over <paramref name="graph"/> (its nodes, adjacency and mean colours / normals).</summary>
    public SegmentRandomWalk(SegmentGraph graph, ReadOnlySpan<float> positions, SegmentRandomWalkOptions? options = null)
        : this(graph, positions, options, tree: null)
    {
    }

    // tree: a k-d tree over positions the caller built already (FromScene, for the k-NN graph), or null.
    private SegmentRandomWalk(SegmentGraph graph, ReadOnlySpan<float> positions, SegmentRandomWalkOptions? options, KdTree? tree)
    {
        ArgumentNullException.ThrowIfNull(graph);
        _options = options ?? new SegmentRandomWalkOptions();
        if (!(_options.ColorSigma > 0) || !(_options.NormalSigma > 0) || !(_options.BackgroundPrior > 0) || !(_options.ClickHalfEdge >= 0))
            throw new ArgumentException("SegmentRandomWalk: ColorSigma, NormalSigma and BackgroundPrior must be > 0 and ClickHalfEdge ≥ 0", nameof(options));
        int n = graph.PointNodes.Length;
        if (positions.Length != 3 * n)
            throw new ArgumentException($"positions hold {positions.Length} floats for {n} points, expected 3 per point", nameof(positions));
        _positions = positions.ToArray();
        _pointNodes = (int[])graph.PointNodes.Clone();
        int s = graph.Count;
        SegmentCount = s;

        _nodeOffsets = new int[s + 1];
        var nodePoints = new List<int>(n);
        var colors = new Vector3[s];
        var normals = new Vector3[s];
        for (int i = 0; i < s; i++)
        {
            nodePoints.AddRange(graph.Points(i));
            _nodeOffsets[i + 1] = nodePoints.Count;
            colors[i] = graph.MeanColor(i);
            var normal = graph.MeanNormal(i);
            float length = normal.Length();
            normals[i] = length > 1e-6f ? normal / length : Vector3.Zero;
        }
        _nodePoints = [.. nodePoints];

        double colorScale = 1.0 / (2.0 * _options.ColorSigma * _options.ColorSigma);
        double normalScale = 1.0 / _options.NormalSigma;
        _edgeOffsets = new int[s + 1];
        var targets = new List<int>();
        var weights = new List<double>();
        _degree = new double[s];
        for (int i = 0; i < s; i++)
        {
            foreach (int j in graph.Neighbors(i))
            {
                double colorDistance = Vector3.DistanceSquared(colors[i], colors[j]);
                double normalDistance = 1.0 - Vector3.Dot(normals[i], normals[j]);
                double w = Math.Exp(-colorDistance * colorScale - normalDistance * normalScale);
                targets.Add(j);
                weights.Add(w);
                _degree[i] += w;
            }
            _edgeOffsets[i + 1] = targets.Count;
        }
        _edgeTargets = [.. targets];
        _edgeWeights = [.. weights];
        _tree = tree ?? new KdTree(_positions);
    }

    // PointCloudNormals' neighbourhood size, used for the normals of a point cloud without them.
    private const int NormalNeighbors = 16;

    /// <summary>
    /// Builds the walker for <paramref name="scene"/>: segments <paramref name="segIndices"/> (null = ScanNet's
    /// Segmentator on a mesh, <see cref="PointCloudSegmentator"/> on a point cloud), adjacency from mesh faces or a
    /// k-NN graph, normals from the scene or estimated.
    /// </summary>
    public static SegmentRandomWalk FromScene(Scene scene, int[]? segIndices = null, SegmentRandomWalkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        options ??= new SegmentRandomWalkOptions();
        int n = scene.PointCount;
        if (n == 0) throw new ArgumentException($"scene '{scene.Name}' has no points", nameof(scene));
        if (segIndices is not null && segIndices.Length != n)
            throw new ArgumentException($"scene '{scene.Name}': {segIndices.Length} segment ids for {n} points", nameof(segIndices));
        var positions = scene.Positions;
        var normals = scene.Normals;
        if (scene.Faces is { Length: > 0 })
        {
            normals ??= MeshNormals.Segmentator(positions, scene.Faces);
            segIndices ??= MeshSegmentator.Segment(positions, scene.Faces);
            return new SegmentRandomWalk(SegmentGraph.FromMesh(segIndices, positions, scene.Faces, scene.Colors, normals), positions, options);
        }
        // A point cloud: one k-d tree and one k-NN search serve the normals (their first 16 neighbours), the graph's
        // adjacency (the first Neighbors + 1) and the click regions; rows are in (distance, index) order, so the first
        // k of a longer search are the k-NN search's.
        int k = Math.Min(options.Neighbors + 1, n);
        int rowLength = normals is null ? Math.Max(k, NormalNeighbors) : k;
        var tree = new KdTree(positions);
        var (neighbors, _) = tree.NearestAll(rowLength);
        if (normals is null)
        {
            var (min, max) = scene.Bounds();
            normals = PointCloudNormals.TowardsViewpoint(positions, (min + max) / 2, neighbors, rowLength, NormalNeighbors);
        }
        segIndices ??= PointCloudSegmentator.Segment(positions, scene.Colors, normals);
        var graph = SegmentGraph.FromNeighbors(segIndices, positions, neighbors, rowLength, k, scene.Colors, normals);
        return new SegmentRandomWalk(graph, positions, options, tree);
    }

    /// <inheritdoc/>
    public int PointCount => _pointNodes.Length;

    /// <summary>Number of segments (graph nodes).</summary>
    public int SegmentCount { get; }

    /// <summary>The segment (node 0..<see cref="SegmentCount"/>−1) of point <paramref name="point"/>.</summary>
    public int SegmentOf(int point) => _pointNodes[point];

    /// <summary>The segment of every point (a copy).</summary>
    public int[] PointSegments() => (int[])_pointNodes.Clone();

    /// <summary>The points of segment <paramref name="node"/>, ascending.</summary>
    public ReadOnlySpan<int> SegmentPoints(int node) => _nodePoints.AsSpan(_nodeOffsets[node], _nodeOffsets[node + 1] - _nodeOffsets[node]);

    /// <summary>The points inside the cube of half-edge <see cref="SegmentRandomWalkOptions.ClickHalfEdge"/> around point <paramref name="point"/>, ascending.</summary>
    public int[] ClickRegion(int point)
    {
        CheckPoint(point);
        float h = _options.ClickHalfEdge;
        float x = _positions[3 * point], y = _positions[3 * point + 1], z = _positions[3 * point + 2];
        var ball = new List<int>();
        _tree.Radius(x, y, z, h * MathF.Sqrt(3) * 1.0001f, ball);
        var cube = new List<int>(ball.Count);
        foreach (int i in ball)
        {
            if (MathF.Abs(_positions[3 * i] - x) <= h && MathF.Abs(_positions[3 * i + 1] - y) <= h && MathF.Abs(_positions[3 * i + 2] - z) <= h)
                cube.Add(i);
        }
        return [.. cube];
    }

    /// <summary>
    /// The foreground probability of every segment for <paramref name="clicks"/>: 1 / 0 on segments seeded by
    /// positive / negative clicks only, the random-walk solution elsewhere; NaN on segments holding both kinds.
    /// </summary>
    public double[] Probabilities(IReadOnlyList<InteractiveClick> clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        int s = SegmentCount;
        // 0 = unseeded, 1 = positive seed, 2 = negative seed, 3 = both.
        var seed = new byte[s];
        foreach (var c in clicks)
        {
            CheckPoint(c.Point);
            seed[_pointNodes[c.Point]] |= c.Positive ? (byte)1 : (byte)2;
        }
        var x = new double[s];
        var unknown = new List<int>();
        var index = new int[s];
        for (int i = 0; i < s; i++)
        {
            index[i] = -1;
            if (seed[i] == 1) x[i] = 1;
            else if (seed[i] == 3) x[i] = double.NaN;
            else if (seed[i] == 0)
            {
                index[i] = unknown.Count;
                unknown.Add(i);
            }
        }
        if (unknown.Count == 0 || !Array.Exists(seed, v => v == 1))
            return x; // no foreground seed: every walker ends in the background
        var b = new double[unknown.Count];
        var diagonal = new double[unknown.Count];
        for (int u = 0; u < unknown.Count; u++)
        {
            int i = unknown[u];
            diagonal[u] = _degree[i] + _options.BackgroundPrior;
            for (int e = _edgeOffsets[i]; e < _edgeOffsets[i + 1]; e++)
            {
                if (seed[_edgeTargets[e]] == 1) b[u] += _edgeWeights[e];
            }
        }
        var solution = SolveConjugateGradient(unknown, index, diagonal, b);
        for (int u = 0; u < unknown.Count; u++) x[unknown[u]] = solution[u];
        return x;
    }

    /// <inheritdoc/>
    public bool[] Predict(IReadOnlyList<InteractiveClick> clicks)
    {
        var probability = Probabilities(clicks);
        var mask = new bool[PointCount];
        for (int p = 0; p < mask.Length; p++) mask[p] = probability[_pointNodes[p]] > 0.5;
        // Segments with clicks of both kinds: each point takes the label of the nearest click inside the segment.
        for (int node = 0; node < SegmentCount; node++)
        {
            if (!double.IsNaN(probability[node])) continue;
            var inside = clicks.Where(c => _pointNodes[c.Point] == node).ToArray();
            foreach (int p in SegmentPoints(node))
            {
                float best = float.PositiveInfinity;
                foreach (var c in inside)
                {
                    float d = DistanceSquared(p, c.Point);
                    if (d < best)
                    {
                        best = d;
                        mask[p] = c.Positive;
                    }
                }
            }
        }
        foreach (var c in clicks)
        {
            foreach (int p in ClickRegion(c.Point)) mask[p] = c.Positive;
        }
        return mask;
    }

    // (L_U + γI) x = b by conjugate gradients, Jacobi-preconditioned; the operator applies the unseeded rows of
    // the weighted Laplacian (seeded neighbours moved to b, the prior on the diagonal).
    private double[] SolveConjugateGradient(List<int> unknown, int[] index, double[] diagonal, double[] b)
    {
        int m = unknown.Count;
        var x = new double[m];
        var r = (double[])b.Clone();
        var z = new double[m];
        var p = new double[m];
        var ap = new double[m];
        for (int u = 0; u < m; u++) p[u] = z[u] = r[u] / diagonal[u];
        double rz = Dot(r, z);
        double bNorm = Math.Sqrt(Dot(b, b));
        if (bNorm == 0) return x;
        for (int iteration = 0; iteration < 4 * m + 20; iteration++)
        {
            for (int u = 0; u < m; u++)
            {
                int i = unknown[u];
                double sum = diagonal[u] * p[u];
                for (int e = _edgeOffsets[i]; e < _edgeOffsets[i + 1]; e++)
                {
                    int v = index[_edgeTargets[e]];
                    if (v >= 0) sum -= _edgeWeights[e] * p[v];
                }
                ap[u] = sum;
            }
            double alpha = rz / Dot(p, ap);
            for (int u = 0; u < m; u++)
            {
                x[u] += alpha * p[u];
                r[u] -= alpha * ap[u];
            }
            if (Math.Sqrt(Dot(r, r)) <= 1e-10 * bNorm) break;
            for (int u = 0; u < m; u++) z[u] = r[u] / diagonal[u];
            double rzNext = Dot(r, z);
            double beta = rzNext / rz;
            rz = rzNext;
            for (int u = 0; u < m; u++) p[u] = z[u] + beta * p[u];
        }
        return x;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private float DistanceSquared(int a, int b)
    {
        float dx = _positions[3 * a] - _positions[3 * b];
        float dy = _positions[3 * a + 1] - _positions[3 * b + 1];
        float dz = _positions[3 * a + 2] - _positions[3 * b + 2];
        return dx * dx + dy * dy + dz * dz;
    }

    private void CheckPoint(int point)
    {
        if ((uint)point >= (uint)PointCount)
            throw new ArgumentOutOfRangeException(nameof(point), point, $"click on point {point}, expected 0..{PointCount - 1}");
    }
}
