using Clickscape.Tensors.Kernels;
using Clickscape.Tensors.Sparse;
using Clickscape.Tensors.Tests.Sparse;
using FsCheck;
using FsCheck.Fluent;

namespace Clickscape.Tensors.Tests.Properties;

/// <summary>
/// Property tests (FsCheck) of the engine's kernels over generated shapes and voxel sets: the GEMM against a
/// naive double loop, the kernel map's symmetry and partition laws, sparse convolution's adjoint identity, and
/// the voxelizer's invariants. Each runs with a fixed seed, so a failure replays identically (FsCheck prints the
/// shrunk counterexample).
/// </summary>
[Collection("ComputeThreads")]
public sealed class EngineProperties
{
    private static Config Seeded(ulong seed, int tests) =>
        Config.QuickThrowOnFailure.WithMaxTest(tests).WithReplay(new Replay(new Rnd(seed), null));

    private static float[] Values(System.Random rng, int n)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }

    /// <summary>One GEMM problem: transposes, sizes (0 and odd sizes included), α, β, padding of the leading dimensions.</summary>
    private sealed record GemmCase(bool TA, bool TB, int M, int N, int K, float Alpha, float Beta, int Pad, int Seed);

    private static readonly Gen<GemmCase> GemmCases =
        from ta in Gen.Elements(false, true)
        from tb in Gen.Elements(false, true)
        from m in Gen.Choose(0, 40)
        from n in Gen.Choose(0, 40)
        from k in Gen.Choose(0, 40)
        from alpha in Gen.Elements(1f, -0.5f, 2f)
        from beta in Gen.Elements(0f, 1f, 0.5f)
        from pad in Gen.Choose(0, 3)
        from seed in Gen.Choose(0, 1 << 20)
        select new GemmCase(ta, tb, m, n, k, alpha, beta, pad, seed);

    [Fact]
    public void GemmMatchesTheNaiveTripleLoop() =>
        Check.One(Seeded(101, 150), Prop.ForAll(GemmCases.ToArbitrary(), c =>
        {
            var rng = new System.Random(c.Seed);
            int aRows = c.TA ? c.K : c.M, aCols = c.TA ? c.M : c.K, bRows = c.TB ? c.N : c.K, bCols = c.TB ? c.K : c.N;
            int lda = aCols + c.Pad, ldb = bCols + c.Pad, ldc = c.N + c.Pad;
            var a = Values(rng, aRows * lda);
            var b = Values(rng, bRows * ldb);
            var cm = Values(rng, c.M * ldc);
            var expected = (float[])cm.Clone();
            Gemm.Multiply(c.TA, c.TB, c.M, c.N, c.K, c.Alpha, a, lda, b, ldb, c.Beta, cm, ldc);
            for (int i = 0; i < c.M; i++)
                for (int j = 0; j < c.N; j++)
                {
                    double s = 0;
                    for (int p = 0; p < c.K; p++) s += (double)(c.TA ? a[p * lda + i] : a[i * lda + p]) * (c.TB ? b[j * ldb + p] : b[p * ldb + j]);
                    double want = c.Alpha * s + (c.Beta == 0 ? 0 : c.Beta * (double)expected[i * ldc + j]);
                    if (Math.Abs(cm[i * ldc + j] - want) > 1e-5 * (1 + c.K)) return false;
                }
            // Padding columns of C are never written.
            for (int i = 0; i < c.M; i++)
                for (int j = c.N; j < ldc; j++)
                    if (cm[i * ldc + j] != expected[i * ldc + j]) return false;
            return true;
        }));

    [Fact]
    public void GatheredGemmIsTheGemmOfTheGatheredMatricesBitForBit() =>
        Check.One(Seeded(106, 150), Prop.ForAll(GemmCases.ToArbitrary(), c =>
        {
            // Stored rows of A and B picked (with repeats) from larger buffers; the result must equal Multiply on
            // the explicitly gathered matrices exactly — the index only changes where packing reads.
            var rng = new System.Random(c.Seed);
            int aStored = c.TA ? c.K : c.M, aCols = c.TA ? c.M : c.K, bStored = c.TB ? c.N : c.K, bCols = c.TB ? c.K : c.N;
            int lda = aCols + c.Pad, ldb = bCols + c.Pad, ldc = c.N + c.Pad;
            int aPool = aStored + 5, bPool = bStored + 5;
            var a = Values(rng, aPool * lda);
            var b = Values(rng, bPool * ldb);
            var aRows = Enumerable.Range(0, aStored).Select(_ => rng.Next(aPool)).ToArray();
            var bRows = Enumerable.Range(0, bStored).Select(_ => rng.Next(bPool)).ToArray();
            var aGathered = aRows.SelectMany(r => a.AsSpan(r * lda, lda).ToArray()).ToArray();
            var bGathered = bRows.SelectMany(r => b.AsSpan(r * ldb, ldb).ToArray()).ToArray();
            var c0 = Values(rng, Math.Max(1, c.M * ldc));
            var expected = (float[])c0.Clone();
            var actual = (float[])c0.Clone();
            var onlyA = (float[])c0.Clone();
            Gemm.Multiply(c.TA, c.TB, c.M, c.N, c.K, c.Alpha, aGathered, lda, bGathered, ldb, c.Beta, expected, ldc);
            Gemm.MultiplyGathered(c.TA, c.TB, c.M, c.N, c.K, c.Alpha, a, lda, aRows, b, ldb, bRows, c.Beta, actual, ldc);
            Gemm.MultiplyGathered(c.TA, c.TB, c.M, c.N, c.K, c.Alpha, a, lda, aRows, bGathered, ldb, [], c.Beta, onlyA, ldc);
            return expected.SequenceEqual(actual) && expected.SequenceEqual(onlyA);
        }));

    [Fact]
    public void GatheredGemmRejectsIndicesOutsideTheBuffer()
    {
        var a = new float[4 * 3];
        var b = new float[3 * 2];
        var c = new float[2 * 2];
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MultiplyGathered(false, false, 2, 2, 3, 1f, a, 3, [0, 4], b, 2, [], 0f, c, 2));
        Assert.Throws<ArgumentException>(() => Gemm.MultiplyGathered(false, false, 2, 2, 3, 1f, a, 3, [0], b, 2, [], 0f, c, 2));
    }

    /// <summary>A random voxel set and a kernel: (count, extent, batches, kernel, dilation, seed).</summary>
    private static readonly Gen<(int Count, int Batches, int Kernel, int Dilation, int Seed)> Submanifolds =
        from count in Gen.Choose(1, 80)
        from batches in Gen.Choose(1, 2)
        from kernel in Gen.Elements(1, 3, 5)
        from dilation in Gen.Elements(1, 2)
        from seed in Gen.Choose(0, 1 << 20)
        select (count, batches, kernel, dilation, seed);

    [Fact]
    public void SubmanifoldMapIsSymmetricAndHasTheIdentity() =>
        Check.One(Seeded(102, 80), Prop.ForAll(Submanifolds.ToArbitrary(), c =>
        {
            var coords = RandomVoxels.Create(c.Count, 6, c.Seed, batches: c.Batches);
            var map = coords.GetKernelMap(c.Kernel, 1, c.Dilation);
            var pairs = new HashSet<(int K, int In, int Out)>();
            for (int k = 0; k < map.Volume; k++)
                for (int j = map.OffsetStart[k]; j < map.OffsetStart[k + 1]; j++) pairs.Add((k, map.InputRows[j], map.OutputRows[j]));
            // Offset d pairs (i, o) exactly when offset −d pairs (o, i): offsets are numbered so that −d_k = d_(K³−1−k).
            foreach (var (k, i, o) in pairs)
                if (!pairs.Contains((map.Volume - 1 - k, o, i))) return false;
            // The centre offset pairs every voxel with itself and nothing else.
            int centre = map.IdentityOffset;
            var identity = pairs.Where(p => p.K == centre).ToList();
            return identity.Count == coords.Count && identity.All(p => p.In == p.Out);
        }));

    [Fact]
    public void StrideEqualToKernelPartitionsTheFineVoxels() =>
        Check.One(Seeded(103, 80), Prop.ForAll(Submanifolds.ToArbitrary(), c =>
        {
            var fine = RandomVoxels.Create(c.Count, 7, c.Seed, batches: c.Batches);
            var map = fine.GetKernelMap(2, 2);
            // Kernel 2, stride 2: every fine voxel lies in exactly one coarse voxel's window, at the offset of its
            // position inside the 2×2×2 cell; the coarse set is exactly the occupied cells.
            var seen = new int[fine.Count];
            for (int k = 0; k < map.Volume; k++)
                for (int j = map.OffsetStart[k]; j < map.OffsetStart[k + 1]; j++)
                {
                    int i = map.InputRows[j], o = map.OutputRows[j];
                    seen[i]++;
                    var f = fine[i];
                    var q = map.Output[o];
                    var (dx, dy, dz) = map.Offset(k);
                    if (f.Batch != q.Batch || f.X != 2 * q.X + dx || f.Y != 2 * q.Y + dy || f.Z != 2 * q.Z + dz) return false;
                }
            var cells = Enumerable.Range(0, fine.Count).Select(r => fine[r]).Select(v => (v.Batch, FloorDiv(v.X), FloorDiv(v.Y), FloorDiv(v.Z))).Distinct().Count();
            return seen.All(s => s == 1) && cells == map.Output.Count;
        }));

    private static int FloorDiv(int v) => (int)Math.Floor(v / 2.0);

    [Fact]
    public void TransposedConvolutionIsTheAdjointOfTheStridedOne() =>
        Check.One(Seeded(104, 60), Prop.ForAll(Submanifolds.ToArbitrary(), c =>
        {
            // ⟨conv(x; W), u⟩ = ⟨x, convᵀ(u; Wᵀ)⟩ over the same (reversed) map.
            const int cin = 3, cout = 2;
            var fine = RandomVoxels.Create(c.Count, 6, c.Seed, batches: c.Batches);
            int kernel = c.Kernel == 1 ? 2 : c.Kernel, stride = 2;
            var map = fine.GetKernelMap(kernel, stride);
            var rng = new System.Random(c.Seed);
            int volume = map.Volume;
            var x = Values(rng, fine.Count * cin);
            var w = Values(rng, volume * cin * cout);
            var u = Values(rng, map.Output.Count * cout);
            var wt = new float[w.Length];
            for (int k = 0; k < volume; k++)
                for (int i = 0; i < cin; i++)
                    for (int o = 0; o < cout; o++) wt[(k * cout + o) * cin + i] = w[(k * cin + i) * cout + o];
            var y = new float[map.Output.Count * cout];
            var z = new float[fine.Count * cin];
            SparseConvolution.Forward(map, x, w, y, cin, cout);
            SparseConvolution.TransposedForward(map, u, wt, z, cout, cin);
            double lhs = 0, rhs = 0, scale = 0;
            for (int i = 0; i < y.Length; i++) { lhs += (double)y[i] * u[i]; scale += Math.Abs((double)y[i] * u[i]); }
            for (int i = 0; i < z.Length; i++) rhs += (double)x[i] * z[i];
            return Math.Abs(lhs - rhs) <= 1e-5 * (1 + scale);
        }));

    /// <summary>(points, channels, voxel size index, batched, seed).</summary>
    private static readonly Gen<(int N, int Channels, float Voxel, bool Batched, int Seed)> PointClouds =
        from n in Gen.Choose(0, 300)
        from channels in Gen.Choose(0, 4)
        from voxel in Gen.Elements(0.01f, 0.05f, 0.1f, 0.3f)
        from batched in Gen.Elements(false, true)
        from seed in Gen.Choose(0, 1 << 20)
        select (n, channels, voxel, batched, seed);

    [Fact]
    public void VoxelizerInvariants() =>
        Check.One(Seeded(105, 100), Prop.ForAll(PointClouds.ToArbitrary(), c =>
        {
            var rng = new System.Random(c.Seed);
            var points = new float[3 * c.N];
            for (int i = 0; i < points.Length; i++)
                points[i] = rng.Next(5) == 0 ? c.Voxel * rng.Next(-6, 6) : (float)(rng.NextDouble() * 1.2 - 0.6);
            var features = Values(rng, c.N * c.Channels);
            var batch = c.Batched ? Enumerable.Range(0, c.N).Select(_ => rng.Next(3)).ToArray() : [];
            var v = Voxelizer.Voxelize(points, features, c.Channels, c.Voxel, batch);
            int voxels = v.Coords.Count;

            // Every point lies in its voxel: the voxel's coordinate is floor(p / size) on each axis.
            for (int p = 0; p < c.N; p++)
            {
                var q = v.Coords[v.PointToVoxel[p]];
                if (q.Batch != (c.Batched ? batch[p] : 0)) return false;
                for (int a = 0; a < 3; a++)
                {
                    int expected = (int)Math.Floor(points[3 * p + a] / (double)c.Voxel);
                    int got = a == 0 ? q.X : a == 1 ? q.Y : q.Z;
                    if (got != expected) return false;
                }
            }
            // Voxels are distinct and sorted by (batch, x, y, z).
            for (int r = 1; r < voxels; r++)
                if (v.Coords[r - 1].CompareTo(v.Coords[r]) >= 0) return false;
            // The grouping is a partition of the points consistent with PointToVoxel, ascending inside a voxel,
            // and each voxel's feature is the mean of its points' features.
            if (v.VoxelPointStart.Length != voxels + 1 || v.VoxelPointStart[voxels] != c.N) return false;
            if (!v.VoxelPoints.Order().SequenceEqual(Enumerable.Range(0, c.N))) return false;
            for (int r = 0; r < voxels; r++)
            {
                var members = v.VoxelPoints.AsSpan(v.VoxelPointStart[r], v.VoxelPointStart[r + 1] - v.VoxelPointStart[r]).ToArray();
                if (members.Length == 0 || members.Any(p => v.PointToVoxel[p] != r) || !members.SequenceEqual(members.Order())) return false;
                for (int ch = 0; ch < c.Channels; ch++)
                {
                    double mean = members.Average(p => (double)features[p * c.Channels + ch]);
                    if (Math.Abs(v.Features[r * c.Channels + ch] - mean) > 1e-6) return false;
                }
            }
            return true;
        }));
}
