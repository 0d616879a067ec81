using System.Buffers.Binary;
using System.Text;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.Las;

/// <summary>
/// ASPRS LAS 1.0–1.4 point clouds (LAS Specification 1.4 R15, §2): a public header block, variable length records,
/// then fixed-size point records. Coordinates are int32 X Y Z with <c>x = X · scale + offset</c> per axis (header
/// bytes 131 and 155). Point data formats 0–10 are read (0–5 the legacy layout, 6–10 the 1.4 one; waveform
/// packets of 4, 5, 9, 10 are skipped), with RGB where the format has it (2, 3, 5, 7, 8, 10) and the
/// classification as semantic label (formats 0–5: low 5 bits of byte 15; 6–10: byte 16) with the ASPRS class
/// table (<see cref="LasClasses"/>; class 0 "never classified" is <see cref="Labels.Unlabelled"/>).
/// </summary>
/// <remarks>
/// RGB is 16-bit in the standard; files whose channels never exceed 255 stored 8-bit values and are kept, others are
/// shifted down by 8 bits. Georeferenced coordinates (hundreds of kilometres) do not fit float32 at millimetre
/// precision, so each axis whose values exceed 100 km in magnitude is shifted by the whole metre below its minimum;
/// <see cref="LasCloud.Origin"/> says by how much (add it back for world coordinates). LAZ (compressed, point
/// format id with bit 7 set) is refused with a hint to decompress it.
/// </remarks>
public static class LasScene
{
    /// <summary>A LAS file read: the scene, the origin subtracted from its coordinates, version and point format.</summary>
    public sealed record LasCloud(Scene Scene, double[] Origin, string Version, int PointFormat);

    private const double RecentreBeyond = 1e5;

    // Minimum record length, RGB offset (-1 = none) and whether the classification is the 1.4 byte, per format 0..10.
    private static readonly (int Length, int Rgb, bool Extended)[] Formats =
    [
        (20, -1, false), (28, -1, false), (26, 20, false), (34, 28, false), (57, -1, false), (63, 28, false),
        (30, -1, true), (36, 30, true), (38, 30, true), (59, -1, true), (67, 30, true),
    ];

    /// <summary>Reads the LAS file at <paramref name="path"/> as a scene named after the file.</summary>
    public static Scene Load(string path) => Read(path).Scene;

    /// <summary>Reads the LAS file at <paramref name="path"/> with its origin and format.</summary>
    public static LasCloud Read(string path) => Parse(File.ReadAllBytes(path), Path.GetFileNameWithoutExtension(path), path);

    /// <summary>Parses LAS bytes; <paramref name="source"/> names the file in errors.</summary>
    public static LasCloud Parse(byte[] bytes, string name, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var b = bytes.AsSpan();
        if (b.Length < 227 || Encoding.ASCII.GetString(bytes, 0, 4) != "LASF")
            throw new DataFormatException(source, "not a LAS file (expected the signature 'LASF' and a header of at least 227 bytes)");
        int major = b[24], minor = b[25];
        if (major != 1 || minor > 4) throw new DataFormatException(source, $"LAS version {major}.{minor}, expected 1.0–1.4");
        int headerSize = BinaryPrimitives.ReadUInt16LittleEndian(b[94..]);
        uint pointOffset = BinaryPrimitives.ReadUInt32LittleEndian(b[96..]);
        int formatId = b[104];
        int recordLength = BinaryPrimitives.ReadUInt16LittleEndian(b[105..]);
        long count = BinaryPrimitives.ReadUInt32LittleEndian(b[107..]);
        if ((formatId & 0xC0) != 0)
            throw new DataFormatException(source, $"point format id {formatId} has the compression bit set: this is LAZ; decompress it to .las first (laszip -i in.laz -o out.las)");
        if (formatId >= Formats.Length) throw new DataFormatException(source, $"LAS point data format {formatId}, expected 0–10");
        var (minLength, rgbOffset, extended) = Formats[formatId];
        if (recordLength < minLength)
            throw new DataFormatException(source, $"point record length {recordLength} is shorter than point format {formatId}'s {minLength} bytes");
        if (headerSize < 227 || headerSize > b.Length || pointOffset < headerSize || pointOffset > b.Length)
            throw new DataFormatException(source, $"LAS header size {headerSize} / point data offset {pointOffset} do not fit a {b.Length}-byte file");
        if (minor >= 4 && headerSize >= 255)
        {
            ulong count14 = BinaryPrimitives.ReadUInt64LittleEndian(b[247..]);
            if (count14 > int.MaxValue) throw new DataFormatException(source, $"LAS declares {count14} points, more than this reader holds");
            if (count == 0 || (long)count14 > count) count = (long)count14;
        }
        if (count * recordLength > b.Length - pointOffset)
            throw new DataFormatException(source, $"LAS declares {count} points of {recordLength} bytes, the file has {b.Length - pointOffset} bytes after the header");
        int n = (int)count;

        var scale = new double[3];
        var offset = new double[3];
        for (int a = 0; a < 3; a++)
        {
            scale[a] = BinaryPrimitives.ReadDoubleLittleEndian(b[(131 + (8 * a))..]);
            offset[a] = BinaryPrimitives.ReadDoubleLittleEndian(b[(155 + (8 * a))..]);
            if (!double.IsFinite(scale[a]) || scale[a] == 0 || !double.IsFinite(offset[a]))
                throw new DataFormatException(source, $"LAS scale {scale[a]} / offset {offset[a]} of axis {"xyz"[a]} are not finite non-zero numbers");
        }

        // World coordinates in double, then the origin that brings them into float32 range.
        var world = new double[3 * n];
        var min = new[] { double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity };
        var max = new[] { double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity };
        for (int i = 0; i < n; i++)
        {
            var record = b.Slice((int)pointOffset + (i * recordLength), recordLength);
            for (int a = 0; a < 3; a++)
            {
                double v = (BinaryPrimitives.ReadInt32LittleEndian(record[(4 * a)..]) * scale[a]) + offset[a];
                world[(3 * i) + a] = v;
                min[a] = Math.Min(min[a], v);
                max[a] = Math.Max(max[a], v);
            }
        }
        var origin = new double[3];
        for (int a = 0; a < 3 && n > 0; a++)
        {
            if (Math.Max(Math.Abs(min[a]), Math.Abs(max[a])) > RecentreBeyond) origin[a] = Math.Floor(min[a]);
        }
        var positions = new float[3 * n];
        for (int i = 0; i < positions.Length; i++) positions[i] = (float)(world[i] - origin[i % 3]);

        var scene = new Scene(name, positions) { Classes = LasClasses.Asprs };
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            var record = b.Slice((int)pointOffset + (i * recordLength), recordLength);
            labels[i] = extended ? record[16] : record[15] & 0x1F;
        }
        scene.SemanticLabels = labels;
        if (rgbOffset >= 0)
        {
            var raw = new ushort[3 * n];
            ushort top = 0;
            for (int i = 0; i < n; i++)
            {
                var record = b.Slice((int)pointOffset + (i * recordLength), recordLength);
                for (int c = 0; c < 3; c++)
                {
                    raw[(3 * i) + c] = BinaryPrimitives.ReadUInt16LittleEndian(record[(rgbOffset + (2 * c))..]);
                    top = Math.Max(top, raw[(3 * i) + c]);
                }
            }
            int shift = top > 255 ? 8 : 0;
            var colors = new byte[3 * n];
            for (int i = 0; i < colors.Length; i++) colors[i] = (byte)(raw[i] >> shift);
            scene.Colors = colors;
        }
        if (scene.Validate() is { } problem) throw new DataFormatException(source, problem);
        return new LasCloud(scene, origin, $"{major}.{minor}", formatId);
    }
}
