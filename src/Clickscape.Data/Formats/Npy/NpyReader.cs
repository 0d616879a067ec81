using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.Npy;

/// <summary>
/// Reads NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0 of <c>numpy/lib/format.py</c>): magic
/// <c>\x93NUMPY</c>, major and minor version bytes, a little-endian header length (uint16 for v1, uint32 for
/// v2/v3), a Python dict literal <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (N, 6), }</c>, then
/// the raw values. Little- and big-endian bool/int/uint/float dtypes, C order, any shape.
/// </summary>
public static partial class NpyReader
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the array in <paramref name="path"/>.</summary>
    public static NpyArray Read(string path) => Parse(InputFile.ReadAllBytes(path), path);

    /// <summary>Parses NPY <paramref name="bytes"/>; <paramref name="source"/> names them in errors.</summary>
    public static NpyArray Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
            throw new DataFormatException(source, "not a NumPy .npy file: missing the \\x93NUMPY magic");
        int major = bytes[6];
        int headerLength;
        int headerStart;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
                headerStart = 10;
                break;
            case 2 or 3:
                if (bytes.Length < 12) throw new DataFormatException(source, "NPY header truncated");
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
                if (length > int.MaxValue) throw new DataFormatException(source, $"NPY header length {length} is impossible");
                headerLength = (int)length;
                headerStart = 12;
                break;
            default:
                throw new DataFormatException(source, $"unsupported NPY format version {major}.{bytes[7]}, expected 1.0, 2.0 or 3.0");
        }
        if ((long)headerStart + headerLength > bytes.Length)
            throw new DataFormatException(source, $"NPY header claims {headerLength} bytes, the file has {bytes.Length - headerStart} after the preamble");
        var headerBytes = bytes.Slice(headerStart, headerLength);
        string header = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        var (type, bigEndian, shape) = ParseHeader(header, source);

        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
            if (count > Array.MaxLength) throw new DataFormatException(source, $"NPY shape ({string.Join(", ", shape)}) is too large to load");
        }
        int itemSize = NpyArray.SizeOf(type);
        var body = bytes[(headerStart + headerLength)..];
        if (count * itemSize > body.Length)
            throw new DataFormatException(source, $"NPY data truncated: shape ({string.Join(", ", shape)}) of {Describe(type)} needs {count * itemSize} bytes, the file has {body.Length}");

        var raw = body[..(int)(count * itemSize)];
        var data = NpyArray.Allocate(type, (int)count);
        if (data is bool[] flags)
        {
            for (int i = 0; i < flags.Length; i++) flags[i] = raw[i] != 0;
        }
        else
        {
            var destination = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(data), raw.Length);
            raw.CopyTo(destination);
            // Big-endian files: swap each value in place; one-byte types have no order.
            if (bigEndian && itemSize > 1)
            {
                for (int i = 0; i < destination.Length; i += itemSize) destination.Slice(i, itemSize).Reverse();
            }
        }
        return new NpyArray(data, shape);
    }

    private static (NpyDType Type, bool BigEndian, int[] Shape) ParseHeader(string header, string source)
    {
        var descr = DescrPattern().Match(header);
        if (!descr.Success)
        {
            if (header.Contains("'descr'", StringComparison.Ordinal) || header.Contains("\"descr\"", StringComparison.Ordinal))
                throw new DataFormatException(source, "NPY dtype is not a simple numeric type (structured or object arrays are not supported)");
            throw new DataFormatException(source, "NPY header has no 'descr' entry");
        }
        var fortran = FortranPattern().Match(header);
        if (!fortran.Success) throw new DataFormatException(source, "NPY header has no 'fortran_order' entry");
        if (fortran.Groups[1].Value == "True")
            throw new DataFormatException(source, "NPY array is in Fortran (column-major) order; save it with numpy.ascontiguousarray first (C order expected)");
        var shapeMatch = ShapePattern().Match(header);
        if (!shapeMatch.Success) throw new DataFormatException(source, "NPY header has no 'shape' tuple");

        string d = descr.Groups[1].Value;
        if (d.Length < 3) throw new DataFormatException(source, $"NPY dtype '{d}' not understood");
        char order = d[0];
        bool bigEndian = order switch
        {
            '<' or '|' or '=' => false,
            '>' => true,
            _ => throw new DataFormatException(source, $"NPY dtype '{d}' has no byte-order mark"),
        };
        NpyDType type = d[1..] switch
        {
            "b1" => NpyDType.Bool,
            "i1" => NpyDType.Int8,
            "u1" => NpyDType.UInt8,
            "i2" => NpyDType.Int16,
            "u2" => NpyDType.UInt16,
            "i4" => NpyDType.Int32,
            "u4" => NpyDType.UInt32,
            "i8" => NpyDType.Int64,
            "u8" => NpyDType.UInt64,
            "f4" => NpyDType.Float32,
            "f8" => NpyDType.Float64,
            _ => throw new DataFormatException(source, $"unsupported NPY dtype '{d}', expected bool, int8..int64, uint8..uint64, float32 or float64"),
        };

        var dims = new List<int>();
        foreach (var part in shapeMatch.Groups[1].Value.Split(','))
        {
            var t = part.Trim();
            if (t.Length == 0) continue;
            if (t.EndsWith('L')) t = t[..^1];
            if (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int dim))
                throw new DataFormatException(source, $"NPY shape ({shapeMatch.Groups[1].Value}) has a dimension '{t}' that is not an int ≥ 0");
            dims.Add(dim);
        }
        return (type, bigEndian, dims.ToArray());
    }

    private static string Describe(NpyDType type) => NpyArray.Descr(type);

    [GeneratedRegex("""['"]descr['"]\s*:\s*['"]([^'"]*)['"]""")]
    private static partial Regex DescrPattern();

    [GeneratedRegex("""['"]fortran_order['"]\s*:\s*(True|False)""")]
    private static partial Regex FortranPattern();

    [GeneratedRegex("""['"]shape['"]\s*:\s*\(([^)]*)\)""")]
    private static partial Regex ShapePattern();
}
