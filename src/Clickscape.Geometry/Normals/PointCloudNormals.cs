using System.Numerics;
using Clickscape.Geometry.Neighbors;

namespace Clickscape.Geometry.Normals;

/// <summary>
/// Point-cloud normals by principal component analysis of the k nearest neighbours (Hoppe et al., SIGGRAPH
/// 1992): the normal is the eigenvector of the smallest eigenvalue of the neighbourhood covariance, oriented
/// consistently towards a viewpoint (the sensor; for an indoor scan any point inside the room) or away from the
/// cloud's centroid (outward, for objects).
/// </summary>
/// <remarks>
/// Covariance and eigen-decomposition (cyclic Jacobi rotations) in float64; results are unit length, or
/// (0, 0, 0) when the neighbourhood spans no plane's worth of distinct points (all identical). For a collinear
/// neighbourhood any unit vector perpendicular to the line is a normal; the one returned is deterministic.
/// </remarks>
public static class PointCloudNormals
{
    /// <summary>Normals oriented so that n·(viewpoint − p) ≥ 0.</summary>
    public static float[] TowardsViewpoint(ReadOnlySpan<float> positions, Vector3 viewpoint, int k = 16, int threads = 0) =>
        Compute(positions, k, threads, viewpoint, towards: true);

    /// <summary>Normals oriented so that n·(p − centroid) ≥ 0 (outward for a closed object).</summary>
    public static float[] Outward(ReadOnlySpan<float> positions, int k = 16, int threads = 0)
    {
        int n = positions.Length / 3;
        double cx = 0, cy = 0, cz = 0;
        for (int i = 0; i < n; i++)
        {
            cx += positions[3 * i];
            cy += positions[3 * i + 1];
            cz += positions[3 * i + 2];
        }
        var centroid = n == 0 ? Vector3.Zero : new Vector3((float)(cx / n), (float)(cy / n), (float)(cz / n));
        return Compute(positions, k, threads, centroid, towards: false);
    }

    /// <summary>
    /// Normals oriented so that n·(viewpoint − p) ≥ 0, from the neighbour lists a caller has already: row i of
    /// <paramref name="neighbors"/> (<paramref name="rowLength"/> entries, −1 = none) holds the nearest neighbours of
    /// point i in (distance, index) order, as <see cref="KdTree.NearestAll"/> gives them, and its first
    /// <paramref name="k"/> are used — the same normals as <see cref="TowardsViewpoint(ReadOnlySpan{float}, Vector3, int, int)"/>
    /// with that k, without a second tree and search for a caller that needs the k-NN graph anyway.
    /// </summary>
    public static float[] TowardsViewpoint(ReadOnlySpan<float> positions, Vector3 viewpoint, int[] neighbors, int rowLength, int k = 16, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(neighbors);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowLength, k);
        if (neighbors.Length != positions.Length / 3 * rowLength)
            throw new ArgumentException($"neighbour lists hold {neighbors.Length} entries for {positions.Length / 3} points, expected {rowLength} per point", nameof(neighbors));
        return FromNeighbors(positions, neighbors, rowLength, k, threads, viewpoint, towards: true);
    }

    private static float[] Compute(ReadOnlySpan<float> positions, int k, int threads, Vector3 reference, bool towards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var tree = new KdTree(positions);
        var (neighbors, _) = tree.NearestAll(k, threads); // the tree's own points, in tree order: the rows of Nearest(positions, k), faster
        return FromNeighbors(positions, neighbors, k, k, threads, reference, towards);
    }

    private static float[] FromNeighbors(ReadOnlySpan<float> positions, int[] neighbors, int rowLength, int k, int threads, Vector3 reference, bool towards)
    {
        var p = positions.ToArray();
        int n = p.Length / 3;
        var normals = new float[3 * n];
        KdTree.ForEachBlock(n, threads, (from, to) =>
        {
            Span<double> cov = stackalloc double[9];
            Span<double> normal = stackalloc double[3];
            for (int i = from; i < to; i++)
            {
                var row = neighbors.AsSpan(i * rowLength, k);
                if (!Normal(p, row, cov, normal))
                    continue;
                double vx = reference.X - p[3 * i], vy = reference.Y - p[3 * i + 1], vz = reference.Z - p[3 * i + 2];
                double side = normal[0] * vx + normal[1] * vy + normal[2] * vz;
                double sign = (towards ? side < 0 : side > 0) ? -1 : 1;
                normals[3 * i] = (float)(sign * normal[0]);
                normals[3 * i + 1] = (float)(sign * normal[1]);
                normals[3 * i + 2] = (float)(sign * normal[2]);
            }
        });
        return normals;
    }

    /// <summary>The unit eigenvector of the smallest eigenvalue of the covariance of the points <paramref name="row"/>.</summary>
    internal static bool Normal(float[] p, ReadOnlySpan<int> row, Span<double> a, Span<double> normal)
    {
        double mx = 0, my = 0, mz = 0;
        int m = 0;
        foreach (int j in row)
        {
            if (j < 0)
                continue;
            mx += p[3 * j];
            my += p[3 * j + 1];
            mz += p[3 * j + 2];
            m++;
        }
        if (m == 0)
            return false;
        mx /= m;
        my /= m;
        mz /= m;
        a.Clear();
        foreach (int j in row)
        {
            if (j < 0)
                continue;
            double dx = p[3 * j] - mx, dy = p[3 * j + 1] - my, dz = p[3 * j + 2] - mz;
            a[0] += dx * dx; a[1] += dx * dy; a[2] += dx * dz;
            a[4] += dy * dy; a[5] += dy * dz; a[8] += dz * dz;
        }
        a[3] = a[1]; a[6] = a[2]; a[7] = a[5];
        if (a[0] + a[4] + a[8] == 0)
            return false;
        SmallestEigenvector(a, normal);
        return true;
    }

    /// <summary>Cyclic Jacobi on a symmetric 3 × 3 matrix (row-major, overwritten); writes the unit eigenvector of the smallest eigenvalue.</summary>
    internal static void SmallestEigenvector(Span<double> a, Span<double> result)
    {
        Span<double> v = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        for (int sweep = 0; sweep < 32; sweep++)
        {
            double off = a[1] * a[1] + a[2] * a[2] + a[5] * a[5];
            double scale = a[0] * a[0] + a[4] * a[4] + a[8] * a[8];
            if (off <= 1e-30 * scale)
                break;
            for (int pq = 0; pq < 3; pq++)
            {
                int pi = pq == 2 ? 1 : 0, qi = pq == 0 ? 1 : 2;
                double apq = a[3 * pi + qi];
                if (apq == 0)
                    continue;
                // Rotation angle that zeroes a[p, q] (Golub and Van Loan, Alg. 8.4.1).
                double theta = (a[3 * qi + qi] - a[3 * pi + pi]) / (2 * apq);
                double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                if (theta == 0)
                    t = 1;
                double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                for (int r = 0; r < 3; r++)
                {
                    double arp = a[3 * r + pi], arq = a[3 * r + qi];
                    a[3 * r + pi] = c * arp - s * arq;
                    a[3 * r + qi] = s * arp + c * arq;
                }
                for (int r = 0; r < 3; r++)
                {
                    double apr = a[3 * pi + r], aqr = a[3 * qi + r];
                    a[3 * pi + r] = c * apr - s * aqr;
                    a[3 * qi + r] = s * apr + c * aqr;
                }
                for (int r = 0; r < 3; r++)
                {
                    double vrp = v[3 * r + pi], vrq = v[3 * r + qi];
                    v[3 * r + pi] = c * vrp - s * vrq;
                    v[3 * r + qi] = s * vrp + c * vrq;
                }
            }
        }
        int best = 0;
        for (int i = 1; i < 3; i++)
        {
            if (a[4 * i] < a[4 * best])
                best = i;
        }
        double nx = v[best], ny = v[3 + best], nz = v[6 + best];
        double len = Math.Sqrt(nx * nx + ny * ny + nz * nz);
        result[0] = nx / len;
        result[1] = ny / len;
        result[2] = nz / len;
    }
}
