using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Clickscape.Tensors.Sparse;

/// <summary>
/// Open-addressing hash table from a packed voxel coordinate (see <see cref="Pack"/>) to a row index,
/// the coordinate lookup behind every kernel map (torchsparse / MinkowskiEngine "coordinate manager").
/// </summary>
/// <remarks>
/// <para>Key layout, most significant bit first: batch (7 bits, 0…126), x, y, z (19 bits each, stored with a
/// bias of 2¹⁸). Coordinates must lie in [<see cref="MinCoordinate"/>, <see cref="MaxCoordinate"/>]; the
/// 1024-voxel guard band to the field limits lets a neighbour key be formed by adding a packed offset
/// (<see cref="PackOffset"/>) to a key without unpacking, as long as each offset component is within ±1024.</para>
/// <para>Table: power-of-two capacity at least twice the entry count (load ≤ ½), Fibonacci hashing
/// (key · 2⁶⁴/φ, top bits) of groups of four z-consecutive voxels (see <see cref="Home"/>), linear probing. Each slot holds the key and the row side by side (16 bytes), so a
/// probe touches one cache line. The empty sentinel is all ones, which is batch 127 and is never a valid key.
/// The table lives on the pinned object heap so lookups can prefetch slots by address.</para>
/// </remarks>
public sealed class CoordinateHash
{
    /// <summary>Smallest coordinate value a key can hold.</summary>
    public const int MinCoordinate = -(1 << 18) + 1024;

    /// <summary>Largest coordinate value a key can hold.</summary>
    public const int MaxCoordinate = (1 << 18) - 1 - 1024;

    /// <summary>Largest batch index a key can hold.</summary>
    public const int MaxBatch = 126;

    private const int Bits = 19;
    private const int Bias = 1 << 18;
    private const ulong Empty = ulong.MaxValue;
    private const ulong Fibonacci = 0x9E3779B97F4A7C15UL;

    [StructLayout(LayoutKind.Sequential)]
    internal struct Slot
    {
        public ulong Key;
        public int Row;
        private int _padding;
    }

    private readonly Slot[] _slots;
    private readonly int _shift;
    private readonly int _mask;
    private readonly int _origin;
    private readonly int _capacity;

    /// <summary>Creates an empty table sized for at least <paramref name="expectedCount"/> entries at load ≤ ½.</summary>
    public CoordinateHash(int expectedCount)
    {
        if (expectedCount < 0 || expectedCount > 1 << 28)
            throw new ArgumentOutOfRangeException(nameof(expectedCount), expectedCount, "coordinate hash: expected count must be in [0, 2²⁸]");
        int capacity = 16;
        while (capacity < 2L * expectedCount) capacity <<= 1;
        // Four spare slots let the table start on a 64-byte boundary, so a group of four is exactly one cache line.
        _slots = GC.AllocateUninitializedArray<Slot>(capacity + 4, pinned: true);
        _slots.AsSpan().Fill(new Slot { Key = Empty, Row = -1 });
        unsafe
        {
            nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_slots));
            _origin = address % 16 == 0 ? (int)((64 - address % 64) % 64 / 16) : 0;
        }
        _capacity = capacity;
        _mask = capacity - 1;
        _shift = 64 - BitOperations.Log2((uint)capacity);
    }

    /// <summary>Entries stored.</summary>
    public int Count { get; private set; }

    /// <summary>Number of slots (a power of two).</summary>
    public int Capacity => _capacity;

    /// <summary>Packs a voxel coordinate into a 64-bit key (layout in the type remarks). Throws when out of range.</summary>
    public static ulong Pack(int batch, int x, int y, int z)
    {
        if ((uint)batch > MaxBatch) throw new ArgumentOutOfRangeException(nameof(batch), batch, $"voxel coordinate: batch index must be in [0, {MaxBatch}]");
        CheckCoordinate(x, nameof(x));
        CheckCoordinate(y, nameof(y));
        CheckCoordinate(z, nameof(z));
        return PackUnchecked(batch, x, y, z);

        static void CheckCoordinate(int v, string name)
        {
            if (v < MinCoordinate || v > MaxCoordinate)
                throw new ArgumentOutOfRangeException(name, v, $"voxel coordinate {name}={v} outside the packable range [{MinCoordinate}, {MaxCoordinate}]");
        }
    }

    /// <summary>True when the coordinate can be packed (see <see cref="Pack"/>).</summary>
    public static bool IsPackable(int batch, int x, int y, int z) =>
        (uint)batch <= MaxBatch
        && x >= MinCoordinate && x <= MaxCoordinate
        && y >= MinCoordinate && y <= MaxCoordinate
        && z >= MinCoordinate && z <= MaxCoordinate;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong PackUnchecked(int batch, int x, int y, int z) =>
        ((ulong)(uint)batch << (3 * Bits))
        | ((ulong)(uint)(x + Bias) << (2 * Bits))
        | ((ulong)(uint)(y + Bias) << Bits)
        | (uint)(z + Bias);

    /// <summary>
    /// The amount to add to a key to move it by (dx, dy, dz); valid for components within ±1024
    /// (two's-complement addition borrows across fields exactly as the per-field sums would).
    /// </summary>
    public static ulong PackOffset(int dx, int dy, int dz)
    {
        if (Math.Abs(dx) > 1024 || Math.Abs(dy) > 1024 || Math.Abs(dz) > 1024)
            throw new ArgumentOutOfRangeException(nameof(dx), $"coordinate offset ({dx}, {dy}, {dz}) exceeds ±1024 per axis");
        return unchecked((ulong)(((long)dx << (2 * Bits)) + ((long)dy << Bits) + dz));
    }

    /// <summary>Inverse of <see cref="Pack"/>.</summary>
    public static (int Batch, int X, int Y, int Z) Unpack(ulong key)
    {
        const ulong field = (1UL << Bits) - 1;
        return ((int)(key >> (3 * Bits)),
            (int)((key >> (2 * Bits)) & field) - Bias,
            (int)((key >> Bits) & field) - Bias,
            (int)(key & field) - Bias);
    }

    /// <summary>
    /// Home slot: the key without its two lowest z bits is Fibonacci-hashed to a group of four slots (one 64-byte
    /// cache line), and the two z bits pick the slot in the group. Voxels z, z+1, z+2, z+3 of one column therefore
    /// share a line, so the 27 lookups of neighbouring voxels processed in coordinate order mostly hit lines already
    /// loaded, while different columns still spread uniformly over the table.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(ulong key) => ((int)(((key >> 2) * Fibonacci) >> _shift) & ~3) | (int)(key & 3);

    /// <summary>Inserts <paramref name="key"/> → <paramref name="row"/>; returns false (and changes nothing) when the key is present.</summary>
    public bool TryAdd(ulong key, int row)
    {
        int before = Count;
        GetOrAdd(key, row);
        return Count > before;
    }

    /// <summary>
    /// Returns the row stored for <paramref name="key"/>, or stores <paramref name="rowIfNew"/> and returns it
    /// when the key is absent (one probe sequence either way). Not thread-safe.
    /// </summary>
    public int GetOrAdd(ulong key, int rowIfNew)
    {
        if (key == Empty) throw new ArgumentException("coordinate hash: key is the reserved empty sentinel", nameof(key));
        ref Slot first = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), _origin);
        int i = Home(key);
        while (true)
        {
            ref Slot s = ref Unsafe.Add(ref first, i);
            if (s.Key == key) return s.Row;
            if (s.Key == Empty)
            {
                if (2L * (Count + 1) > _capacity)
                    throw new InvalidOperationException($"coordinate hash: capacity {_capacity} exceeded; create it with a larger expected count");
                s.Key = key;
                s.Row = rowIfNew;
                Count++;
                return rowIfNew;
            }
            i = (i + 1) & _mask;
        }
    }

    /// <summary>The row stored for <paramref name="key"/>, or -1. Safe to call from many threads once building is done.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ulong key)
    {
        ref Slot first = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), _origin);
        int i = Home(key);
        while (true)
        {
            ref Slot s = ref Unsafe.Add(ref first, i);
            if (s.Key == key) return s.Row;
            if (s.Key == Empty) return -1;
            i = (i + 1) & _mask;
        }
    }

    /// <summary>Hints the CPU to fetch the home slot of <paramref name="key"/> (no effect without SSE).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal unsafe void Prefetch(ulong key)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            // The array is pinned (allocated on the POH), so its address is stable.
            ref Slot s = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), _origin + Home(key));
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref s));
        }
    }

    /// <summary>
    /// Builds a table over <paramref name="keys"/> mapping keys[i] → i. Throws when a key repeats
    /// (a coordinate set must not contain the same voxel twice).
    /// </summary>
    public static CoordinateHash Build(ReadOnlySpan<ulong> keys, string what = "coordinate set")
    {
        var hash = new CoordinateHash(keys.Length);
        for (int i = 0; i < keys.Length; i++)
        {
            int row = hash.GetOrAdd(keys[i], i);
            if (row != i)
            {
                var (b, x, y, z) = Unpack(keys[i]);
                throw new ArgumentException($"{what}: voxel (batch {b}, {x}, {y}, {z}) appears at rows {row} and {i}; coordinates must be unique");
            }
        }
        return hash;
    }
}
