using System.Runtime.InteropServices;

namespace Clickscape.Geometry.Clustering;

/// <summary>The outcome of <see cref="MeanShift.Cluster"/>.</summary>
/// <param name="Centers">Kept cluster centres, <c>dims</c> values each, by decreasing intensity.</param>
/// <param name="Labels">Per point, the index of its nearest centre.</param>
/// <param name="Intensities">Per centre, the number of points within the bandwidth of its last step.</param>
/// <param name="Iterations">The most iterations any seed took (scikit-learn's <c>n_iter_</c>).</param>
public sealed record MeanShiftResult(double[] Centers, int[] Labels, int[] Intensities, int Iterations)
{
    /// <summary>Number of clusters.</summary>
    public int ClusterCount => Intensities.Length;
}

/// <summary>
/// Mean-shift clustering with a flat kernel (Comaniciu and Meer, TPAMI 2002) as scikit-learn's
/// <c>MeanShift</c> runs it (REFERENCE.md §9), the clustering ASIS, JSNet and ClickSeg run on embeddings.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Seeds: with bin seeding, one seed per bin <c>round_half_even(x / bw)</c> holding ≥ <c>minBinFreq</c>
/// points, in order of first occurrence, placed at <c>float32(bin) · float32(bw)</c> in float32 as NumPy does; if
/// every point has its own bin, the points themselves. Without bin seeding, every point.</item>
/// <item>Each seed climbs: the new mean is the mean of the points with ‖x − m‖² ≤ bw² (float64); stop when the
/// shift is &lt; 1e-3·bw or after <c>maxIter</c> steps; a seed with no point within bw is dropped. The
/// intensity is the count of the last neighbourhood. Seeds reaching the bit-identical centre count once
/// (the later seed's intensity, as a Python dict keeps it).</item>
/// <item>Centres sorted by (intensity, centre as a tuple) descending; greedily drop every centre within bw of
/// a kept one.</item>
/// <item>Labels: the nearest kept centre (ties: the first in that order).</item>
/// </list>
/// Neighbourhoods in up to three dimensions come from a hashed grid with cells of side bw (27 cells per query);
/// in more dimensions by a scan of all points. Means are summed in grid order, so the last bits of a centre
/// can differ from scikit-learn's (whose ball tree orders neighbours differently); clusters do not.
/// </remarks>
public static class MeanShift
{
    /// <summary>Clusters <paramref name="points"/> (<paramref name="dims"/> values per point).</summary>
    public static MeanShiftResult Cluster(ReadOnlySpan<float> points, int dims, double bandwidth, bool binSeeding = true,
        int minBinFreq = 1, int maxIter = 300, int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dims, 1);
        if (points.Length % dims != 0)
            throw new ArgumentException($"points hold {points.Length} values, expected a multiple of dims = {dims}", nameof(points));
        if (!(bandwidth > 0) || double.IsInfinity(bandwidth))
            throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "bandwidth must be a finite number > 0");
        ArgumentOutOfRangeException.ThrowIfNegative(maxIter);
        int n = points.Length / dims;
        if (n == 0)
            throw new ArgumentException("mean-shift needs at least one point", nameof(points));
        var x = new double[points.Length];
        for (int i = 0; i < x.Length; i++)
            x[i] = points[i];

        var seeds = binSeeding ? BinSeeds(x, dims, bandwidth, minBinFreq) : x;
        int seedCount = seeds.Length / dims;
        var neighborhoods = new Neighborhoods(x, dims, bandwidth);

        // Hill-climb every seed.
        var modes = new double[seeds.Length];
        var intensity = new int[seedCount];
        var iterations = new int[seedCount];
        double stop = 1e-3 * bandwidth;
        int workers = threads <= 0 ? Environment.ProcessorCount : threads;
        Parallel.For(0, seedCount, new ParallelOptions { MaxDegreeOfParallelism = workers },
            () => (Mean: new double[dims], Old: new double[dims]),
            (s, _, buffers) =>
            {
                var mean = buffers.Mean;
                var old = buffers.Old;
                Array.Copy(seeds, s * dims, mean, 0, dims);
                int completed = 0, within;
                while (true)
                {
                    Array.Copy(mean, old, dims);
                    within = neighborhoods.Mean(old, mean);
                    if (within == 0)
                        break;
                    double shift2 = 0;
                    for (int d = 0; d < dims; d++)
                        shift2 += (mean[d] - old[d]) * (mean[d] - old[d]);
                    if (Math.Sqrt(shift2) < stop || completed == maxIter)
                        break;
                    completed++;
                }
                Array.Copy(within == 0 ? old : mean, 0, modes, s * dims, dims);
                intensity[s] = within;
                iterations[s] = completed;
                return buffers;
            },
            _ => { });

        // Distinct modes (bit-identical ones once, the later seed's intensity), sorted by (intensity, tuple) desc.
        var byMode = new Dictionary<ModeKey, int>();
        var order = new List<int>();
        for (int s = 0; s < seedCount; s++)
        {
            if (intensity[s] == 0)
                continue;
            var key = new ModeKey(modes, s * dims, dims);
            if (byMode.TryGetValue(key, out int first))
            {
                intensity[first] = intensity[s];
            }
            else
            {
                byMode[key] = s;
                order.Add(s);
            }
        }
        if (order.Count == 0)
            throw new InvalidOperationException($"mean-shift: no seed has a point within bandwidth {bandwidth}");
        order.Sort((a, b) =>
        {
            if (intensity[a] != intensity[b])
                return intensity[b].CompareTo(intensity[a]);
            for (int d = 0; d < dims; d++)
            {
                int c = modes[b * dims + d].CompareTo(modes[a * dims + d]);
                if (c != 0)
                    return c;
            }
            return 0;
        });

        // Greedy de-duplication: keep a centre unless it is within bw of a kept one.
        double bw2 = bandwidth * bandwidth;
        var kept = new List<int>();
        foreach (int s in order)
        {
            bool unique = true;
            foreach (int k in kept)
            {
                if (Distance2(modes, s * dims, modes, k * dims, dims) <= bw2)
                {
                    unique = false;
                    break;
                }
            }
            if (unique)
                kept.Add(s);
        }
        var centers = new double[kept.Count * dims];
        var intensities = new int[kept.Count];
        for (int c = 0; c < kept.Count; c++)
        {
            Array.Copy(modes, kept[c] * dims, centers, c * dims, dims);
            intensities[c] = intensity[kept[c]];
        }

        // Labels: nearest kept centre.
        var labels = new int[n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
        {
            int best = 0;
            double bestD = double.PositiveInfinity;
            for (int c = 0; c < kept.Count; c++)
            {
                double d = Distance2(x, i * dims, centers, c * dims, dims);
                if (d < bestD)
                {
                    bestD = d;
                    best = c;
                }
            }
            labels[i] = best;
        });
        return new MeanShiftResult(centers, labels, intensities, iterations.Max());
    }

    /// <summary>scikit-learn's <c>get_bin_seeds</c> (NumPy 1.x float32 seeds).</summary>
    internal static double[] BinSeeds(double[] x, int dims, double bandwidth, int minBinFreq)
    {
        int n = x.Length / dims;
        var counts = new Dictionary<ModeKey, int>();
        var bins = new double[x.Length];
        var firstSeen = new List<int>();
        for (int i = 0; i < n; i++)
        {
            for (int d = 0; d < dims; d++)
                bins[i * dims + d] = Math.Round(x[i * dims + d] / bandwidth, MidpointRounding.ToEven) + 0.0; // −0 → +0
            var key = new ModeKey(bins, i * dims, dims);
            ref int count = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out bool exists);
            if (!exists)
                firstSeen.Add(i);
            count++;
        }
        var kept = firstSeen.Where(i => counts[new ModeKey(bins, i * dims, dims)] >= minBinFreq).ToList();
        if (kept.Count == n)
            return x; // every point is its own bin: scikit-learn seeds with the points themselves
        float bw32 = (float)bandwidth;
        var seeds = new double[kept.Count * dims];
        for (int s = 0; s < kept.Count; s++)
        {
            for (int d = 0; d < dims; d++)
                seeds[s * dims + d] = (float)bins[kept[s] * dims + d] * bw32;
        }
        return seeds;
    }

    private static double Distance2(double[] a, int ao, double[] b, int bo, int dims)
    {
        double sum = 0;
        for (int d = 0; d < dims; d++)
        {
            double t = a[ao + d] - b[bo + d];
            sum += t * t;
        }
        return sum;
    }

    /// <summary>A slice of a double array compared by value (a Python tuple as a dict key).</summary>
    private readonly struct ModeKey(double[] values, int offset, int length) : IEquatable<ModeKey>
    {
        public bool Equals(ModeKey other) =>
            values.AsSpan(offset, length).SequenceEqual(other.Values.AsSpan(other.Offset, other.Length));

        private double[] Values => values;

        private int Offset => offset;

        private int Length => length;

        public override bool Equals(object? obj) => obj is ModeKey k && Equals(k);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            for (int i = 0; i < length; i++)
                hash.Add(values[offset + i]);
            return hash.ToHashCode();
        }
    }

    /// <summary>Flat-kernel neighbourhood means: a hashed grid of side bw for up to 3 dimensions, else a scan.</summary>
    private sealed class Neighborhoods
    {
        private readonly double[] _x;
        private readonly int _dims;
        private readonly double _bw2;
        private readonly double _inverseCell;
        private readonly double[]? _sorted;     // points grouped by cell
        private readonly Dictionary<long, (int Start, int End)>? _cells;

        public Neighborhoods(double[] x, int dims, double bandwidth)
        {
            _x = x;
            _dims = dims;
            _bw2 = bandwidth * bandwidth;
            if (dims > 3)
                return;
            // Cells slightly wider than bw so rounding in x / cell never pushes a neighbour two cells away.
            _inverseCell = 1.0 / (bandwidth * (1 + 1e-9));
            int n = x.Length / dims;
            var keys = new long[n];
            var counts = new Dictionary<long, int>();
            for (int i = 0; i < n; i++)
            {
                keys[i] = Key(x.AsSpan(i * dims, dims), 0, 0, 0);
                counts[keys[i]] = counts.GetValueOrDefault(keys[i]) + 1;
            }
            _cells = [];
            int offset = 0;
            foreach (var (key, count) in counts)
            {
                _cells[key] = (offset, offset);
                offset += count;
            }
            _sorted = new double[x.Length];
            for (int i = 0; i < n; i++)
            {
                var (start, end) = _cells[keys[i]];
                Array.Copy(x, i * dims, _sorted, end * dims, dims);
                _cells[keys[i]] = (start, end + 1);
            }
        }

        private long Key(ReadOnlySpan<double> p, int di, int dj, int dk)
        {
            long a = (long)Math.Floor(p[0] * _inverseCell) + di;
            long b = _dims > 1 ? (long)Math.Floor(p[1] * _inverseCell) + dj : 0;
            long c = _dims > 2 ? (long)Math.Floor(p[2] * _inverseCell) + dk : 0;
            return ((a & 0x1F_FFFF) << 42) | ((b & 0x1F_FFFF) << 21) | (c & 0x1F_FFFF);
        }

        /// <summary>Writes the mean of the points within bw of <paramref name="at"/> to <paramref name="mean"/>; returns their count.</summary>
        public int Mean(double[] at, double[] mean)
        {
            Array.Clear(mean);
            int count = 0;
            if (_cells is null)
            {
                count = Accumulate(_x, 0, _x.Length / _dims, at, mean);
            }
            else
            {
                int rj = _dims > 1 ? 1 : 0, rk = _dims > 2 ? 1 : 0;
                for (int i = -1; i <= 1; i++)
                {
                    for (int j = -rj; j <= rj; j++)
                    {
                        for (int k = -rk; k <= rk; k++)
                        {
                            if (_cells.TryGetValue(Key(at, i, j, k), out var run))
                                count += Accumulate(_sorted!, run.Start, run.End, at, mean);
                        }
                    }
                }
            }
            if (count > 0)
            {
                for (int d = 0; d < _dims; d++)
                    mean[d] /= count;
            }
            return count;
        }

        private int Accumulate(double[] x, int start, int end, double[] at, double[] sum)
        {
            int dims = _dims, count = 0;
            for (int i = start; i < end; i++)
            {
                if (Distance2(x, i * dims, at, 0, dims) <= _bw2)
                {
                    for (int d = 0; d < dims; d++)
                        sum[d] += x[i * dims + d];
                    count++;
                }
            }
            return count;
        }
    }
}
