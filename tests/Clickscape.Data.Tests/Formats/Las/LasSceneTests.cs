using System.Buffers.Binary;
using System.Text;
using Clickscape.Data.Formats.Las;
using Clickscape.Data.IO;

namespace Clickscape.Data.Tests.Formats.Las;

public class LasSceneTests
{
    /// <summary>
    /// Writes a LAS file by the specification's byte offsets: header (227 bytes for 1.2, 375 for 1.4), one VLR-free
    /// point block of <paramref name="format"/>, ints X Y Z = (x − offset) / scale, RGB (16-bit) and classification.
    /// </summary>
    internal static byte[] Write(int minor, int format, double[] xyz, double[] scale, double[] offset, ushort[]? rgb, byte[] classes, int extraBytes = 0)
    {
        int n = classes.Length;
        int headerSize = minor >= 4 ? 375 : minor == 3 ? 235 : 227;
        int[] lengths = [20, 28, 26, 34, 57, 63, 30, 36, 38, 59, 67];
        int[] rgbAt = [-1, -1, 20, 28, -1, 28, -1, 30, 30, -1, 30];
        int recordLength = lengths[format] + extraBytes;
        var bytes = new byte[headerSize + (n * recordLength)];
        Encoding.ASCII.GetBytes("LASF").CopyTo(bytes, 0);
        bytes[24] = 1;
        bytes[25] = (byte)minor;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(94), (ushort)headerSize);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(96), (uint)headerSize);
        bytes[104] = (byte)format;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(105), (ushort)recordLength);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(107), format >= 6 ? 0u : (uint)n);
        for (int a = 0; a < 3; a++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(131 + (8 * a)), scale[a]);
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(155 + (8 * a)), offset[a]);
        }
        if (minor >= 4) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(247), (ulong)n);
        for (int i = 0; i < n; i++)
        {
            var r = bytes.AsSpan(headerSize + (i * recordLength), recordLength);
            for (int a = 0; a < 3; a++) BinaryPrimitives.WriteInt32LittleEndian(r[(4 * a)..], (int)Math.Round((xyz[(3 * i) + a] - offset[a]) / scale[a]));
            if (format >= 6) r[16] = classes[i];
            else r[15] = (byte)(classes[i] | 0x80); // withheld flag in bit 7: not part of the class
            if (rgbAt[format] >= 0)
            {
                for (int c = 0; c < 3; c++) BinaryPrimitives.WriteUInt16LittleEndian(r[(rgbAt[format] + (2 * c))..], rgb![(3 * i) + c]);
            }
        }
        return bytes;
    }

    internal static (double[] Xyz, ushort[] Rgb, byte[] Classes) Points(int n, double origin)
    {
        var rng = new Random(n);
        var xyz = new double[3 * n];
        for (int i = 0; i < xyz.Length; i++) xyz[i] = Math.Round((i % 3 == 2 ? 0 : origin) + (rng.NextDouble() * 50), 2);
        var rgb = new ushort[3 * n];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (ushort)(rng.Next(256) * 256);
        var classes = new byte[n];
        for (int i = 0; i < n; i++) classes[i] = (byte)(1 + (i % 6));
        return (xyz, rgb, classes);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 3)]
    [InlineData(4, 6)]
    [InlineData(4, 7)]
    [InlineData(4, 8)]
    public void PointFormats_ScaleOffsetRgbAndClassification(int minor, int format)
    {
        var (xyz, rgb, classes) = Points(200, 0);
        var bytes = Write(minor, format, xyz, [0.01, 0.01, 0.01], [10, -20, 0.5], rgb, classes, extraBytes: 3);
        var path = Path.Combine(TestScenes.TempDir(), $"f{format}.las");
        File.WriteAllBytes(path, bytes);
        var cloud = LasScene.Read(path);
        Assert.Equal((format, $"1.{minor}"), (cloud.PointFormat, cloud.Version));
        var scene = SceneLoader.Load(path);
        Assert.Equal(200, scene.PointCount);
        for (int i = 0; i < xyz.Length; i++) Assert.Equal((float)xyz[i], scene.Positions[i], 1e-4f);
        Assert.Equal(classes.Select(c => (int)c), scene.SemanticLabels!);
        Assert.Equal("ground", scene.Classes!.Find(2)!.Name);
        bool hasRgb = format is 2 or 3 or 7 or 8;
        if (hasRgb) Assert.Equal(rgb.Select(v => (byte)(v >> 8)), scene.Colors!);
        else Assert.Null(scene.Colors);
    }

    [Fact]
    public void GeoreferencedCoordinates_AreShiftedToAFloat32Origin()
    {
        var (xyz, rgb, classes) = Points(50, 500000);
        var bytes = Write(2, 3, xyz, [0.001, 0.001, 0.001], [500000, 500000, 0], rgb, classes);
        var cloud = LasScene.Parse(bytes, "utm", "utm.las");
        Assert.Equal(Math.Floor(xyz.Where((_, i) => i % 3 == 0).Min()), cloud.Origin[0]);
        Assert.Equal(0, cloud.Origin[2]);
        for (int i = 0; i < xyz.Length; i++) Assert.Equal(xyz[i], cloud.Scene.Positions[i] + cloud.Origin[i % 3], 1e-3);
    }

    [Fact]
    public void BadFiles_AreClearErrors()
    {
        var (xyz, rgb, classes) = Points(10, 0);
        var good = Write(2, 3, xyz, [0.01, 0.01, 0.01], [0, 0, 0], rgb, classes);
        string Error(byte[] b) => Assert.Throws<DataFormatException>(() => LasScene.Parse(b, "b", "b.las")).Message;
        Assert.Contains("not a LAS file", Error(new byte[300]), StringComparison.Ordinal);
        Assert.Contains("declares 10 points", Error(good[..^5]), StringComparison.Ordinal);
        var laz = (byte[])good.Clone();
        laz[104] |= 0x80;
        Assert.Contains("LAZ", Error(laz), StringComparison.Ordinal);
        var v15 = (byte[])good.Clone();
        v15[25] = 5;
        Assert.Contains("expected 1.0–1.4", Error(v15), StringComparison.Ordinal);
        var big = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(big.AsSpan(107), 2_000_000_000);
        Assert.Contains("declares 2000000000 points", Error(big), StringComparison.Ordinal);
        Assert.Contains("decompress", Assert.Throws<DataFormatException>(() => SceneLoader.Load(WriteFile("x.laz", good))).Message, StringComparison.Ordinal);
    }

    private static string WriteFile(string name, byte[] bytes)
    {
        var path = Path.Combine(TestScenes.TempDir(), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
