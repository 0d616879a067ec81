using System.Collections.Concurrent;

namespace Clickscape.Tensors;

/// <summary>
/// The pool tensor storage is rented from, so a training step reuses the previous step's arrays instead of
/// allocating (and the GC never sees the activations).
/// </summary>
/// <remarks>
/// Lengths are rounded up to a size class with 8 classes per power of two (n → the next multiple of
/// 2^⌊log₂ n⌋ / 8), so an array is at most 12.5 % larger than asked, against up to 100 % for
/// <see cref="System.Buffers.ArrayPool{T}"/>'s power-of-two buckets — activation sizes in a U-Net vary per
/// level and per scene, and the waste counts against peak memory. Each class keeps a bounded stack of free
/// arrays; returned arrays beyond the bound are left to the GC. Thread-safe. <see cref="Trim"/> drops every
/// pooled array (e.g. between training and evaluation of very different sizes).
/// </remarks>
public static class TensorStoragePool
{
    private const int ClassesPerOctave = 8;
    private const int MaxArraysPerClass = 256;
    private const int MaxPooledLength = 1 << 28;

    private static readonly ConcurrentDictionary<int, ConcurrentStack<float[]>> Free = new();
    private static long _pooledFloats;

    /// <summary>Floats currently held by the pool (not rented out).</summary>
    public static long PooledBytes => Interlocked.Read(ref _pooledFloats) * sizeof(float);

    /// <summary>The array length a request for <paramref name="length"/> floats receives.</summary>
    public static int SizeClass(int length)
    {
        if (length <= 64) return length <= 0 ? 0 : 64;
        int octave = 31 - int.LeadingZeroCount(length);           // 2^octave ≤ length
        int step = 1 << (octave - 3);                               // 2^octave / 8
        long rounded = ((long)length + step - 1) / step * step;
        return (int)Math.Min(rounded, Array.MaxLength);
    }

    /// <summary>Rents at least <paramref name="length"/> floats (contents undefined).</summary>
    public static float[] Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0) return [];
        int size = SizeClass(length);
        if (size <= MaxPooledLength && Free.TryGetValue(size, out var stack) && stack.TryPop(out var array))
        {
            Interlocked.Add(ref _pooledFloats, -array.Length);
            return array;
        }
        return GC.AllocateUninitializedArray<float>(size);
    }

    /// <summary>Returns an array obtained from <see cref="Rent"/>. Arrays of other lengths are ignored.</summary>
    public static void Return(float[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        int size = array.Length;
        if (size == 0 || size > MaxPooledLength || SizeClass(size) != size) return;
        var stack = Free.GetOrAdd(size, _ => new ConcurrentStack<float[]>());
        if (stack.Count >= MaxArraysPerClass) return;
        stack.Push(array);
        Interlocked.Add(ref _pooledFloats, size);
    }

    /// <summary>Releases every pooled array to the GC.</summary>
    public static void Trim()
    {
        foreach (var (_, stack) in Free)
            while (stack.TryPop(out var a)) Interlocked.Add(ref _pooledFloats, -a.Length);
    }
}
