using System.Numerics;

namespace Clickscape.Data.Formats.Npy;

/// <summary>The element types of a NumPy array this library reads (<c>descr</c> kinds f, i, u, b).</summary>
public enum NpyDType
{
    /// <summary><c>|b1</c> (numpy bool).</summary>
    Bool,

    /// <summary><c>|i1</c>.</summary>
    Int8,

    /// <summary><c>|u1</c>.</summary>
    UInt8,

    /// <summary><c>&lt;i2</c>.</summary>
    Int16,

    /// <summary><c>&lt;u2</c>.</summary>
    UInt16,

    /// <summary><c>&lt;i4</c>.</summary>
    Int32,

    /// <summary><c>&lt;u4</c>.</summary>
    UInt32,

    /// <summary><c>&lt;i8</c>.</summary>
    Int64,

    /// <summary><c>&lt;u8</c>.</summary>
    UInt64,

    /// <summary><c>&lt;f4</c>.</summary>
    Float32,

    /// <summary><c>&lt;f8</c>.</summary>
    Float64,
}

/// <summary>
/// An n-dimensional NumPy array in C (row-major) order: its dtype, shape and the values as a typed .NET array
/// (<c>bool[]</c>, <c>sbyte[]</c>, <c>byte[]</c>, …, <c>double[]</c>). Converters give <c>float[]</c> and
/// <c>int[]</c> views for the scene mapping.
/// </summary>
public sealed class NpyArray
{
    /// <summary>Wraps <paramref name="data"/> (not copied) with <paramref name="shape"/>; sizes must agree.</summary>
    public NpyArray(Array data, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        DType = DTypeOf(data);
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"NPY shape ({string.Join(", ", shape)}) has a negative dimension");
            count *= d;
        }
        if (count != data.Length) throw new ArgumentException($"NPY shape ({string.Join(", ", shape)}) holds {count} values, data has {data.Length}");
        Data = data;
        Shape = shape;
    }

    /// <summary>Element type.</summary>
    public NpyDType DType { get; }

    /// <summary>Dimensions, outermost first (empty for a 0-d scalar).</summary>
    public int[] Shape { get; }

    /// <summary>The values in C order as a typed array.</summary>
    public Array Data { get; }

    /// <summary>Number of values.</summary>
    public int Length => Data.Length;

    /// <summary>Bytes per value.</summary>
    public int ItemSize => SizeOf(DType);

    /// <summary>The values converted to float32.</summary>
    public float[] ToSingleArray() => Convert<float>();

    /// <summary>The values converted to float64.</summary>
    public double[] ToDoubleArray() => Convert<double>();

    /// <summary>The values converted to int32 (saturating; floats truncate, NaN → 0).</summary>
    public int[] ToInt32Array() => Convert<int>(saturate: true);

    /// <summary>The values converted to int64 (saturating).</summary>
    public long[] ToInt64Array() => Convert<long>(saturate: true);

    /// <summary>The NumPy <c>descr</c> string of a dtype, little endian (e.g. <c>&lt;f4</c>, <c>|u1</c>).</summary>
    public static string Descr(NpyDType type) => type switch
    {
        NpyDType.Bool => "|b1",
        NpyDType.Int8 => "|i1",
        NpyDType.UInt8 => "|u1",
        NpyDType.Int16 => "<i2",
        NpyDType.UInt16 => "<u2",
        NpyDType.Int32 => "<i4",
        NpyDType.UInt32 => "<u4",
        NpyDType.Int64 => "<i8",
        NpyDType.UInt64 => "<u8",
        NpyDType.Float32 => "<f4",
        NpyDType.Float64 => "<f8",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not an NPY dtype"),
    };

    /// <summary>Bytes per value of <paramref name="type"/>.</summary>
    public static int SizeOf(NpyDType type) => type switch
    {
        NpyDType.Bool or NpyDType.Int8 or NpyDType.UInt8 => 1,
        NpyDType.Int16 or NpyDType.UInt16 => 2,
        NpyDType.Int32 or NpyDType.UInt32 or NpyDType.Float32 => 4,
        _ => 8,
    };

    /// <summary>A new zeroed array of <paramref name="type"/> with <paramref name="length"/> values.</summary>
    internal static Array Allocate(NpyDType type, int length) => type switch
    {
        NpyDType.Bool => new bool[length],
        NpyDType.Int8 => new sbyte[length],
        NpyDType.UInt8 => new byte[length],
        NpyDType.Int16 => new short[length],
        NpyDType.UInt16 => new ushort[length],
        NpyDType.Int32 => new int[length],
        NpyDType.UInt32 => new uint[length],
        NpyDType.Int64 => new long[length],
        NpyDType.UInt64 => new ulong[length],
        NpyDType.Float32 => new float[length],
        NpyDType.Float64 => new double[length],
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not an NPY dtype"),
    };

    // Exact type tests: the CLR lets a byte[] pass as sbyte[] (and uint[] as int[], …) in 'is' checks.
    private static NpyDType DTypeOf(Array data)
    {
        var t = data.GetType();
        if (t == typeof(bool[])) return NpyDType.Bool;
        if (t == typeof(sbyte[])) return NpyDType.Int8;
        if (t == typeof(byte[])) return NpyDType.UInt8;
        if (t == typeof(short[])) return NpyDType.Int16;
        if (t == typeof(ushort[])) return NpyDType.UInt16;
        if (t == typeof(int[])) return NpyDType.Int32;
        if (t == typeof(uint[])) return NpyDType.UInt32;
        if (t == typeof(long[])) return NpyDType.Int64;
        if (t == typeof(ulong[])) return NpyDType.UInt64;
        if (t == typeof(float[])) return NpyDType.Float32;
        if (t == typeof(double[])) return NpyDType.Float64;
        throw new ArgumentException($"NPY cannot hold a {t.Name}");
    }

    private TOut[] Convert<TOut>(bool saturate = false)
        where TOut : INumber<TOut>
    {
        return DType switch
        {
            NpyDType.Bool => ((bool[])Data).Select(v => v ? TOut.One : TOut.Zero).ToArray(),
            NpyDType.Int8 => Map((sbyte[])Data, saturate),
            NpyDType.UInt8 => Map((byte[])Data, saturate),
            NpyDType.Int16 => Map((short[])Data, saturate),
            NpyDType.UInt16 => Map((ushort[])Data, saturate),
            NpyDType.Int32 => Map((int[])Data, saturate),
            NpyDType.UInt32 => Map((uint[])Data, saturate),
            NpyDType.Int64 => Map((long[])Data, saturate),
            NpyDType.UInt64 => Map((ulong[])Data, saturate),
            NpyDType.Float32 => Map((float[])Data, saturate),
            NpyDType.Float64 => Map((double[])Data, saturate),
            _ => throw new InvalidOperationException("unknown NPY data array"),
        };

        static TOut[] Map<TIn>(TIn[] source, bool saturate)
            where TIn : INumber<TIn>
        {
            var result = new TOut[source.Length];
            if (saturate)
            {
                for (int i = 0; i < source.Length; i++) result[i] = TOut.CreateSaturating(source[i]);
            }
            else
            {
                for (int i = 0; i < source.Length; i++) result[i] = TOut.CreateTruncating(source[i]);
            }
            return result;
        }
    }
}
