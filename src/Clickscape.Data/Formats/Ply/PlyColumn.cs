using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Clickscape.Data.Formats.Ply;

/// <summary>
/// The values of one PLY property over all rows of an element, in the property's own type, so that reading
/// and writing a file loses nothing. <see cref="PlyColumn{T}"/> holds the typed array; the conversions
/// (<see cref="ToSingleArray"/>, <see cref="ToInt32Array"/>) serve the scene mapping.
/// </summary>
public abstract class PlyColumn
{
    /// <summary>The PLY type of the values.</summary>
    public abstract PlyScalarType Type { get; }

    /// <summary>Number of values.</summary>
    public abstract int Length { get; }

    /// <summary>The values as a plain array (<c>float[]</c>, <c>byte[]</c>, …).</summary>
    public abstract Array Array { get; }

    /// <summary>Value <paramref name="i"/> as a double (exact for every PLY type).</summary>
    public abstract double GetDouble(int i);

    /// <summary>All values converted to float32 (integers exactly up to 2^24, doubles rounded).</summary>
    public abstract float[] ToSingleArray();

    /// <summary>All values converted to int32: integers saturate, floats truncate toward zero (NaN → 0).</summary>
    public abstract int[] ToInt32Array();

    /// <summary>A column of <paramref name="length"/> zeros of <paramref name="type"/>.</summary>
    public static PlyColumn Create(PlyScalarType type, int length) => type switch
    {
        PlyScalarType.Int8 => new PlyColumn<sbyte>(new sbyte[length]),
        PlyScalarType.UInt8 => new PlyColumn<byte>(new byte[length]),
        PlyScalarType.Int16 => new PlyColumn<short>(new short[length]),
        PlyScalarType.UInt16 => new PlyColumn<ushort>(new ushort[length]),
        PlyScalarType.Int32 => new PlyColumn<int>(new int[length]),
        PlyScalarType.UInt32 => new PlyColumn<uint>(new uint[length]),
        PlyScalarType.Float32 => new PlyColumn<float>(new float[length]),
        PlyScalarType.Float64 => new PlyColumn<double>(new double[length]),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a PLY scalar type"),
    };

    // --- used by PlyReader / PlyWriter ---------------------------------------------------------------

    /// <summary>Reads value <paramref name="i"/> from the first bytes of <paramref name="source"/>.</summary>
    internal abstract void ReadBinary(int i, ReadOnlySpan<byte> source, bool bigEndian);

    /// <summary>Reads <paramref name="count"/> consecutive values into <c>[start, start + count)</c> (one list row).</summary>
    internal abstract void ReadBinaryRun(int start, int count, ReadOnlySpan<byte> source, bool bigEndian);

    /// <summary>
    /// Fills values <c>[0, count)</c> from fixed-size rows: value i sits at <c>i·stride + offset</c>. Column-wise
    /// with the type switch outside the loop, so a binary vertex block parses at memory speed.
    /// </summary>
    internal abstract void ReadStrided(ReadOnlySpan<byte> body, int count, int stride, int offset, bool bigEndian);

    /// <summary>Parses value <paramref name="i"/> from an ASCII token; false when the token is not a number of this type.</summary>
    internal abstract bool ParseAscii(int i, ReadOnlySpan<byte> token);

    /// <summary>Writes value <paramref name="i"/> in binary to the first bytes of <paramref name="destination"/>.</summary>
    internal abstract void WriteBinary(int i, Span<byte> destination, bool bigEndian);

    /// <summary>Formats value <paramref name="i"/> as shortest round-trip ASCII; returns the bytes written.</summary>
    internal abstract int FormatAscii(int i, Span<byte> destination);

    /// <summary>Grows or trims the storage to <paramref name="length"/> values (list properties grow while reading).</summary>
    internal abstract void Resize(int length);
}

/// <summary>A <see cref="PlyColumn"/> of values of type <typeparamref name="T"/>.</summary>
public sealed class PlyColumn<T> : PlyColumn
    where T : unmanaged, INumber<T>
{
    private static readonly PlyScalarType ScalarType = ScalarTypeOf();
    private static readonly bool IsFloat = typeof(T) == typeof(float) || typeof(T) == typeof(double);

    /// <summary>Wraps <paramref name="values"/> (not copied).</summary>
    public PlyColumn(T[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = values;
    }

    /// <summary>The values.</summary>
    public T[] Values { get; private set; }

    /// <inheritdoc/>
    public override PlyScalarType Type => ScalarType;

    /// <inheritdoc/>
    public override int Length => Values.Length;

    /// <inheritdoc/>
    public override Array Array => Values;

    /// <inheritdoc/>
    public override double GetDouble(int i) => double.CreateTruncating(Values[i]);

    /// <inheritdoc/>
    public override float[] ToSingleArray()
    {
        if (Values is float[] f) return (float[])f.Clone();
        var result = new float[Values.Length];
        for (int i = 0; i < result.Length; i++) result[i] = float.CreateTruncating(Values[i]);
        return result;
    }

    /// <inheritdoc/>
    public override int[] ToInt32Array()
    {
        var result = new int[Values.Length];
        for (int i = 0; i < result.Length; i++) result[i] = int.CreateSaturating(Values[i]);
        return result;
    }

    internal override void ReadBinary(int i, ReadOnlySpan<byte> source, bool bigEndian)
    {
        T value = MemoryMarshal.Read<T>(source);
        Values[i] = bigEndian ? Reverse(value) : value;
    }

    internal override void ReadBinaryRun(int start, int count, ReadOnlySpan<byte> source, bool bigEndian)
    {
        // A list row is a packed run of values: reinterpret it in one copy, then fix the byte order.
        var run = MemoryMarshal.Cast<byte, T>(source[..(count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>())]);
        var destination = Values.AsSpan(start, count);
        run.CopyTo(destination);
        if (bigEndian)
        {
            for (int i = 0; i < destination.Length; i++) destination[i] = Reverse(destination[i]);
        }
    }

    internal override void ReadStrided(ReadOnlySpan<byte> body, int count, int stride, int offset, bool bigEndian)
    {
        var values = Values;
        if (!bigEndian)
        {
            for (int i = 0; i < count; i++) values[i] = MemoryMarshal.Read<T>(body.Slice(i * stride + offset));
        }
        else
        {
            for (int i = 0; i < count; i++) values[i] = Reverse(MemoryMarshal.Read<T>(body.Slice(i * stride + offset)));
        }
    }

    internal override bool ParseAscii(int i, ReadOnlySpan<byte> token)
    {
        var style = IsFloat ? NumberStyles.Float : NumberStyles.Integer;
        if (T.TryParse(token, style, CultureInfo.InvariantCulture, out var value))
        {
            Values[i] = value;
            return true;
        }
        // Some writers print integer properties as "255.0": accept integral floats that fit the type.
        if (!IsFloat && double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            && Math.Floor(d) == d && double.IsFinite(d))
        {
            var t = T.CreateSaturating(d);
            if (double.CreateTruncating(t) != d) return false;
            Values[i] = t;
            return true;
        }
        return false;
    }

    internal override void WriteBinary(int i, Span<byte> destination, bool bigEndian)
    {
        T value = bigEndian ? Reverse(Values[i]) : Values[i];
        MemoryMarshal.Write(destination, in value);
    }

    internal override int FormatAscii(int i, Span<byte> destination)
    {
        if (!Values[i].TryFormat(destination, out int written, default, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("PLY ASCII value buffer too small");
        return written;
    }

    internal override void Resize(int length)
    {
        if (length == Values.Length) return;
        var values = Values;
        System.Array.Resize(ref values, length);
        Values = values;
    }

    /// <summary>Byte-swaps one value (floats through their bit pattern).</summary>
    private static T Reverse(T value)
    {
        if (typeof(T) == typeof(sbyte) || typeof(T) == typeof(byte)) return value;
        if (typeof(T) == typeof(short)) { var v = BinaryPrimitives.ReverseEndianness((short)(object)value); return (T)(object)v; }
        if (typeof(T) == typeof(ushort)) { var v = BinaryPrimitives.ReverseEndianness((ushort)(object)value); return (T)(object)v; }
        if (typeof(T) == typeof(int)) { var v = BinaryPrimitives.ReverseEndianness((int)(object)value); return (T)(object)v; }
        if (typeof(T) == typeof(uint)) { var v = BinaryPrimitives.ReverseEndianness((uint)(object)value); return (T)(object)v; }
        if (typeof(T) == typeof(float))
        {
            int bits = BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits((float)(object)value));
            return (T)(object)BitConverter.Int32BitsToSingle(bits);
        }
        if (typeof(T) == typeof(double))
        {
            long bits = BinaryPrimitives.ReverseEndianness(BitConverter.DoubleToInt64Bits((double)(object)value));
            return (T)(object)BitConverter.Int64BitsToDouble(bits);
        }
        throw new NotSupportedException($"PLY has no {typeof(T).Name} type");
    }

    private static PlyScalarType ScalarTypeOf()
    {
        if (typeof(T) == typeof(sbyte)) return PlyScalarType.Int8;
        if (typeof(T) == typeof(byte)) return PlyScalarType.UInt8;
        if (typeof(T) == typeof(short)) return PlyScalarType.Int16;
        if (typeof(T) == typeof(ushort)) return PlyScalarType.UInt16;
        if (typeof(T) == typeof(int)) return PlyScalarType.Int32;
        if (typeof(T) == typeof(uint)) return PlyScalarType.UInt32;
        if (typeof(T) == typeof(float)) return PlyScalarType.Float32;
        if (typeof(T) == typeof(double)) return PlyScalarType.Float64;
        throw new NotSupportedException($"PLY has no {typeof(T).Name} type");
    }
}
