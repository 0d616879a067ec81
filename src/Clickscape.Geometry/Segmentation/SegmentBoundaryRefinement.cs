using System.Numerics;
using Clickscape.Geometry.Neighbors;

namespace Clickscape.Geometry.Segmentation;

/// <summary>
/// Moves the points along segment borders to the neighbouring segment whose normal and colour model fits them better:
/// iterated conditional modes (Besag, "On the statistical analysis of dirty pictures", J. R. Stat. Soc. B 1986) on a
/// Potts model over the kNN graph, with each segment's mean normal and mean colour as its class model.
/// </summary>
/// <remarks>
/// A point i whose k nearest neighbours are not all in its own segment may take the label s of its own or of any
/// neighbour's segment that minimises
/// E_i(s) = (1 − n_i·N̄_s/|N̄_s|) + w_c·|c_i − C̄_s|/(255√3) − λ·(neighbours of i in s)/k,
/// where N̄_s and C̄_s are the sums of the PCA normals and the mean RGB of segment s's points (Felzenszwalb joins points
/// one edge at a time, so a point at a rounded contact can end in the segment it resembles less than its neighbour's).
/// It moves only when another segment's energy is strictly lower. Each pass computes the models and all labels
/// from the previous pass (a synchronous sweep, where Besag's ICM visits points one at a time); segment ids are kept,
/// so a segment may shrink to nothing.
/// </remarks>
public static class SegmentBoundaryRefinement
{
    /// <summary>Refines <paramref name="segments"/> in place.</summary>
    /// <param name="positions">x, y, z per point.</param>
    /// <param name="colors">r, g, b per point (0–255), or empty (no colour term).</param>
    /// <param name="normals">unit nx, ny, nz per point.</param>
    /// <param name="segments">segment id per point, updated in place.</param>
    /// <param name="passes">Sweeps over the points (0 = none).</param>
    /// <param name="colorWeight">w_c.</param>
    /// <param name="neighborWeight">λ, the weight of the share of neighbours in the segment.</param>
    /// <param name="neighbors">k.</param>
    /// <param name="threads">Threads for the neighbour search, 0 = all cores.</param>
    public static void Refine(ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors, float[] normals, int[] segments,
        int passes = 2, float colorWeight = 2f, float neighborWeight = 0.3f, int neighbors = 12, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(normals);
        ArgumentNullException.ThrowIfNull(segments);
        int n = SegmentationInput.Validate(positions, colors, normals);
        if (segments.Length != n)
            throw new ArgumentException($"{segments.Length} segment ids for {n} points, expected one per point", nameof(segments));
        ArgumentOutOfRangeException.ThrowIfNegative(passes);
        ArgumentOutOfRangeException.ThrowIfLessThan(neighbors, 1);
        if (passes == 0 || n < 2)
            return;
        int k = Math.Min(neighbors + 1, n); // the point itself comes first
        var (nb, _) = new KdTree(positions).NearestAll(k, threads);
        bool hasColor = !colors.IsEmpty && colorWeight != 0;
        float colorScale = hasColor ? colorWeight / (255f * MathF.Sqrt(3)) : 0;
        float voteScale = neighborWeight / (k - 1);
        var next = new int[n];
        var model = new Dictionary<int, int>();
        var sums = new List<(Vector3 Normal, Vector3 Color, int Count)>();
        Span<int> candidates = stackalloc int[k];
        Span<int> votes = stackalloc int[k];
        for (int pass = 0; pass < passes; pass++)
        {
            // Models of the previous pass's segments.
            model.Clear();
            sums.Clear();
            for (int i = 0; i < n; i++)
            {
                if (!model.TryGetValue(segments[i], out int slot))
                {
                    model[segments[i]] = slot = sums.Count;
                    sums.Add((Vector3.Zero, Vector3.Zero, 0));
                }
                var s = sums[slot];
                var color = hasColor ? new Vector3(colors[3 * i], colors[3 * i + 1], colors[3 * i + 2]) : Vector3.Zero;
                sums[slot] = (s.Normal + Read(normals, i), s.Color + color, s.Count + 1);
            }

            int moved = 0;
            for (int i = 0; i < n; i++)
            {
                int own = segments[i];
                next[i] = own;
                int m = 0;
                bool foreign = false;
                candidates[m] = own;
                votes[m++] = 0;
                for (int t = 0; t < k; t++)
                {
                    int j = nb[i * k + t];
                    if (j < 0 || j == i)
                        continue;
                    int c = segments[j];
                    foreign |= c != own;
                    int at = candidates[..m].IndexOf(c);
                    if (at < 0)
                    {
                        at = m++;
                        candidates[at] = c;
                        votes[at] = 0;
                    }
                    votes[at]++;
                }
                if (!foreign)
                    continue;
                var ni = Read(normals, i);
                var ci = hasColor ? new Vector3(colors[3 * i], colors[3 * i + 1], colors[3 * i + 2]) : Vector3.Zero;
                int best = own;
                float bestEnergy = float.PositiveInfinity;
                for (int c = 0; c < m; c++)
                {
                    var s = sums[model[candidates[c]]];
                    float length = s.Normal.Length();
                    float energy = 1 - (length > 0 ? Vector3.Dot(ni, s.Normal) / length : 0) - voteScale * votes[c];
                    if (hasColor)
                        energy += colorScale * Vector3.Distance(ci, s.Color / s.Count);
                    if (energy < bestEnergy) // own segment first: a tie keeps it
                    {
                        bestEnergy = energy;
                        best = candidates[c];
                    }
                }
                if (best != own)
                {
                    next[i] = best;
                    moved++;
                }
            }
            Array.Copy(next, segments, n);
            if (moved == 0)
                break;
        }
    }

    private static Vector3 Read(float[] a, int i) => new(a[3 * i], a[3 * i + 1], a[3 * i + 2]);
}
