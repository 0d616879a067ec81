using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Clickscape.Tensors.Sparse;

/// <summary>
/// Row gather (<c>dst[j] = src[rows[j]]</c>) and row scatter-add (<c>dst[rows[j]] += src[j]</c>) on row-major
/// float matrices: the memory-bound halves of a gather → GEMM → scatter sparse convolution.
/// </summary>
/// <remarks>
/// Rows are short (C = 16…128 floats), so the per-row work is a handful of vector loads/stores; the loops use the
/// widest available vector (512, 256, 128 bits), walking a row in whole vectors and finishing the last
/// <c>C mod lanes</c> floats with scalar code (equivalent to the scalar loop at the bottom). Indices are
/// trusted (the kernel map produced them); callers check shapes once per call.
/// </remarks>
internal static class RowGatherScatter
{
    /// <summary>dst[j·c …] = src[rows[j]·c …] for j &lt; rows.Length.</summary>
    public static void Gather(ReadOnlySpan<float> src, int c, ReadOnlySpan<int> rows, Span<float> dst)
    {
        ref float s0 = ref MemoryMarshal.GetReference(src);
        ref float d0 = ref MemoryMarshal.GetReference(dst);
        for (int j = 0; j < rows.Length; j++)
        {
            CopyRow(ref Unsafe.Add(ref s0, (nint)rows[j] * c), ref Unsafe.Add(ref d0, (nint)j * c), c);
        }
    }

    /// <summary>dst[rows[j]·c …] += src[j·c …] for j &lt; rows.Length (rows distinct, so order does not matter).</summary>
    public static void ScatterAdd(ReadOnlySpan<float> src, int c, ReadOnlySpan<int> rows, Span<float> dst)
    {
        ref float s0 = ref MemoryMarshal.GetReference(src);
        ref float d0 = ref MemoryMarshal.GetReference(dst);
        for (int j = 0; j < rows.Length; j++)
        {
            AddRow(ref Unsafe.Add(ref s0, (nint)j * c), ref Unsafe.Add(ref d0, (nint)rows[j] * c), c);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow(ref float s, ref float d, int c)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= c - 16; i += 16) Vector512.LoadUnsafe(ref s, (nuint)i).StoreUnsafe(ref d, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= c - 8; i += 8) Vector256.LoadUnsafe(ref s, (nuint)i).StoreUnsafe(ref d, (nuint)i);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= c - 4; i += 4) Vector128.LoadUnsafe(ref s, (nuint)i).StoreUnsafe(ref d, (nuint)i);
        }
        for (; i < c; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref s, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ref float s, ref float d, int c)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= c - 16; i += 16)
                (Vector512.LoadUnsafe(ref d, (nuint)i) + Vector512.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= c - 8; i += 8)
                (Vector256.LoadUnsafe(ref d, (nuint)i) + Vector256.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= c - 4; i += 4)
                (Vector128.LoadUnsafe(ref d, (nuint)i) + Vector128.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }
        for (; i < c; i++) Unsafe.Add(ref d, i) += Unsafe.Add(ref s, i);
    }
}
