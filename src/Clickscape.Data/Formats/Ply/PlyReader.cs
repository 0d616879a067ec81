using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.Ply;

/// <summary>
/// Reads PLY files (Turk 1994, "The PLY Polygon File Format") in all three encodings into a
/// <see cref="PlyData"/>: every element, every property, any scalar type, list properties with any count and
/// item types. The whole file is read into memory once and the body is parsed from a span: fixed-size binary
/// rows column by column, rows with lists (faces) sequentially, ASCII token by token.
/// </summary>
/// <remarks>
/// Every inconsistency is a <see cref="DataFormatException"/> naming the file: a missing or garbled header,
/// an unknown format or type, counts the body cannot hold (a truncated file or a header that lies), a
/// negative or impossible list count, a token that is not a number of its property's type, a body longer than the
/// header declares. Allocations are
/// bounded by the body size before they happen, so a header claiming 2³¹ vertices fails cleanly.
/// </remarks>
public static class PlyReader
{
    private const int MaxHeaderBytes = 1 << 20;

    /// <summary>Reads the PLY file at <paramref name="path"/>.</summary>
    public static PlyData Read(string path)
    {
        var bytes = InputFile.ReadAllBytes(path);
        return Parse(bytes, path);
    }

    /// <summary>Parses PLY <paramref name="bytes"/>; <paramref name="source"/> names them in errors.</summary>
    public static PlyData Parse(ReadOnlySpan<byte> bytes, string source)
    {
        var (data, declarations, bodyStart) = ParseHeader(bytes, source);
        var body = bytes[bodyStart..];
        if (data.Format == PlyFormat.Ascii) ParseAsciiBody(body, data, declarations, source);
        else ParseBinaryBody(body, data, declarations, data.Format == PlyFormat.BinaryBigEndian, source);
        return data;
    }

    private readonly record struct PropertyDeclaration(string Name, PlyScalarType Type, PlyScalarType? CountType);

    private static (PlyData Data, List<List<PropertyDeclaration>> Declarations, int BodyStart) ParseHeader(ReadOnlySpan<byte> bytes, string source)
    {
        var data = new PlyData();
        var declarations = new List<List<PropertyDeclaration>>();
        bool sawFormat = false;
        int pos = 0;
        int lineNumber = 0;
        while (true)
        {
            if (pos >= bytes.Length)
                throw new DataFormatException(source, lineNumber == 0 ? "empty file, expected a PLY header starting with 'ply'" : "PLY header has no 'end_header' line");
            if (pos > MaxHeaderBytes) throw new DataFormatException(source, $"PLY header longer than {MaxHeaderBytes} bytes without 'end_header'");
            int nl = bytes[pos..].IndexOf((byte)'\n');
            int end = nl < 0 ? bytes.Length : pos + nl;
            var lineBytes = bytes[pos..end];
            if (lineBytes.Length > 0 && lineBytes[^1] == (byte)'\r') lineBytes = lineBytes[..^1];
            pos = nl < 0 ? bytes.Length : end + 1;
            lineNumber++;
            string line = Encoding.Latin1.GetString(lineBytes);

            if (lineNumber == 1)
            {
                if (line.Trim() != "ply") throw new DataFormatException(source, "not a PLY file: the first line must be 'ply'");
                continue;
            }
            var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0) continue;
            switch (tokens[0])
            {
                case "comment":
                    data.Comments.Add(line.Length > 8 ? line[8..] : "");
                    break;
                case "obj_info":
                    data.ObjInfo.Add(line.Length > 9 ? line[9..] : "");
                    break;
                case "format":
                    if (tokens.Length != 3) throw new DataFormatException(source, $"PLY header line {lineNumber}: expected 'format <ascii|binary_little_endian|binary_big_endian> 1.0', got '{line}'");
                    data.Format = tokens[1] switch
                    {
                        "ascii" => PlyFormat.Ascii,
                        "binary_little_endian" => PlyFormat.BinaryLittleEndian,
                        "binary_big_endian" => PlyFormat.BinaryBigEndian,
                        _ => throw new DataFormatException(source, $"unsupported PLY format '{tokens[1]}', expected ascii, binary_little_endian or binary_big_endian"),
                    };
                    if (tokens[2] is not ("1.0" or "1"))
                        throw new DataFormatException(source, $"unsupported PLY version '{tokens[2]}', expected 1.0");
                    sawFormat = true;
                    break;
                case "element":
                    if (tokens.Length != 3 || !long.TryParse(tokens[2], NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count > int.MaxValue)
                        throw new DataFormatException(source, $"PLY header line {lineNumber}: expected 'element <name> <count ≥ 0>', got '{line}'");
                    data.Elements.Add(new PlyElement(tokens[1], (int)count));
                    declarations.Add([]);
                    break;
                case "property":
                    if (declarations.Count == 0) throw new DataFormatException(source, $"PLY header line {lineNumber}: property before any element");
                    declarations[^1].Add(ParseProperty(tokens, line, lineNumber, source));
                    break;
                case "end_header":
                    if (!sawFormat) throw new DataFormatException(source, "PLY header has no 'format' line");
                    for (int e = 0; e < declarations.Count; e++)
                    {
                        var names = new HashSet<string>();
                        foreach (var p in declarations[e])
                        {
                            if (!names.Add(p.Name)) throw new DataFormatException(source, $"PLY element '{data.Elements[e].Name}' declares property '{p.Name}' twice");
                        }
                    }
                    return (data, declarations, pos);
                default:
                    throw new DataFormatException(source, $"PLY header line {lineNumber}: unexpected '{Shorten(line)}', expected format/element/property/comment/end_header");
            }
        }
    }

    private static PropertyDeclaration ParseProperty(string[] tokens, string line, int lineNumber, string source)
    {
        if (tokens.Length >= 2 && tokens[1] == "list")
        {
            if (tokens.Length != 5 || !PlyScalarTypes.TryParse(tokens[2], out var countType) || !PlyScalarTypes.TryParse(tokens[3], out var itemType))
                throw new DataFormatException(source, $"PLY header line {lineNumber}: expected 'property list <count type> <item type> <name>', got '{Shorten(line)}'");
            if (!countType.IsInteger())
                throw new DataFormatException(source, $"PLY header line {lineNumber}: list count type must be an integer type, got '{tokens[2]}'");
            return new PropertyDeclaration(tokens[4], itemType, countType);
        }
        if (tokens.Length != 3 || !PlyScalarTypes.TryParse(tokens[1], out var type))
            throw new DataFormatException(source, $"PLY header line {lineNumber}: expected 'property <type> <name>' with type char/uchar/short/ushort/int/uint/float/double, got '{Shorten(line)}'");
        return new PropertyDeclaration(tokens[2], type, null);
    }

    private static void ParseBinaryBody(ReadOnlySpan<byte> body, PlyData data, List<List<PropertyDeclaration>> declarations, bool bigEndian, string source)
    {
        long pos = 0;
        for (int e = 0; e < data.Elements.Count; e++)
        {
            var element = data.Elements[e];
            var props = declarations[e];
            int count = element.Count;
            long remaining = body.Length - pos;
            bool hasList = props.Exists(p => p.CountType is not null);
            long minRow = 0;
            foreach (var p in props) minRow += p.CountType is { } ct ? ct.Size() : p.Type.Size();
            if (minRow * count > remaining)
                throw new DataFormatException(source, $"PLY body truncated: header declares {count} '{element.Name}' rows of at least {minRow} bytes, only {remaining} bytes remain");

            if (!hasList)
            {
                // Fixed-size rows: parse column by column at the row stride.
                int offset = 0;
                var rows = body.Slice((int)pos, (int)(minRow * count));
                foreach (var p in props)
                {
                    var column = PlyColumn.Create(p.Type, count);
                    column.ReadStrided(rows, count, (int)minRow, offset, bigEndian);
                    element.AddScalar(p.Name, column);
                    offset += p.Type.Size();
                }
                pos += minRow * count;
                continue;
            }

            if (props.Count == 1 && props[0].CountType == PlyScalarType.UInt8 && props[0].Type is PlyScalarType.Int32 or PlyScalarType.UInt32)
            {
                pos = ParseTriangleLikeList(body, pos, element, props[0], bigEndian, source);
                continue;
            }

            // Rows with lists: sequential.
            var columns = new PlyColumn[props.Count];
            var offsets = new int[props.Count][];
            var filled = new int[props.Count];
            for (int k = 0; k < props.Count; k++)
            {
                var p = props[k];
                if (p.CountType is null)
                {
                    columns[k] = PlyColumn.Create(p.Type, count);
                }
                else
                {
                    long guess = Math.Min(3L * count, remaining / p.Type.Size());
                    columns[k] = PlyColumn.Create(p.Type, (int)Math.Min(guess, Array.MaxLength));
                    offsets[k] = new int[count + 1];
                }
            }
            for (int r = 0; r < count; r++)
            {
                for (int k = 0; k < props.Count; k++)
                {
                    var p = props[k];
                    if (p.CountType is not { } countType)
                    {
                        int size = p.Type.Size();
                        if (pos + size > body.Length) throw Truncated(source, element, r, count);
                        columns[k].ReadBinary(r, body.Slice((int)pos), bigEndian);
                        pos += size;
                        continue;
                    }
                    int countSize = countType.Size();
                    if (pos + countSize > body.Length) throw Truncated(source, element, r, count);
                    long n = ReadCount(body.Slice((int)pos), countType, bigEndian);
                    pos += countSize;
                    int itemSize = p.Type.Size();
                    if (n < 0) throw new DataFormatException(source, $"PLY '{element.Name}' row {r}: list '{p.Name}' has negative count {n}");
                    if (n * itemSize > body.Length - pos)
                        throw new DataFormatException(source, $"PLY '{element.Name}' row {r}: list '{p.Name}' claims {n} items, only {body.Length - pos} bytes remain");
                    int start = filled[k];
                    if (start + n > Array.MaxLength) throw new DataFormatException(source, $"PLY list '{p.Name}' holds more than {Array.MaxLength} items in total");
                    EnsureCapacity(columns[k], start + (int)n);
                    columns[k].ReadBinaryRun(start, (int)n, body.Slice((int)pos), bigEndian);
                    pos += n * itemSize;
                    filled[k] = start + (int)n;
                    offsets[k][r + 1] = filled[k];
                }
            }
            AddColumns(element, props, columns, offsets, filled);
        }
        if (pos < body.Length)
            throw new DataFormatException(source, $"PLY body is {body.Length - pos} bytes longer than the header declares (a wrong element count, or another file appended)");
    }

    /// <summary>
    /// The face element of nearly every mesh (ScanNet, Open3D, MeshLab): one list of a uchar count and 32-bit
    /// indices. Read without per-value dispatch: one bounds check per row, then a block copy of the indices.
    /// </summary>
    private static long ParseTriangleLikeList(ReadOnlySpan<byte> body, long start, PlyElement element, PropertyDeclaration p, bool bigEndian, string source)
    {
        int count = element.Count;
        long pos = start;
        var values = new int[(int)Math.Min(Math.Min(3L * count, (body.Length - pos) / 4), Array.MaxLength)];
        var offsets = new int[count + 1];
        int filled = 0;
        for (int r = 0; r < count; r++)
        {
            if (pos >= body.Length) throw Truncated(source, element, r, count);
            int n = body[(int)pos];
            pos++;
            long bytes = 4L * n;
            if (bytes > body.Length - pos)
                throw new DataFormatException(source, $"PLY '{element.Name}' row {r}: list '{p.Name}' claims {n} items, only {body.Length - pos} bytes remain");
            if (filled + n > values.Length) Array.Resize(ref values, (int)Math.Min(Math.Max(filled + n, 2L * values.Length), Array.MaxLength));
            var run = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(body.Slice((int)pos, (int)bytes));
            var destination = values.AsSpan(filled, n);
            run.CopyTo(destination);
            if (bigEndian) BinaryPrimitives.ReverseEndianness(destination, destination);
            filled += n;
            offsets[r + 1] = filled;
            pos += bytes;
        }
        Array.Resize(ref values, filled);
        PlyColumn column = p.Type == PlyScalarType.Int32
            ? new PlyColumn<int>(values)
            : new PlyColumn<uint>(System.Runtime.InteropServices.MemoryMarshal.Cast<int, uint>(values).ToArray());
        element.AddList(p.Name, PlyScalarType.UInt8, column, offsets);
        return pos;
    }

    private static void ParseAsciiBody(ReadOnlySpan<byte> body, PlyData data, List<List<PropertyDeclaration>> declarations, string source)
    {
        int pos = 0;
        for (int e = 0; e < data.Elements.Count; e++)
        {
            var element = data.Elements[e];
            var props = declarations[e];
            int count = element.Count;
            // Every value takes at least one character and one separator: bound the allocation by the body.
            long minTokens = (long)count * props.Count;
            if (minTokens > (body.Length - pos + 1) / 2)
                throw new DataFormatException(source, $"PLY body truncated: header declares {count} '{element.Name}' rows of {props.Count} values, the remaining {body.Length - pos} characters cannot hold them");
            if (props.Count == 0) continue;
            var columns = new PlyColumn[props.Count];
            var offsets = new int[props.Count][];
            var filled = new int[props.Count];
            for (int k = 0; k < props.Count; k++)
            {
                columns[k] = PlyColumn.Create(props[k].Type, props[k].CountType is null ? count : (int)Math.Min(3L * count, (body.Length - pos + 1) / 2));
                if (props[k].CountType is not null) offsets[k] = new int[count + 1];
            }
            for (int r = 0; r < count; r++)
            {
                for (int k = 0; k < props.Count; k++)
                {
                    var p = props[k];
                    var token = NextToken(body, ref pos);
                    if (token.IsEmpty) throw Truncated(source, element, r, count);
                    if (p.CountType is null)
                    {
                        if (!columns[k].ParseAscii(r, token)) throw BadToken(source, element, r, p.Name, token, p.Type);
                        continue;
                    }
                    if (!long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
                        throw BadToken(source, element, r, p.Name + " (count)", token, p.CountType.Value);
                    if (n < 0) throw new DataFormatException(source, $"PLY '{element.Name}' row {r}: list '{p.Name}' has negative count {n}");
                    if (n > (body.Length - pos + 1) / 2)
                        throw new DataFormatException(source, $"PLY '{element.Name}' row {r}: list '{p.Name}' claims {n} items, the remaining {body.Length - pos} characters cannot hold them");
                    int start = filled[k];
                    EnsureCapacity(columns[k], start + (int)n);
                    for (int j = 0; j < n; j++)
                    {
                        var item = NextToken(body, ref pos);
                        if (item.IsEmpty) throw Truncated(source, element, r, count);
                        if (!columns[k].ParseAscii(start + j, item)) throw BadToken(source, element, r, p.Name, item, p.Type);
                    }
                    filled[k] = start + (int)n;
                    offsets[k][r + 1] = filled[k];
                }
            }
            AddColumns(element, props, columns, offsets, filled);
        }
        var extra = NextToken(body, ref pos);
        if (!extra.IsEmpty)
            throw new DataFormatException(source, $"PLY body holds more values than the header declares: '{Encoding.Latin1.GetString(extra[..Math.Min(extra.Length, 40)])}' after the last '{(data.Elements.Count > 0 ? data.Elements[^1].Name : "element")}' row");
    }

    private static void AddColumns(PlyElement element, List<PropertyDeclaration> props, PlyColumn[] columns, int[][] offsets, int[] filled)
    {
        for (int k = 0; k < props.Count; k++)
        {
            if (props[k].CountType is { } countType)
            {
                columns[k].Resize(filled[k]);
                element.AddList(props[k].Name, countType, columns[k], offsets[k]);
            }
            else
            {
                element.AddScalar(props[k].Name, columns[k]);
            }
        }
    }

    private static void EnsureCapacity(PlyColumn column, int needed)
    {
        if (needed <= column.Length) return;
        long grown = Math.Max(needed, Math.Min(2L * column.Length + 16, Array.MaxLength));
        column.Resize((int)grown);
    }

    private static long ReadCount(ReadOnlySpan<byte> s, PlyScalarType type, bool bigEndian) => type switch
    {
        PlyScalarType.Int8 => (sbyte)s[0],
        PlyScalarType.UInt8 => s[0],
        PlyScalarType.Int16 => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(s) : BinaryPrimitives.ReadInt16LittleEndian(s),
        PlyScalarType.UInt16 => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s),
        PlyScalarType.Int32 => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s),
        PlyScalarType.UInt32 => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s),
        _ => throw new InvalidOperationException("list count types are integers"),
    };

    private static ReadOnlySpan<byte> NextToken(ReadOnlySpan<byte> body, ref int pos)
    {
        while (pos < body.Length && IsSpace(body[pos])) pos++;
        int start = pos;
        while (pos < body.Length && !IsSpace(body[pos])) pos++;
        return body[start..pos];
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\f' or (byte)'\v';

    private static DataFormatException Truncated(string source, PlyElement element, int row, int count) =>
        new(source, $"PLY body truncated in '{element.Name}' row {row} of {count}: the header declares more data than the file holds");

    private static DataFormatException BadToken(string source, PlyElement element, int row, string property, ReadOnlySpan<byte> token, PlyScalarType type) =>
        new(source, $"PLY '{element.Name}' row {row} property '{property}': '{Shorten(Encoding.Latin1.GetString(token))}' is not a {type.HeaderName()}");

    private static string Shorten(string s)
    {
        var clean = new string(s.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length <= 60 ? clean : clean[..60] + "…";
    }
}
