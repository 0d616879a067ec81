using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Clickscape.Data.Formats.Pcd;
using Clickscape.Data.IO;

namespace Clickscape.Data.Tests.Formats.Pcd;

public class PcdSceneTests
{
    /// <summary>
    /// A small LZF compressor (greedy, 3-byte hash, liblzf's stream format): literal runs of at most 32 bytes,
    /// back-references of up to 264 bytes within 8192 bytes. Enough to make real binary_compressed files.
    /// </summary>
    internal static byte[] LzfCompress(byte[] input)
    {
        var output = new List<byte>();
        var literal = new List<byte>();
        var last = new Dictionary<int, int>();
        void Flush()
        {
            for (int start = 0; start < literal.Count; start += 32)
            {
                int run = Math.Min(32, literal.Count - start);
                output.Add((byte)(run - 1));
                output.AddRange(literal.GetRange(start, run));
            }
            literal.Clear();
        }
        int i = 0;
        while (i < input.Length)
        {
            if (i + 2 < input.Length)
            {
                int key = input[i] | (input[i + 1] << 8) | (input[i + 2] << 16);
                if (last.TryGetValue(key, out int from) && i - from <= 8192)
                {
                    int len = 0;
                    while (i + len < input.Length && len < 264 && input[from + len] == input[i + len]) len++;
                    if (len >= 3)
                    {
                        Flush();
                        int distance = i - from - 1, l = len - 2;
                        if (l < 7) output.Add((byte)((l << 5) | (distance >> 8)));
                        else
                        {
                            output.Add((byte)((7 << 5) | (distance >> 8)));
                            output.Add((byte)(l - 7));
                        }
                        output.Add((byte)distance);
                        for (int k = 0; k < len; k++)
                        {
                            if (i + k + 2 < input.Length) last[input[i + k] | (input[i + k + 1] << 8) | (input[i + k + 2] << 16)] = i + k;
                        }
                        i += len;
                        continue;
                    }
                }
                last[key] = i;
            }
            literal.Add(input[i++]);
        }
        Flush();
        return [.. output];
    }

    [Fact]
    public void Lzf_HandMadeStream_LiteralsAndOverlappingReference()
    {
        // "abc" literally, then a reference 3 back of length 7 (overlapping): "abcabcabca".
        byte[] stream = [2, (byte)'a', (byte)'b', (byte)'c', (5 << 5) | 0, 2];
        Assert.Equal("abcabcabca", Encoding.ASCII.GetString(Lzf.Decompress(stream, 10, "t")));
        Assert.Throws<DataFormatException>(() => Lzf.Decompress(stream, 11, "t"));
        Assert.Throws<DataFormatException>(() => Lzf.Decompress([(1 << 5) | 0, 9], 3, "t")); // before the start
        Assert.Throws<DataFormatException>(() => Lzf.Decompress([5, 1, 2], 6, "t")); // literal cut off
        Assert.Throws<DataFormatException>(() => Lzf.Decompress([0, 1], 1 << 30, "t")); // impossible expansion, no allocation
        var rng = new Random(3);
        var data = new byte[5000];
        for (int k = 0; k < data.Length; k++) data[k] = (byte)(k % 7 == 0 ? rng.Next(256) : data[Math.Max(0, k - 300)]);
        var packed = LzfCompress(data);
        Assert.True(packed.Length < data.Length);
        Assert.Equal(data, Lzf.Decompress(packed, data.Length, "t"));
    }

    internal sealed record Cloud(float[] Xyz, byte[] Rgb, uint[] Label, int[] Object);

    internal static Cloud Make(int n)
    {
        var rng = new Random(n);
        var c = new Cloud(new float[3 * n], new byte[3 * n], new uint[n], new int[n]);
        for (int i = 0; i < 3 * n; i++) c.Xyz[i] = (float)Math.Round(rng.NextDouble() * 10 - 5, 3);
        rng.NextBytes(c.Rgb);
        for (int i = 0; i < n; i++)
        {
            c.Label[i] = (uint)(i % 5);
            c.Object[i] = i % 3;
        }
        return c;
    }

    /// <summary>Writes x y z rgb label object as PCL does: rgb a packed float, label uint32, object int32.</summary>
    internal static byte[] Write(Cloud c, string data)
    {
        int n = c.Label.Length;
        var header = $"# .PCD v0.7 - Point Cloud Data file format\nVERSION 0.7\nFIELDS x y z rgb label object\nSIZE 4 4 4 4 4 4\nTYPE F F F F U I\nCOUNT 1 1 1 1 1 1\nWIDTH {n}\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS {n}\nDATA {data}\n";
        var bytes = new List<byte>(Encoding.ASCII.GetBytes(header));
        uint Packed(int i) => ((uint)c.Rgb[3 * i] << 16) | ((uint)c.Rgb[(3 * i) + 1] << 8) | c.Rgb[(3 * i) + 2];
        if (data == "ascii")
        {
            var sb = new StringBuilder();
            for (int i = 0; i < n; i++)
                sb.Append(CultureInfo.InvariantCulture, $"{c.Xyz[3 * i]} {c.Xyz[(3 * i) + 1]} {c.Xyz[(3 * i) + 2]} {Packed(i)} {c.Label[i]} {c.Object[i]}\n");
            bytes.AddRange(Encoding.ASCII.GetBytes(sb.ToString()));
            return [.. bytes];
        }
        var body = new byte[24 * n];
        for (int i = 0; i < n; i++)
        {
            uint[] words = [BitConverter.SingleToUInt32Bits(c.Xyz[3 * i]), BitConverter.SingleToUInt32Bits(c.Xyz[(3 * i) + 1]), BitConverter.SingleToUInt32Bits(c.Xyz[(3 * i) + 2]), Packed(i), c.Label[i], (uint)c.Object[i]];
            for (int f = 0; f < 6; f++)
            {
                // binary: point-major; binary_compressed: field-major (all x, then all y, …).
                int at = data == "binary" ? (24 * i) + (4 * f) : (4 * n * f) + (4 * i);
                BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(at), words[f]);
            }
        }
        if (data == "binary")
        {
            bytes.AddRange(body);
            return [.. bytes];
        }
        var packed = LzfCompress(body);
        var sizes = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(sizes, (uint)packed.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(sizes.AsSpan(4), (uint)body.Length);
        bytes.AddRange(sizes);
        bytes.AddRange(packed);
        return [.. bytes];
    }

    [Theory]
    [InlineData("ascii")]
    [InlineData("binary")]
    [InlineData("binary_compressed")]
    public void EveryDataKind_ReadsPositionsColoursAndLabelsExactly(string data)
    {
        var c = Make(300);
        var path = Path.Combine(TestScenes.TempDir(), $"cloud_{data}.pcd");
        File.WriteAllBytes(path, Write(c, data));
        Assert.Equal("pcd", SceneLoader.DetectFormat(path));
        var scene = SceneLoader.Load(path);
        Assert.Equal(300, scene.PointCount);
        Assert.Equal(c.Xyz, scene.Positions);
        Assert.Equal(c.Rgb, scene.Colors);
        Assert.Equal(c.Label.Select(l => (int)l), scene.SemanticLabels!);
        Assert.Equal(c.Object, scene.InstanceIds);
    }

    [Fact]
    public void NanPointsOfOrganizedClouds_AreDropped_AndBadHeadersAreClearErrors()
    {
        var text = "VERSION .7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 2\nHEIGHT 2\nPOINTS 4\nDATA ascii\n1 2 3\nnan nan nan\n4 5 6\n7 8 9\n";
        var scene = PcdScene.Parse(Encoding.ASCII.GetBytes(text), "o", "o.pcd");
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, scene.Positions);

        string Error(string t) => Assert.Throws<DataFormatException>(() => PcdScene.Parse(Encoding.ASCII.GetBytes(t), "b", "b.pcd")).Message;
        Assert.Contains("POINTS = 5", Error(text.Replace("POINTS 4", "POINTS 5", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("no 'z' field", Error("FIELDS x y\nSIZE 4 4\nTYPE F F\nPOINTS 0\nDATA ascii\n"), StringComparison.Ordinal);
        Assert.Contains("expected ascii, binary or binary_compressed", Error("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nPOINTS 0\nDATA zip\n"), StringComparison.Ordinal);
        Assert.Contains("needs 120000000", Error("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nPOINTS 10000000\nDATA binary\n"), StringComparison.Ordinal);
        Assert.Contains("TYPE F SIZE 2", Error("FIELDS x y z\nSIZE 4 4 2\nTYPE F F F\nPOINTS 0\nDATA ascii\n"), StringComparison.Ordinal);
    }
}
