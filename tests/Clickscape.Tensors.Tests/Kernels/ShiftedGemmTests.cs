using Clickscape.Tensors.Kernels;

namespace Clickscape.Tensors.Tests.Kernels;

/// <summary>
/// <see cref="ShiftedGemm"/>'s tile kernels against double loops on random windows (overlapping, unaligned,
/// repeated offsets), tap counts 0…300 and dot lengths 32…2048. This class is in the Kernels namespace, so
/// <see cref="InstructionSetFallbackTests"/> re-runs it with AVX-512, then AVX2, switched off.
/// </summary>
public sealed unsafe class ShiftedGemmTests
{
    private static float[] Values(Random rng, int n)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(27)]
    [InlineData(64)]
    [InlineData(301)]
    public void TileIsTheProductWithShiftedWindows(int taps)
    {
        var rng = new Random(taps + 3);
        var a = Values(rng, taps * ShiftedGemm.Mr);
        var s = Values(rng, 1000);
        var offsets = Enumerable.Range(0, taps).Select(_ => rng.Next(0, 1000 - ShiftedGemm.TileWidth + 1)).ToArray();
        const int Ldc = ShiftedGemm.TileWidth + 5;
        var c = Enumerable.Repeat(float.NaN, ShiftedGemm.Mr * Ldc).ToArray(); // overwritten, never read
        for (int r = 0; r < ShiftedGemm.Mr; r++)
            for (int q = ShiftedGemm.TileWidth; q < Ldc; q++) c[r * Ldc + q] = 12345f; // beyond the tile: untouched
        fixed (float* pa = a)
        fixed (float* ps = s)
        fixed (int* po = offsets)
        fixed (float* pc = c)
        {
            ShiftedGemm.Tile(taps, pa, ps, po, pc, Ldc);
        }
        for (int r = 0; r < ShiftedGemm.Mr; r++)
        {
            for (int q = 0; q < ShiftedGemm.TileWidth; q++)
            {
                double want = 0, magnitude = 0;
                for (int j = 0; j < taps; j++)
                {
                    double term = (double)a[j * ShiftedGemm.Mr + r] * s[offsets[j] + q];
                    want += term;
                    magnitude += Math.Abs(term);
                }
                Assert.True(Math.Abs(c[r * Ldc + q] - want) <= (taps + 4) * magnitude / (1 << 23) + 1e-30,
                    $"taps {taps}, c[{r}, {q}] = {c[r * Ldc + q]}, expected {want}");
            }
            for (int q = ShiftedGemm.TileWidth; q < Ldc; q++) Assert.Equal(12345f, c[r * Ldc + q]);
        }
    }

    [Theory]
    [InlineData(32, 1)]
    [InlineData(64, 1)]
    [InlineData(96, 3)]
    [InlineData(1024, 1)]
    [InlineData(2048, 2)]
    public void DotTileAddsTheDotProductsOfRowsAndWindows(int length, int segments)
    {
        var rng = new Random(length + segments);
        const int Ldg = 2100, Ldd = 7, GStride = 4 * Ldg + 3, SLength = 5000, SStride = SLength + 5;
        var g = Values(rng, segments * GStride);
        var s = Values(rng, segments * SStride);
        var offsets = Enumerable.Range(0, ShiftedGemm.DotRows).Select(_ => rng.Next(0, SLength - length + 1)).ToArray();
        offsets[3] = offsets[1]; // repeated windows are allowed
        var d = Values(rng, ShiftedGemm.DotRows * Ldd);
        var d0 = (float[])d.Clone();
        fixed (float* pg = g)
        fixed (float* ps = s)
        fixed (int* po = offsets)
        fixed (float* pd = d)
        {
            ShiftedGemm.DotTile(length, segments, pg, Ldg, GStride, ps, SStride, po, pd, Ldd);
        }
        for (int r = 0; r < ShiftedGemm.DotRows; r++)
        {
            for (int i = 0; i < ShiftedGemm.DotRows; i++)
            {
                double want = d0[r * Ldd + i], magnitude = Math.Abs(want);
                for (int e = 0; e < segments; e++)
                    for (int q = 0; q < length; q++)
                    {
                        double term = (double)g[e * GStride + r * Ldg + q] * s[e * SStride + offsets[i] + q];
                        want += term;
                        magnitude += Math.Abs(term);
                    }
                Assert.True(Math.Abs(d[r * Ldd + i] - want) <= (segments * length + 4) * magnitude / (1 << 23),
                    $"length {length} × {segments}, d[{r}, {i}] = {d[r * Ldd + i]}, expected {want}");
            }
            for (int i = ShiftedGemm.DotRows; i < Ldd; i++) Assert.Equal(d0[r * Ldd + i], d[r * Ldd + i]);
        }
    }
}
