using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.Ply;

/// <summary>
/// Writes a <see cref="PlyData"/> in any of the three PLY encodings, atomically (temporary file + rename).
/// Binary bodies are assembled in one buffer row by row; ASCII numbers use the shortest text that parses
/// back to the same bits, so every encoding round-trips exactly through <see cref="PlyReader"/>.
/// </summary>
public static class PlyWriter
{
    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/> in <paramref name="format"/>.</summary>
    public static void Write(string path, PlyData data, PlyFormat format) =>
        AtomicFile.Write(path, stream => Write(stream, data, format));

    /// <summary>Writes <paramref name="data"/> to <paramref name="stream"/> in <paramref name="format"/>.</summary>
    public static void Write(Stream stream, PlyData data, PlyFormat format)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(data);
        var header = new StringBuilder();
        header.Append("ply\n");
        header.Append(CultureInfo.InvariantCulture, $"format {FormatName(format)} 1.0\n");
        foreach (var c in data.Comments) header.Append("comment ").Append(OneLine(c)).Append('\n');
        foreach (var o in data.ObjInfo) header.Append("obj_info ").Append(OneLine(o)).Append('\n');
        foreach (var element in data.Elements)
        {
            header.Append(CultureInfo.InvariantCulture, $"element {element.Name} {element.Count}\n");
            foreach (var p in element.Properties)
            {
                Check(element, p);
                if (p.CountType is { } countType)
                    header.Append(CultureInfo.InvariantCulture, $"property list {countType.HeaderName()} {p.Type.HeaderName()} {p.Name}\n");
                else
                    header.Append(CultureInfo.InvariantCulture, $"property {p.Type.HeaderName()} {p.Name}\n");
            }
        }
        header.Append("end_header\n");
        stream.Write(Encoding.ASCII.GetBytes(header.ToString()));

        if (format == PlyFormat.Ascii) WriteAscii(stream, data);
        else WriteBinary(stream, data, format == PlyFormat.BinaryBigEndian);
    }

    private static void WriteBinary(Stream stream, PlyData data, bool bigEndian)
    {
        // A 64 KiB staging buffer: every value is one span write, flushed when fewer than 8 bytes remain.
        var buffer = new byte[1 << 16];
        int pos = 0;
        foreach (var element in data.Elements)
        {
            for (int r = 0; r < element.Count; r++)
            {
                foreach (var p in element.Properties)
                {
                    if (p.Offsets is not { } offsets)
                    {
                        if (pos > buffer.Length - 8) Flush(stream, buffer, ref pos);
                        p.Values.WriteBinary(r, buffer.AsSpan(pos), bigEndian);
                        pos += p.Type.Size();
                        continue;
                    }
                    int start = offsets[r], end = offsets[r + 1];
                    if (pos > buffer.Length - 8) Flush(stream, buffer, ref pos);
                    pos += WriteCount(buffer.AsSpan(pos), p.CountType!.Value, end - start, bigEndian, element, p);
                    int size = p.Type.Size();
                    for (int j = start; j < end; j++)
                    {
                        if (pos > buffer.Length - 8) Flush(stream, buffer, ref pos);
                        p.Values.WriteBinary(j, buffer.AsSpan(pos), bigEndian);
                        pos += size;
                    }
                }
            }
        }
        Flush(stream, buffer, ref pos);
    }

    private static void Flush(Stream stream, byte[] buffer, ref int pos)
    {
        stream.Write(buffer, 0, pos);
        pos = 0;
    }

    private static void WriteAscii(Stream stream, PlyData data)
    {
        var buffer = new byte[1 << 16];
        int pos = 0;
        void Flush()
        {
            stream.Write(buffer, 0, pos);
            pos = 0;
        }
        foreach (var element in data.Elements)
        {
            for (int r = 0; r < element.Count; r++)
            {
                bool first = true;
                foreach (var p in element.Properties)
                {
                    if (p.Offsets is not { } offsets)
                    {
                        if (pos > buffer.Length - 64) Flush();
                        if (!first) buffer[pos++] = (byte)' ';
                        pos += p.Values.FormatAscii(r, buffer.AsSpan(pos));
                        first = false;
                        continue;
                    }
                    int start = offsets[r], end = offsets[r + 1];
                    if (pos > buffer.Length - 64) Flush();
                    if (!first) buffer[pos++] = (byte)' ';
                    first = false;
                    (end - start).TryFormat(buffer.AsSpan(pos), out int written, default, CultureInfo.InvariantCulture);
                    pos += written;
                    for (int j = start; j < end; j++)
                    {
                        if (pos > buffer.Length - 64) Flush();
                        buffer[pos++] = (byte)' ';
                        pos += p.Values.FormatAscii(j, buffer.AsSpan(pos));
                    }
                }
                buffer[pos++] = (byte)'\n';
            }
        }
        Flush();
    }

    private static int WriteCount(Span<byte> destination, PlyScalarType type, int count, bool bigEndian, PlyElement element, PlyProperty p)
    {
        long max = type switch
        {
            PlyScalarType.Int8 => sbyte.MaxValue,
            PlyScalarType.UInt8 => byte.MaxValue,
            PlyScalarType.Int16 => short.MaxValue,
            PlyScalarType.UInt16 => ushort.MaxValue,
            _ => int.MaxValue,
        };
        if (count > max)
            throw new ArgumentException($"PLY element '{element.Name}' list '{p.Name}' has a row of {count} items, more than its {type.HeaderName()} count can hold");
        switch (type)
        {
            case PlyScalarType.Int8 or PlyScalarType.UInt8: destination[0] = (byte)count; break;
            case PlyScalarType.Int16 or PlyScalarType.UInt16:
                if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)count);
                else BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)count);
                break;
            case PlyScalarType.Int32 or PlyScalarType.UInt32:
                if (bigEndian) BinaryPrimitives.WriteInt32BigEndian(destination, count);
                else BinaryPrimitives.WriteInt32LittleEndian(destination, count);
                break;
            default: throw new ArgumentException($"PLY list '{p.Name}': count type must be an integer type");
        }
        return type.Size();
    }

    private static void Check(PlyElement element, PlyProperty p)
    {
        if (p.Offsets is { } offsets)
        {
            if (offsets.Length != element.Count + 1) throw new ArgumentException($"PLY list '{p.Name}' has {offsets.Length - 1} rows, element '{element.Name}' has {element.Count}");
        }
        else if (p.Values.Length != element.Count)
        {
            throw new ArgumentException($"PLY property '{p.Name}' has {p.Values.Length} values, element '{element.Name}' has {element.Count} rows");
        }
        if (p.Name.Length == 0 || p.Name.Any(char.IsWhiteSpace)) throw new ArgumentException($"PLY property name '{p.Name}' must be one word");
    }

    private static string FormatName(PlyFormat format) => format switch
    {
        PlyFormat.Ascii => "ascii",
        PlyFormat.BinaryLittleEndian => "binary_little_endian",
        PlyFormat.BinaryBigEndian => "binary_big_endian",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a PLY format"),
    };

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");
}
