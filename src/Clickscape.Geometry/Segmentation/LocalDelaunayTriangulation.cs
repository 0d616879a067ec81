using System.Numerics;
using Clickscape.Geometry.Neighbors;

namespace Clickscape.Geometry.Segmentation;

/// <summary>
/// A triangle mesh over the points of a scan that lost its faces: every point's umbrella is the 1-ring of the
/// Delaunay triangulation of its nearest neighbours projected onto its tangent plane (Gopi, Krishnan and Silva,
/// "Surface reconstruction based on lower dimensional localized Delaunay triangulation", Eurographics 2000).
/// </summary>
/// <remarks>
/// For point i with unit normal n_i: its <c>neighbors</c> nearest points are projected onto the plane through x_i
/// perpendicular to n_i; the Voronoi cell of i among the projections is cut out of a square by the bisector half-planes
/// (Sutherland–Hodgman clipping, nearest first, stopping once a neighbour lies beyond twice the cell's radius: the
/// security radius); the neighbours whose bisector bounds the cell are i's Delaunay neighbours, in angular order, and
/// two consecutive ones a, b give the triangle (i, a, b), oriented counter-clockwise about n_i. A triangle is kept when
/// at least <c>votes</c> of its three corners' umbrellas hold it (3 = Gopi et al.'s consistency test; 1 = the union).
/// Points with a zero normal or fewer than two usable neighbours make no umbrella.
/// </remarks>
public static class LocalDelaunayTriangulation
{
    /// <summary>Returns three point indices per triangle (each triangle once, in first-found orientation).</summary>
    /// <param name="positions">x, y, z per point.</param>
    /// <param name="normals">unit nx, ny, nz per point (the tangent planes).</param>
    /// <param name="neighbors">Candidate neighbours per point (≥ 2).</param>
    /// <param name="votes">Umbrellas (1–3) that must hold a triangle for it to be kept.</param>
    /// <param name="threads">Threads for the neighbour search and the umbrellas, 0 = all cores.</param>
    public static int[] Faces(ReadOnlySpan<float> positions, float[] normals, int neighbors = 16, int votes = 1, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(normals);
        int n = SegmentationInput.Validate(positions, default, normals);
        ArgumentOutOfRangeException.ThrowIfLessThan(neighbors, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(votes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(votes, 3);
        if (n < 3)
            return [];
        int k = Math.Min(neighbors + 1, n);
        var (nb, _) = new KdTree(positions).NearestAll(k, threads);
        var p = positions.ToArray();
        var umbrellas = new int[n][];
        KdTree.ForEachBlock(n, threads, (from, to) =>
        {
            var cell = new Umbrella(k);
            for (int i = from; i < to; i++)
                umbrellas[i] = cell.Build(p, normals, nb.AsSpan(i * k, k), i);
        });

        // Count each triangle (sorted triple) over the umbrellas, remember its first orientation.
        var count = new Dictionary<(int, int, int), (int Votes, int A, int B, int C)>();
        for (int i = 0; i < n; i++)
        {
            var ring = umbrellas[i];
            for (int t = 0; t + 1 < ring.Length; t += 2)
            {
                int a = ring[t], b = ring[t + 1];
                var key = Sorted(i, a, b);
                count[key] = count.TryGetValue(key, out var seen) ? seen with { Votes = seen.Votes + 1 } : (1, i, a, b);
            }
        }
        var faces = new List<int>(count.Count * 3);
        foreach (var (_, t) in count.OrderBy(e => e.Key))
        {
            if (t.Votes < votes)
                continue;
            faces.Add(t.A);
            faces.Add(t.B);
            faces.Add(t.C);
        }
        return faces.ToArray();
    }

    private static (int, int, int) Sorted(int a, int b, int c)
    {
        if (a > b) (a, b) = (b, a);
        if (b > c) (b, c) = (c, b);
        if (a > b) (a, b) = (b, a);
        return (a, b, c);
    }

    // The Voronoi cell of one point among its projected neighbours; reused per thread.
    private sealed class Umbrella(int capacity)
    {
        private readonly List<(Vector2 Point, int Source)> _polygon = new(4 * capacity + 8);
        private readonly List<(Vector2 Point, int Source)> _next = new(4 * capacity + 8);
        private readonly List<int> _pairs = new(2 * capacity);

        // Returns pairs (a, b) of consecutive Delaunay neighbours, flattened: triangles (i, a, b) counter-clockwise.
        public int[] Build(float[] p, float[] normals, ReadOnlySpan<int> row, int i)
        {
            var normal = new Vector3(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2]);
            float length = normal.Length();
            if (!(length > 0))
                return [];
            normal /= length;
            var u = Vector3.Normalize(Vector3.Cross(normal, MathF.Abs(normal.X) < 0.9f ? Vector3.UnitX : Vector3.UnitY));
            var w = Vector3.Cross(normal, u); // (u, w, normal) right-handed: counter-clockwise in (u, w) is about +normal
            var xi = new Vector3(p[3 * i], p[3 * i + 1], p[3 * i + 2]);

            float extent = 0;
            for (int t = 0; t < row.Length; t++)
            {
                int j = row[t];
                if (j >= 0 && j != i)
                    extent = MathF.Max(extent, Vector3.Distance(new Vector3(p[3 * j], p[3 * j + 1], p[3 * j + 2]), xi));
            }
            if (!(extent > 0))
                return [];
            float r = 4 * extent;
            _polygon.Clear();
            _polygon.Add((new Vector2(-r, -r), -1));
            _polygon.Add((new Vector2(r, -r), -1));
            _polygon.Add((new Vector2(r, r), -1));
            _polygon.Add((new Vector2(-r, r), -1));
            // Edge e of the polygon runs from vertex e to vertex e + 1 and carries vertex e's Source.

            for (int t = 0; t < row.Length; t++)
            {
                int j = row[t];
                if (j < 0 || j == i)
                    continue;
                var d = new Vector3(p[3 * j], p[3 * j + 1], p[3 * j + 2]) - xi;
                var q = new Vector2(Vector3.Dot(d, u), Vector3.Dot(d, w));
                float q2 = q.LengthSquared();
                if (!(q2 > 1e-12f * extent * extent))
                    continue; // coincides with i in the plane
                float radius2 = 0;
                foreach (var v in _polygon)
                    radius2 = MathF.Max(radius2, v.Point.LengthSquared());
                if (q2 > 4 * radius2)
                    break; // security radius: neighbours are in distance order, projections no farther than the points
                Clip(q, 0.5f * q2, j);
            }

            _pairs.Clear();
            int m = _polygon.Count;
            for (int e = 0; e < m; e++)
            {
                int a = _polygon[e].Source, b = _polygon[(e + 1) % m].Source;
                if (a >= 0 && b >= 0 && a != b)
                {
                    _pairs.Add(a);
                    _pairs.Add(b);
                }
            }
            return _pairs.ToArray();
        }

        // Keeps the part of the polygon with x·q ≤ c; the new edge along the bisector carries source j.
        private void Clip(Vector2 q, float c, int j)
        {
            _next.Clear();
            int m = _polygon.Count;
            for (int e = 0; e < m; e++)
            {
                var (a, sourceA) = _polygon[e];
                var (b, _) = _polygon[(e + 1) % m];
                float fa = Vector2.Dot(a, q) - c, fb = Vector2.Dot(b, q) - c;
                bool inA = fa <= 0, inB = fb <= 0;
                if (inA)
                    _next.Add((a, sourceA));
                if (inA != inB)
                {
                    var x = a + (b - a) * (fa / (fa - fb));
                    // Leaving: the cut point starts the bisector edge (source j); entering: it continues edge e.
                    _next.Add((x, inA ? j : sourceA));
                }
            }
            if (_next.Count >= 3)
            {
                _polygon.Clear();
                _polygon.AddRange(_next);
            }
        }
    }
}
