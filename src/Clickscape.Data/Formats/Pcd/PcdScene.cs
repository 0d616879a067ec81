using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.Pcd;

/// <summary>
/// Point Cloud Library PCD files, v0.5–0.7 (pointclouds.org "The PCD file format"): a text header
/// (<c>VERSION FIELDS SIZE TYPE COUNT WIDTH HEIGHT VIEWPOINT POINTS DATA</c>, <c>#</c> comments) and a body that is
/// <c>ascii</c> (one point per line), <c>binary</c> (little-endian records, fields in header order) or
/// <c>binary_compressed</c> (uint32 compressed size, uint32 uncompressed size, LZF data that decompresses to the
/// fields one after another, each for every point — column-major).
/// </summary>
/// <remarks>
/// Fields read: <c>x y z</c>; colour as <c>rgb</c> / <c>rgba</c> (PCL packs 0x00RRGGBB into a float's or uint32's
/// bits) or separate <c>r g b</c>; <c>normal_x normal_y normal_z</c>; <c>label</c> / <c>semantic</c> / <c>class</c> as the
/// semantic label and <c>object</c> / <c>instance</c> / <c>instance_id</c> as the instance id (the fields of PCL's
/// <c>PointXYZRGBL</c> and of labelling tools), read with <see cref="ColumnMap"/>'s label rules. Other fields
/// (<c>intensity</c>, padding <c>_</c>) are skipped. Points whose x, y or z is NaN — the invalid pixels of organized
/// clouds — are dropped, as PCL's <c>removeNaNFromPointCloud</c> does.
/// </remarks>
public static class PcdScene
{
    private sealed record Field(string Name, int Size, char Type, int Count, int Offset);

    /// <summary>Reads the PCD at <paramref name="path"/> as a scene named after the file.</summary>
    public static Scene Load(string path) => Parse(File.ReadAllBytes(path), Path.GetFileNameWithoutExtension(path), path);

    /// <summary>Parses PCD bytes; <paramref name="source"/> names the file in errors.</summary>
    public static Scene Parse(byte[] bytes, string name, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var (fields, points, data, bodyStart) = ReadHeader(bytes, source);
        long pointBytes = fields.Sum(f => (long)f.Size * f.Count), pointValues = fields.Sum(f => (long)f.Count);
        if (pointBytes > 1 << 24) throw new DataFormatException(source, $"PCD point of {pointBytes} bytes (SIZE × COUNT over FIELDS) is more than this reader holds");
        int pointSize = (int)pointBytes, valuesPerPoint = (int)pointValues;
        if ((long)points * valuesPerPoint > Array.MaxLength)
            throw new DataFormatException(source, $"PCD declares {points} points of {valuesPerPoint} values, more than this reader holds");
        double[] values = data switch
        {
            "ascii" => Ascii(bytes, bodyStart, points, valuesPerPoint, source),
            "binary" => Binary(Body(bytes, bodyStart, (long)points * pointSize, source), fields, points, pointSize, columnMajor: false),
            "binary_compressed" => Binary(Compressed(bytes, bodyStart, (long)points * pointSize, source), fields, points, pointSize, columnMajor: true),
            _ => throw new DataFormatException(source, $"PCD DATA '{Shorten(data)}', expected ascii, binary or binary_compressed"),
        };
        return ToScene(values, fields, points, valuesPerPoint, name, source);
    }

    private static (List<Field> Fields, int Points, string Data, int BodyStart) ReadHeader(byte[] bytes, string source)
    {
        string[]? names = null, sizes = null, types = null, counts = null;
        long width = -1, height = 1, points = -1;
        int pos = 0;
        while (pos < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', pos);
            if (end < 0) end = bytes.Length;
            if (end - pos > 1 << 16) throw new DataFormatException(source, "PCD header line longer than 64 KiB");
            var line = Encoding.ASCII.GetString(bytes, pos, end - pos).Trim();
            pos = Math.Min(end + 1, bytes.Length);
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            string key = parts[0].ToUpperInvariant();
            var rest = parts[1..];
            switch (key)
            {
                case "VERSION" or "VIEWPOINT":
                    break;
                case "FIELDS" or "COLUMNS":
                    names = rest;
                    break;
                case "SIZE":
                    sizes = rest;
                    break;
                case "TYPE":
                    types = rest;
                    break;
                case "COUNT":
                    counts = rest;
                    break;
                case "WIDTH":
                    width = Count(rest, key, source);
                    break;
                case "HEIGHT":
                    height = Count(rest, key, source);
                    break;
                case "POINTS":
                    points = Count(rest, key, source);
                    break;
                case "DATA":
                    if (names is null || sizes is null || types is null)
                        throw new DataFormatException(source, "PCD header reaches DATA without FIELDS, SIZE and TYPE");
                    if (rest.Length != 1) throw new DataFormatException(source, "PCD DATA line must name one of ascii, binary, binary_compressed");
                    if (points < 0) points = width >= 0 ? width * height : throw new DataFormatException(source, "PCD header has neither POINTS nor WIDTH");
                    if (width >= 0 && width * height != points)
                        throw new DataFormatException(source, $"PCD WIDTH × HEIGHT = {width * height}, POINTS = {points}; expected them equal");
                    if (points > int.MaxValue / 3) throw new DataFormatException(source, $"PCD POINTS {points} is more than this reader holds");
                    return (Fields(names, sizes, types, counts, source), (int)points, rest[0].ToLowerInvariant(), pos);
                default:
                    throw new DataFormatException(source, $"PCD header line '{Shorten(line)}' is not a header keyword (expected VERSION, FIELDS, SIZE, TYPE, COUNT, WIDTH, HEIGHT, VIEWPOINT, POINTS, DATA)");
            }
        }
        throw new DataFormatException(source, "not a PCD file: no DATA line in the header");
    }

    private static long Count(string[] rest, string key, string source) =>
        rest.Length == 1 && long.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out long v)
            ? v
            : throw new DataFormatException(source, $"PCD {key} '{Shorten(string.Join(' ', rest))}' is not a count ≥ 0");

    private static List<Field> Fields(string[] names, string[] sizes, string[] types, string[]? counts, string source)
    {
        if (sizes.Length != names.Length || types.Length != names.Length || (counts is not null && counts.Length != names.Length))
            throw new DataFormatException(source, $"PCD header lists {names.Length} FIELDS but {sizes.Length} SIZE, {types.Length} TYPE{(counts is null ? "" : $", {counts.Length} COUNT")} entries");
        var fields = new List<Field>();
        int offset = 0;
        for (int i = 0; i < names.Length; i++)
        {
            char type = types[i].Length == 1 ? char.ToUpperInvariant(types[i][0]) : '?';
            if (!int.TryParse(sizes[i], NumberStyles.None, CultureInfo.InvariantCulture, out int size)
                || !(type switch { 'F' => size is 4 or 8, 'I' or 'U' => size is 1 or 2 or 4 or 8, _ => false }))
                throw new DataFormatException(source, $"PCD field '{Shorten(names[i])}' has TYPE {Shorten(types[i])} SIZE {Shorten(sizes[i])}; expected F 4/8, I or U 1/2/4/8");
            int count = 1;
            if (counts is not null && (!int.TryParse(counts[i], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > 1 << 16))
                throw new DataFormatException(source, $"PCD field '{Shorten(names[i])}' has COUNT {Shorten(counts[i])}, expected 1..65536");
            fields.Add(new Field(names[i], size, type, count, offset));
            offset += count;
        }
        foreach (var axis in new[] { "x", "y", "z" })
        {
            if (!fields.Any(f => f.Name == axis && f.Count == 1)) throw new DataFormatException(source, $"PCD has no '{axis}' field (FIELDS {Shorten(string.Join(' ', names))})");
        }
        return fields;
    }

    private static ReadOnlySpan<byte> Body(byte[] bytes, int start, long length, string source)
    {
        if (bytes.Length - start < length)
            throw new DataFormatException(source, $"PCD binary body has {bytes.Length - start} bytes, POINTS × point size needs {length}");
        return bytes.AsSpan(start, (int)length);
    }

    private static byte[] Compressed(byte[] bytes, int start, long length, string source)
    {
        if (bytes.Length - start < 8) throw new DataFormatException(source, "PCD binary_compressed body has no size words");
        uint compressed = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(start));
        uint uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(start + 4));
        if (uncompressed != length)
            throw new DataFormatException(source, $"PCD binary_compressed declares {uncompressed} uncompressed bytes, POINTS × point size is {length}");
        if (compressed > bytes.Length - start - 8)
            throw new DataFormatException(source, $"PCD binary_compressed declares {compressed} compressed bytes, the file has {bytes.Length - start - 8}");
        if (length == 0) return [];
        return Lzf.Decompress(bytes.AsSpan(start + 8, (int)compressed), (int)length, source);
    }

    private static double[] Ascii(byte[] bytes, int start, int points, int valuesPerPoint, string source)
    {
        if ((long)points * valuesPerPoint > (bytes.Length - start + 1L) / 2)
            throw new DataFormatException(source, $"PCD ascii body of {bytes.Length - start} bytes cannot hold {points} points of {valuesPerPoint} values");
        var values = new double[points * valuesPerPoint];
        var text = Encoding.ASCII.GetString(bytes, start, bytes.Length - start);
        int row = 0, line = 0;
        foreach (var raw in text.Split('\n'))
        {
            line++;
            var tokens = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0) continue;
            if (row == points) throw new DataFormatException(source, $"PCD ascii body has more than the {points} points the header declares (body line {line})");
            if (tokens.Length != valuesPerPoint)
                throw new DataFormatException(source, $"PCD ascii body line {line} has {tokens.Length} values, the header declares {valuesPerPoint}");
            for (int k = 0; k < valuesPerPoint; k++)
            {
                if (!double.TryParse(tokens[k], NumberStyles.Float, CultureInfo.InvariantCulture, out values[(row * valuesPerPoint) + k]))
                    throw new DataFormatException(source, $"PCD ascii body line {line}: '{Shorten(tokens[k])}' is not a number");
            }
            row++;
        }
        if (row != points) throw new DataFormatException(source, $"PCD ascii body has {row} points, the header declares {points}");
        return values;
    }

    private static double[] Binary(ReadOnlySpan<byte> body, List<Field> fields, int points, int pointSize, bool columnMajor)
    {
        int valuesPerPoint = fields.Sum(f => f.Count);
        var values = new double[points * valuesPerPoint];
        int fieldStart = 0, byteOffset = 0;
        foreach (var f in fields)
        {
            for (int p = 0; p < points; p++)
            {
                for (int k = 0; k < f.Count; k++)
                {
                    // Row-major: point p's record, then the field's bytes; column-major: the field's block, then point p.
                    int at = columnMajor ? (fieldStart * points) + (((p * f.Count) + k) * f.Size) : (p * pointSize) + byteOffset + (k * f.Size);
                    values[(p * valuesPerPoint) + f.Offset + k] = Value(body.Slice(at, f.Size), f.Type);
                }
            }
            fieldStart += f.Size * f.Count;
            byteOffset += f.Size * f.Count;
        }
        return values;
    }

    private static double Value(ReadOnlySpan<byte> b, char type) => (type, b.Length) switch
    {
        ('F', 4) => BinaryPrimitives.ReadSingleLittleEndian(b),
        ('F', _) => BinaryPrimitives.ReadDoubleLittleEndian(b),
        ('I', 1) => (sbyte)b[0],
        ('I', 2) => BinaryPrimitives.ReadInt16LittleEndian(b),
        ('I', 4) => BinaryPrimitives.ReadInt32LittleEndian(b),
        ('I', _) => BinaryPrimitives.ReadInt64LittleEndian(b),
        ('U', 1) => b[0],
        ('U', 2) => BinaryPrimitives.ReadUInt16LittleEndian(b),
        ('U', 4) => BinaryPrimitives.ReadUInt32LittleEndian(b),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(b),
    };

    private static Scene ToScene(double[] values, List<Field> fields, int points, int stride, string name, string source)
    {
        Field? Find(params string[] names) => fields.FirstOrDefault(f => f.Count == 1 && names.Contains(f.Name, StringComparer.OrdinalIgnoreCase));
        int x = Find("x")!.Offset, y = Find("y")!.Offset, z = Find("z")!.Offset;
        var keep = new List<int>(points);
        for (int p = 0; p < points; p++)
        {
            if (!(double.IsNaN(values[(p * stride) + x]) || double.IsNaN(values[(p * stride) + y]) || double.IsNaN(values[(p * stride) + z]))) keep.Add(p);
        }
        int n = keep.Count;
        var positions = new float[3 * n];
        for (int j = 0; j < n; j++)
        {
            int row = keep[j] * stride;
            positions[3 * j] = (float)values[row + x];
            positions[(3 * j) + 1] = (float)values[row + y];
            positions[(3 * j) + 2] = (float)values[row + z];
        }
        var scene = new Scene(name, positions);

        var packed = Find("rgb", "rgba");
        var (r, g, b) = (Find("r", "red"), Find("g", "green"), Find("b", "blue"));
        if (packed is not null)
        {
            var colors = new byte[3 * n];
            for (int j = 0; j < n; j++)
            {
                // PCL stores 0x00RRGGBB in the 4 bytes of a float (TYPE F) or a uint32 (TYPE U); its ascii writer prints
                // those bits as an unsigned integer. The float of packed bits is below 2.4e-38, so a whole number ≥ 1
                // can only be the integer spelling.
                double v = values[(keep[j] * stride) + packed.Offset];
                uint bits = v >= 1 && v <= uint.MaxValue && v == Math.Floor(v) ? (uint)v
                    : packed.Type == 'F' && packed.Size == 4 ? BitConverter.SingleToUInt32Bits((float)v)
                    : double.IsFinite(v) && v >= 0 && v <= uint.MaxValue ? (uint)v : 0;
                colors[3 * j] = (byte)(bits >> 16);
                colors[(3 * j) + 1] = (byte)(bits >> 8);
                colors[(3 * j) + 2] = (byte)bits;
            }
            scene.Colors = colors;
        }
        else if (r is not null && g is not null && b is not null)
        {
            var table = new double[3 * n];
            for (int j = 0; j < n; j++)
            {
                table[3 * j] = values[(keep[j] * stride) + r.Offset];
                table[(3 * j) + 1] = values[(keep[j] * stride) + g.Offset];
                table[(3 * j) + 2] = values[(keep[j] * stride) + b.Offset];
            }
            scene.Colors = new ColumnMap([PointColumn.R, PointColumn.G, PointColumn.B, PointColumn.X, PointColumn.Y, PointColumn.Z])
                .ToScene(Interleave(table, n), n, name, source).Colors;
        }
        if (Find("normal_x") is { } nx && Find("normal_y") is { } ny && Find("normal_z") is { } nz)
        {
            var normals = new float[3 * n];
            for (int j = 0; j < n; j++)
            {
                normals[3 * j] = (float)values[(keep[j] * stride) + nx.Offset];
                normals[(3 * j) + 1] = (float)values[(keep[j] * stride) + ny.Offset];
                normals[(3 * j) + 2] = (float)values[(keep[j] * stride) + nz.Offset];
            }
            scene.Normals = normals;
        }
        if (Find("label", "semantic", "class", "semantic_label") is { } sem) scene.SemanticLabels = ColumnMap.SemanticColumn(Column(values, keep, stride, sem.Offset), n, 1, 0, source);
        if (Find("object", "instance", "instance_id", "instance_label") is { } ins) scene.InstanceIds = ColumnMap.InstanceColumn(Column(values, keep, stride, ins.Offset), n, 1, 0, source);
        if (scene.Validate() is { } problem) throw new DataFormatException(source, problem);
        return scene;
    }

    // r g b + three zero coordinates per point, so the colour rules of ColumnMap (0–255, or 0–1 scaled) apply.
    private static double[] Interleave(double[] rgb, int n)
    {
        var rows = new double[6 * n];
        for (int j = 0; j < n; j++)
        {
            rows[6 * j] = rgb[3 * j];
            rows[(6 * j) + 1] = rgb[(3 * j) + 1];
            rows[(6 * j) + 2] = rgb[(3 * j) + 2];
        }
        return rows;
    }

    private static double[] Column(double[] values, List<int> keep, int stride, int offset)
    {
        var column = new double[keep.Count];
        for (int j = 0; j < keep.Count; j++) column[j] = values[(keep[j] * stride) + offset];
        return column;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
