using System.Numerics;
using System.Runtime.Intrinsics;

namespace Clickscape.Geometry.Clustering;

/// <summary>How similar a point is to a cluster centre (larger = more similar), over per-point feature vectors.</summary>
public interface IClusterSimilarity
{
    /// <summary>The similarity of <paramref name="point"/> to <paramref name="centre"/> (same length).</summary>
    float Similarity(ReadOnlySpan<float> point, ReadOnlySpan<float> centre);
}

/// <summary>Why <see cref="SeededKMeans"/> stopped.</summary>
public enum KMeansStop
{
    /// <summary>Assignments stopped changing, or the centres moved less than the tolerance.</summary>
    Converged,

    /// <summary>The iteration limit was reached.</summary>
    MaxIterations,

    /// <summary>The next step would have moved an annotated point out of its own cluster (ClickSeg's stopping rule).</summary>
    AnnotatedPointWouldMove,
}

/// <summary>The outcome of <see cref="SeededKMeans"/>.</summary>
/// <param name="Labels">Per point, the cluster index (= index into the seeds).</param>
/// <param name="Centers">Cluster centres, <c>dims</c> values each.</param>
/// <param name="Iterations">Assignment steps taken.</param>
/// <param name="Stop">Why it stopped.</param>
public sealed record KMeansResult(int[] Labels, float[] Centers, int Iterations, KMeansStop Stop);

/// <summary>
/// k-means with fixed initial seeds, the annotated (clicked) points, as ClickSeg generates pseudo instance
/// labels (ClickSeg §3.1, Eq. 5): each point joins the most similar centre, centres become the mean feature of
/// their members, and since every cluster must keep exactly its own annotated point, the iteration stops — keeping
/// the last valid assignment — when a step would move an annotated point to another cluster.
/// </summary>
/// <remarks>
/// Lloyd iterations as scikit-learn runs them (<c>algorithm="lloyd"</c>, given init): stop when the assignment
/// repeats, or when the summed squared centre shift is ≤ <c>tol</c> × the mean per-feature variance (then one
/// last assignment to the final centres), or after <c>maxIter</c> steps. Ties go to the lower cluster index; at
/// the first step an annotated point tied with another seed (duplicate clicks) is pinned to its own cluster.
/// Cluster sums are float64 over fixed blocks of points reduced in block order, so results do not depend on the
/// thread count. The Euclidean overload computes distances to all centres at once with SIMD across centres.
/// </remarks>
public static class SeededKMeans
{
    private const int Block = 4096;

    /// <summary>Euclidean k-means (similarity = −‖x − c‖²) seeded at the points <paramref name="seeds"/>.</summary>
    /// <param name="features">dims values per point.</param>
    /// <param name="dims">Feature length.</param>
    /// <param name="seeds">The annotated point of each cluster.</param>
    /// <param name="maxIter">Iteration limit.</param>
    /// <param name="tol">Relative centre-shift tolerance (× mean feature variance), scikit-learn's default 1e-4.</param>
    /// <param name="threads">0 = all cores.</param>
    /// <param name="keepAnnotatedPoints">ClickSeg's rule (default); false runs plain Lloyd from the seeds, as scikit-learn's KMeans(init=…).</param>
    public static KMeansResult Cluster(ReadOnlySpan<float> features, int dims, ReadOnlySpan<int> seeds,
        int maxIter = 300, double tol = 1e-4, int threads = 0, bool keepAnnotatedPoints = true) =>
        Run(features, dims, seeds, new EuclideanAssigner(), maxIter, tol, threads, keepAnnotatedPoints);

    /// <summary>k-means with a caller-supplied similarity (e.g. <see cref="ClickSegSimilarity"/>) seeded at <paramref name="seeds"/>.</summary>
    /// <param name="fixedLabels">Empty, or per point a cluster index the point always belongs to (it still moves that cluster's
    /// centre), −1 for a free point: ClickSeg's seg-level labelled points, whose instance is known (§3.1: pseudo labels are
    /// generated "for all unlabeled points"). An annotated point's fixed label must be its own cluster.</param>
    public static KMeansResult Cluster<TSimilarity>(ReadOnlySpan<float> features, int dims, ReadOnlySpan<int> seeds,
        TSimilarity similarity, int maxIter = 300, double tol = 1e-4, int threads = 0, ReadOnlySpan<int> fixedLabels = default)
        where TSimilarity : IClusterSimilarity =>
        Run(features, dims, seeds, new SimilarityAssigner<TSimilarity>(similarity), maxIter, tol, threads, keepAnnotatedPoints: true, fixedLabels);

    private interface IAssigner
    {
        void Prepare(float[] centers, int k, int dims);

        int Assign(float[] x, int offset, float[] centers, int k, int dims);

        void AssignBlock(float[] x, int start, int end, float[] centers, int k, int dims, int[] into);
    }

    private static KMeansResult Run<TAssigner>(ReadOnlySpan<float> features, int dims, ReadOnlySpan<int> seeds,
        TAssigner assigner, int maxIter, double tol, int threads, bool keepAnnotatedPoints, ReadOnlySpan<int> fixedLabels = default) where TAssigner : IAssigner
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dims, 1);
        if (features.Length % dims != 0)
            throw new ArgumentException($"features hold {features.Length} values, expected a multiple of dims = {dims}", nameof(features));
        int n = features.Length / dims, k = seeds.Length;
        if (k == 0)
            throw new ArgumentException("seeded k-means needs at least one seed (annotated point)", nameof(seeds));
        for (int j = 0; j < k; j++)
        {
            if ((uint)seeds[j] >= (uint)n)
                throw new ArgumentException($"seed {j} is point {seeds[j]}, expected 0..{n - 1}", nameof(seeds));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(maxIter);
        if (!fixedLabels.IsEmpty && fixedLabels.Length != n)
            throw new ArgumentException($"fixed labels hold {fixedLabels.Length} values, expected one per point ({n})", nameof(fixedLabels));
        foreach (int l in fixedLabels)
        {
            if (l < -1 || l >= k)
                throw new ArgumentException($"fixed label {l}, expected −1 (free) or a cluster 0..{k - 1}", nameof(fixedLabels));
        }
        for (int j = 0; j < k && !fixedLabels.IsEmpty; j++)
        {
            if (fixedLabels[seeds[j]] is int l && l != -1 && l != j)
                throw new ArgumentException($"seed {j} (point {seeds[j]}) is fixed to cluster {l}, expected its own cluster", nameof(fixedLabels));
        }
        var x = features.ToArray();
        var seed = seeds.ToArray();
        var pinned = fixedLabels.ToArray();
        var centers = new float[k * dims];
        for (int j = 0; j < k; j++)
            Array.Copy(x, seed[j] * dims, centers, j * dims, dims);
        double threshold = tol * MeanVariance(x, n, dims);

        int blocks = (n + Block - 1) / Block;
        var partial = new double[blocks * k * (dims + 1)];
        var labels = new int[n];
        var previous = new int[n];
        var sums = new double[k * (dims + 1)];
        int workers = threads <= 0 ? Environment.ProcessorCount : threads;
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers };

        void Assign(int[] into)
        {
            assigner.Prepare(centers, k, dims);
            Parallel.For(0, blocks, options, b =>
            {
                int start = b * Block, end = Math.Min(n, (b + 1) * Block);
                assigner.AssignBlock(x, start, end, centers, k, dims, into);
                for (int i = start; i < end && pinned.Length != 0; i++)
                {
                    if (pinned[i] >= 0)
                        into[i] = pinned[i];
                }
            });
        }

        bool AnnotatedPointsStay(int[] l)
        {
            if (!keepAnnotatedPoints)
                return true;
            for (int j = 0; j < k; j++)
            {
                if (l[seed[j]] != j)
                    return false;
            }
            return true;
        }

        int iteration = 0;
        var stop = KMeansStop.MaxIterations;
        while (iteration < maxIter)
        {
            Assign(labels);
            if (!AnnotatedPointsStay(labels))
            {
                if (iteration > 0)
                {
                    stop = KMeansStop.AnnotatedPointWouldMove; // previous holds the last valid assignment
                    break;
                }
                for (int j = 0; j < k; j++)
                    labels[seed[j]] = j; // duplicate clicks tie with each other: pin them
            }
            iteration++;
            bool same = iteration > 1 && labels.AsSpan().SequenceEqual(previous);

            // Means per cluster: float64 partial sums per fixed block, reduced in block order.
            Array.Clear(partial);
            Parallel.For(0, blocks, options, b =>
            {
                int end = Math.Min(n, (b + 1) * Block);
                int o = b * k * (dims + 1);
                for (int i = b * Block; i < end; i++)
                {
                    int c = o + labels[i] * (dims + 1);
                    for (int d = 0; d < dims; d++)
                        partial[c + d] += x[i * dims + d];
                    partial[c + dims] += 1;
                }
            });
            Array.Clear(sums);
            for (int b = 0; b < blocks; b++)
            {
                for (int t = 0; t < sums.Length; t++)
                    sums[t] += partial[b * sums.Length + t];
            }
            double shift = 0;
            for (int j = 0; j < k; j++)
            {
                double count = sums[j * (dims + 1) + dims]; // ≥ 1 with the annotated point kept
                if (count == 0)
                    continue; // plain Lloyd: an empty cluster keeps its centre
                for (int d = 0; d < dims; d++)
                {
                    float c = (float)(sums[j * (dims + 1) + d] / count);
                    double delta = c - centers[j * dims + d];
                    shift += delta * delta;
                    centers[j * dims + d] = c;
                }
            }
            (labels, previous) = (previous, labels);
            if (same)
            {
                stop = KMeansStop.Converged;
                break;
            }
            if (shift <= threshold)
            {
                // One last assignment to the final centres, unless it would move an annotated point.
                Assign(labels);
                if (AnnotatedPointsStay(labels))
                    (labels, previous) = (previous, labels);
                stop = KMeansStop.Converged;
                break;
            }
        }
        return new KMeansResult(iteration == 0 ? InitialLabels() : previous, centers, iteration, stop);

        int[] InitialLabels()
        {
            Assign(labels);
            for (int j = 0; j < k && keepAnnotatedPoints; j++)
                labels[seed[j]] = j;
            return labels;
        }
    }

    // Mean over features of the population variance (scikit-learn's tolerance scale); two row-order passes.
    private static double MeanVariance(float[] x, int n, int dims)
    {
        if (n == 0)
            return 0;
        var mean = new double[dims];
        for (int i = 0; i < n; i++)
        {
            for (int d = 0; d < dims; d++)
                mean[d] += x[i * dims + d];
        }
        for (int d = 0; d < dims; d++)
            mean[d] /= n;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            for (int d = 0; d < dims; d++)
            {
                double t = x[i * dims + d] - mean[d];
                total += t * t;
            }
        }
        return total / n / dims;
    }

    private readonly struct SimilarityAssigner<TSimilarity>(TSimilarity similarity) : IAssigner
        where TSimilarity : IClusterSimilarity
    {
        public void Prepare(float[] centers, int k, int dims)
        {
        }

        public void AssignBlock(float[] x, int start, int end, float[] centers, int k, int dims, int[] into)
        {
            for (int i = start; i < end; i++)
                into[i] = Assign(x, i * dims, centers, k, dims);
        }

        public int Assign(float[] x, int offset, float[] centers, int k, int dims)
        {
            var point = x.AsSpan(offset, dims);
            int best = 0;
            float bestS = float.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                float s = similarity.Similarity(point, centers.AsSpan(c * dims, dims));
                if (s > bestS)
                {
                    bestS = s;
                    best = c;
                }
            }
            return best;
        }
    }

    /// <summary>
    /// Squared distances to all centres at once: the centres are transposed to dims × K (K padded to whole
    /// vectors), so for each feature d one vector op updates a vector's worth of centres:
    /// dist[c] += (x_d − C[d, c])², as a fused multiply-add. 512-bit vectors (16 centres) when the CPU has
    /// AVX-512, else Vector&lt;float&gt;. Scalar equivalent: Σ_d (x_d − C[c, d])² per centre, summed in d order.
    /// </summary>
    private sealed class EuclideanAssigner : IAssigner
    {
        private static float MinAcross(Vector256<float> v)
        {
            var m = Vector128.Min(v.GetLower(), v.GetUpper());
            m = Vector128.Min(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
            m = Vector128.Min(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
            return m.ToScalar();
        }

        private static int MinAcross(Vector256<int> v)
        {
            var m = Vector128.Min(v.GetLower(), v.GetUpper());
            m = Vector128.Min(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
            m = Vector128.Min(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
            return m.ToScalar();
        }

        private static readonly int Width = Vector512.IsHardwareAccelerated ? Vector512<float>.Count : Vector<float>.Count;
        private float[] _transposed = [];
        private int _padded;

        public void Prepare(float[] centers, int k, int dims)
        {
            _padded = (k + Width - 1) / Width * Width;
            if (_transposed.Length != _padded * dims)
                _transposed = new float[_padded * dims];
            // Padding lanes hold far-away centres so they never win.
            Array.Fill(_transposed, float.MaxValue);
            for (int c = 0; c < k; c++)
            {
                for (int d = 0; d < dims; d++)
                    _transposed[d * _padded + c] = centers[c * dims + d];
            }
        }

        public void AssignBlock(float[] x, int start, int end, float[] centers, int k, int dims, int[] into)
        {
            for (int i = start; i < end; i++)
                into[i] = Assign(x, i * dims, centers, k, dims);
        }

        public int Assign(float[] x, int offset, float[] centers, int k, int dims)
        {
            var t = _transposed;
            if (Vector512.IsHardwareAccelerated)
            {
                // Keep the best (distance, centre) seen so far per lane; lanes cover centres v + lane. A strict
                // "less than" keeps the lower centre index on ties, as the scalar scan does.
                var bestDist = Vector512.Create(float.PositiveInfinity);
                var bestCentre = Vector512<int>.Zero;
                var lane = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
                for (int v = 0; v < _padded; v += Vector512<float>.Count)
                {
                    var acc = Vector512<float>.Zero;
                    for (int d = 0; d < dims; d++)
                    {
                        var diff = Vector512.Create(x[offset + d]) - Vector512.Create(t, d * _padded + v);
                        acc = Vector512.FusedMultiplyAdd(diff, diff, acc);
                    }
                    var better = Vector512.LessThan(acc, bestDist);
                    bestDist = Vector512.ConditionalSelect(better, acc, bestDist);
                    bestCentre = Vector512.ConditionalSelect(better.AsInt32(), lane + Vector512.Create(v), bestCentre);
                }
                // Across lanes: the smallest distance, then the smallest centre index holding it.
                float min = MinAcross(Vector256.Min(bestDist.GetLower(), bestDist.GetUpper()));
                var atMin = Vector512.Equals(bestDist, Vector512.Create(min)).AsInt32();
                var candidates = Vector512.ConditionalSelect(atMin, bestCentre, Vector512.Create(int.MaxValue));
                return MinAcross(Vector256.Min(candidates.GetLower(), candidates.GetUpper()));
            }
            Span<float> dist = stackalloc float[_padded];
            for (int v = 0; v < _padded; v += Vector<float>.Count)
            {
                var acc = Vector<float>.Zero;
                for (int d = 0; d < dims; d++)
                {
                    var diff = new Vector<float>(x[offset + d]) - new Vector<float>(t, d * _padded + v);
                    acc = Vector.FusedMultiplyAdd(diff, diff, acc);
                }
                acc.CopyTo(dist[v..]);
            }
            int best = 0;
            float bestD = dist[0];
            for (int c = 1; c < k; c++)
            {
                if (dist[c] < bestD)
                {
                    bestD = dist[c];
                    best = c;
                }
            }
            return best;
        }
    }
}
