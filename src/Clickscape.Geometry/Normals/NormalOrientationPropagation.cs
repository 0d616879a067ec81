using System.Numerics;
using Clickscape.Geometry.Neighbors;

namespace Clickscape.Geometry.Normals;

/// <summary>
/// Consistent orientation of unoriented point normals by propagation along a minimum spanning tree (Hoppe, DeRose,
/// Duchamp, McDonald and Stuetzle, "Surface reconstruction from unorganized points", SIGGRAPH 1992, §3.3): neighbouring
/// normals on a smooth surface are nearly parallel, so walking the tree whose edges cost 1 − |n_i·n_j| and flipping each
/// newly reached normal to agree with the one it was reached from orients a whole surface alike.
/// </summary>
/// <remarks>
/// The graph is the k-nearest-neighbour graph (Hoppe et al. add the Euclidean MST's edges; here every component of the
/// kNN graph is walked from its own root). Prim's order (cheapest edge out of the reached set first) walks the minimum
/// spanning forest. Roots are taken in order of how squarely their normal faces the viewpoint,
/// |n·(v − p)| / |v − p|, and oriented towards it, so a component's orientation comes from its most trustworthy point,
/// not from points whose tangent plane nearly passes through the viewpoint (where orienting each point towards the
/// viewpoint on its own flips neighbours against each other). Across a sharp crease the parent's normal says nothing
/// about the sign (two perpendicular normals agree with either sign equally), so a point reached along an edge with
/// |n_i·n_j| below <c>minCosine</c> is oriented towards the viewpoint instead, and the walk goes on from it.
/// Normals of length 0 stay 0 and are not walked through.
/// </remarks>
public static class NormalOrientationPropagation
{
    /// <summary>Returns the normals re-oriented (the input is not changed); the same unit vectors up to sign.</summary>
    /// <param name="positions">x, y, z per point.</param>
    /// <param name="normals">nx, ny, nz per point, any orientation.</param>
    /// <param name="viewpoint">Where the sensor was (orients each root).</param>
    /// <param name="neighbors">k of the kNN graph walked.</param>
    /// <param name="minCosine">Smallest |n_i·n_j| through which a sign is passed on (0.5: 60°).</param>
    /// <param name="threads">Threads for the neighbour search, 0 = all cores.</param>
    public static float[] Orient(ReadOnlySpan<float> positions, float[] normals, Vector3 viewpoint, int neighbors = 12, float minCosine = 0.5f,
        int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(normals);
        if (positions.Length % 3 != 0)
            throw new ArgumentException($"positions hold {positions.Length} floats, expected a multiple of 3 (x y z per point)", nameof(positions));
        int n = positions.Length / 3;
        if (normals.Length != 3 * n)
            throw new ArgumentException($"normals hold {normals.Length} floats for {n} points, expected 3 per point", nameof(normals));
        ArgumentOutOfRangeException.ThrowIfLessThan(neighbors, 1);
        var result = (float[])normals.Clone();
        if (n == 0)
            return result;
        int k = Math.Min(neighbors + 1, n); // the point itself comes first
        var (nb, _) = new KdTree(positions).NearestAll(k, threads);

        var facing = new float[n];
        for (int i = 0; i < n; i++)
        {
            var toView = viewpoint - Read(positions, i);
            float length = toView.Length();
            facing[i] = length > 0 ? MathF.Abs(Vector3.Dot(Read(result, i), toView)) / length : 0;
        }
        var roots = Enumerable.Range(0, n).OrderByDescending(i => facing[i]).ThenBy(i => i).ToArray();
        var reached = new bool[n];
        var queue = new PriorityQueue<(int From, int To), (float Cost, int Order)>();
        int order = 0;
        foreach (int root in roots)
        {
            if (reached[root])
                continue;
            reached[root] = true;
            var nr = Read(result, root);
            if (nr == Vector3.Zero)
                continue;
            if (Vector3.Dot(nr, viewpoint - Read(positions, root)) < 0)
                Write(result, root, -nr);
            Push(root);
            while (queue.TryDequeue(out var edge, out _))
            {
                if (reached[edge.To])
                    continue;
                reached[edge.To] = true;
                var nj = Read(result, edge.To);
                float agreement = Vector3.Dot(Read(result, edge.From), nj);
                if (MathF.Abs(agreement) < minCosine)
                    agreement = Vector3.Dot(viewpoint - Read(positions, edge.To), nj); // a crease: the viewpoint decides
                if (agreement < 0)
                    Write(result, edge.To, -nj);
                Push(edge.To);
            }
        }
        return result;

        void Push(int i)
        {
            var ni = Read(result, i);
            for (int t = 0; t < k; t++)
            {
                int j = nb[i * k + t];
                if (j < 0 || j == i || reached[j])
                    continue;
                var nj = Read(result, j);
                if (nj == Vector3.Zero)
                    continue;
                queue.Enqueue((i, j), (1 - MathF.Abs(Vector3.Dot(ni, nj)), order++)); // ties: first pushed first
            }
        }
    }

    private static Vector3 Read(ReadOnlySpan<float> a, int i) => new(a[3 * i], a[3 * i + 1], a[3 * i + 2]);

    private static void Write(float[] a, int i, Vector3 v)
    {
        a[3 * i] = v.X;
        a[3 * i + 1] = v.Y;
        a[3 * i + 2] = v.Z;
    }
}
