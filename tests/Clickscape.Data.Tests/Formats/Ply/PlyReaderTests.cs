using System.Buffers.Binary;
using System.Text;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.IO;

namespace Clickscape.Data.Tests.Formats.Ply;

public class PlyReaderTests
{
    private static PlyData Parse(string text) => PlyReader.Parse(Encoding.ASCII.GetBytes(text), "test.ply");

    private static Clickscape.Geometry.Scenes.Scene Scene(string text) => PlyScene.ToScene(Parse(text), "t", "test.ply");

    [Fact]
    public void Ascii_OddPropertyOrderAndTypes_MapToScene()
    {
        var scene = Scene("""
            ply
            format ascii 1.0
            comment odd order, mixed types
            element vertex 3
            property uchar blue
            property double z
            property int16 label
            property float32 x
            property uchar green
            property float64 y
            property uint8 red
            property int instance
            end_header
            10 3.5 7 1.25 20 -2 30 4
            11 0 0 2 21 1e-3 31 0
            12 -1 40 3 22 2 32 1
            """);
        Assert.Equal(new float[] { 1.25f, -2f, 3.5f, 2f, 1e-3f, 0f, 3f, 2f, -1f }, scene.Positions);
        Assert.Equal(new byte[] { 30, 20, 10, 31, 21, 11, 32, 22, 12 }, scene.Colors);
        Assert.Equal(new[] { 7, 0, 40 }, scene.SemanticLabels);
        Assert.Equal(new[] { 4, 0, 1 }, scene.InstanceIds);
        Assert.Null(scene.Normals);
        Assert.Null(scene.Faces);
    }

    [Fact]
    public void Ascii_QuadsPolygonsAndVertexIndex_TriangulateAsFans_AndExtraElementsSkipped()
    {
        var data = Parse("""
            ply
            format ascii 1.0
            element vertex 5
            property float x
            property float y
            property float z
            element material 2
            property list uchar float coeffs
            property uchar id
            element face 3
            property uchar flags
            property list ushort uint vertex_index
            element edge 1
            property int vertex1
            property int vertex2
            end_header
            0 0 0
            1 0 0
            1 1 0
            0 1 0
            0.5 2 0
            3 0.1 0.2 0.3 7
            0 9
            1 4 0 1 2 3
            2 5 0 1 2 3 4
            0 3 4 3 2
            0 4
            """);
        Assert.Equal(new float[] { 0.1f, 0.2f, 0.3f }, ((PlyColumn<float>)data.Element("material")!.Property("coeffs")!.Values).Values);
        Assert.Equal(new[] { 0, 3, 3 }, data.Element("material")!.Property("coeffs")!.Offsets);
        var scene = PlyScene.ToScene(data, "t", "test.ply");
        Assert.Equal(new[] { 0, 1, 2, 0, 2, 3, 0, 1, 2, 0, 2, 3, 0, 3, 4, 4, 3, 2 }, scene.Faces);
        Assert.Equal(4, data.Element("edge")!.Property("vertex2")!.Values.GetDouble(0));
    }

    [Fact]
    public void FloatColors_AreScaledFrom0To1_AndNormalsRead()
    {
        var scene = Scene("""
            ply
            format ascii 1.0
            element vertex 2
            property float x
            property float y
            property float z
            property float nx
            property float ny
            property float nz
            property float red
            property float green
            property float blue
            end_header
            0 0 0 0 0 1 1 0.5 0
            1 1 1 1 0 0 0.2 1.5 -1
            """);
        Assert.Equal(new byte[] { 255, 128, 0, 51, 255, 0 }, scene.Colors);
        Assert.Equal(new float[] { 0, 0, 1, 1, 0, 0 }, scene.Normals);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Binary_BuiltByHand_AllScalarTypesAndListTypes(bool bigEndian)
    {
        // vertex: char a, ushort b, double x, float y, int z, uint c, short d, uchar e; face: list int16 int32 vertex_indices.
        var header = $"""
            ply
            format {(bigEndian ? "binary_big_endian" : "binary_little_endian")} 1.0
            element vertex 3
            property char a
            property ushort b
            property double x
            property float y
            property int z
            property uint c
            property short d
            property uchar e
            element face 2
            property list short int vertex_indices
            end_header

            """;
        var body = new List<byte>();
        void Add(int size, Action<Span<byte>> write)
        {
            var tmp = new byte[size];
            write(tmp);
            body.AddRange(tmp);
        }
        for (int i = 0; i < 3; i++)
        {
            body.Add(unchecked((byte)(sbyte)(-i - 1)));
            Add(2, s => { if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(s, (ushort)(60000 + i)); else BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)(60000 + i)); });
            Add(8, s => { if (bigEndian) BinaryPrimitives.WriteDoubleBigEndian(s, 0.1 * i); else BinaryPrimitives.WriteDoubleLittleEndian(s, 0.1 * i); });
            Add(4, s => { if (bigEndian) BinaryPrimitives.WriteSingleBigEndian(s, -2.5f * i); else BinaryPrimitives.WriteSingleLittleEndian(s, -2.5f * i); });
            Add(4, s => { if (bigEndian) BinaryPrimitives.WriteInt32BigEndian(s, -7 * i); else BinaryPrimitives.WriteInt32LittleEndian(s, -7 * i); });
            Add(4, s => { if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(s, 4000000000u + (uint)i); else BinaryPrimitives.WriteUInt32LittleEndian(s, 4000000000u + (uint)i); });
            Add(2, s => { if (bigEndian) BinaryPrimitives.WriteInt16BigEndian(s, (short)(-300 * i)); else BinaryPrimitives.WriteInt16LittleEndian(s, (short)(-300 * i)); });
            body.Add((byte)(200 + i));
        }
        foreach (var face in new[] { new[] { 0, 1, 2 }, new[] { 2, 1, 0, 1 } })
        {
            Add(2, s => { if (bigEndian) BinaryPrimitives.WriteInt16BigEndian(s, (short)face.Length); else BinaryPrimitives.WriteInt16LittleEndian(s, (short)face.Length); });
            foreach (int v in face) Add(4, s => { if (bigEndian) BinaryPrimitives.WriteInt32BigEndian(s, v); else BinaryPrimitives.WriteInt32LittleEndian(s, v); });
        }
        var bytes = Encoding.ASCII.GetBytes(header).Concat(body).ToArray();
        var data = PlyReader.Parse(bytes, "hand.ply");
        var vertex = data.Element("vertex")!;
        Assert.Equal(new sbyte[] { -1, -2, -3 }, ((PlyColumn<sbyte>)vertex.Property("a")!.Values).Values);
        Assert.Equal(new ushort[] { 60000, 60001, 60002 }, ((PlyColumn<ushort>)vertex.Property("b")!.Values).Values);
        Assert.Equal(new[] { 0.0, 0.1, 0.2 }, ((PlyColumn<double>)vertex.Property("x")!.Values).Values);
        Assert.Equal(new uint[] { 4000000000u, 4000000001u, 4000000002u }, ((PlyColumn<uint>)vertex.Property("c")!.Values).Values);
        Assert.Equal(new short[] { 0, -300, -600 }, ((PlyColumn<short>)vertex.Property("d")!.Values).Values);
        Assert.Equal(new byte[] { 200, 201, 202 }, ((PlyColumn<byte>)vertex.Property("e")!.Values).Values);
        var scene = PlyScene.ToScene(data, "hand", "hand.ply");
        Assert.Equal(new float[] { 0, 0, 0, 0.1f, -2.5f, -7, 0.2f, -5, -14 }, scene.Positions);
        Assert.Equal(new[] { 0, 1, 2, 2, 1, 0, 2, 0, 1 }, scene.Faces);
    }

    [Fact]
    public void CrLfHeader_AndInt8Names_AreRead()
    {
        var scene = Scene("ply\r\nformat ascii 1.0\r\nelement vertex 1\r\nproperty float32 x\r\nproperty float32 y\r\nproperty float32 z\r\nproperty int8 label\r\nend_header\r\n1 2 3 5\r\n");
        Assert.Equal(new float[] { 1, 2, 3 }, scene.Positions);
        Assert.Equal(new[] { 5 }, scene.SemanticLabels);
    }

    private const string Xyz = "element vertex 2\nproperty float x\nproperty float y\nproperty float z\n";

    [Theory]
    [InlineData("", "empty file")]
    [InlineData("plx\nformat ascii 1.0\nend_header\n", "first line must be 'ply'")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n", "no 'end_header'")]
    [InlineData("ply\nelement vertex 0\nend_header\n", "no 'format' line")]
    [InlineData("ply\nformat binary_middle_endian 1.0\nend_header\n", "unsupported PLY format")]
    [InlineData("ply\nformat ascii 2.0\nend_header\n", "unsupported PLY version")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex -3\nend_header\n", "expected 'element <name> <count")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex 1\nproperty float128 x\nend_header\n", "expected 'property <type> <name>'")]
    [InlineData("ply\nformat ascii 1.0\nproperty float x\nend_header\n", "property before any element")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex 1\nproperty list float int v\nend_header\n", "count type must be an integer")]
    [InlineData("ply\nformat ascii 1.0\nelefant vertex 1\nend_header\n", "unexpected")]
    [InlineData("ply\nformat ascii 1.0\n" + Xyz + "end_header\n1 2 3\n", "truncated")]
    [InlineData("ply\nformat ascii 1.0\n" + Xyz + "end_header\n1 2 3\n4 5 x\n", "is not a float")]
    [InlineData("ply\nformat ascii 1.0\n" + Xyz + "end_header\n1 2 3\n4 5 nan\n", "non-finite")]
    [InlineData("ply\nformat ascii 1.0\n" + Xyz + "end_header\n1 2 3\n4 5 1e39\n", "non-finite")]
    [InlineData("ply\nformat ascii 1.0\n" + Xyz + "element face 1\nproperty list uchar int vertex_indices\nend_header\n1 2 3\n4 5 6\n3 0 1 2\n", "face 0 refers to vertex 2")]
    [InlineData("ply\nformat ascii 1.0\n" + Xyz + "element face 1\nproperty list char int vertex_indices\nend_header\n1 2 3\n4 5 6\n-3 0 1 2\n", "negative count")]
    [InlineData("ply\nformat ascii 1.0\n" + Xyz + "element face 1\nproperty list int int vertex_indices\nend_header\n1 2 3\n4 5 6\n2000000000 0 1 2\n", "claims 2000000000 items")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nend_header\n1 2\n3 4\n", "no scalar 'z'")]
    [InlineData("ply\nformat ascii 1.0\nelement face 0\nend_header\n", "no 'vertex' element")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\nend_header\n1 2 3 256\n", "is not a uchar")]
    [InlineData("ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float x\nend_header\n", "twice")]
    public void BadAscii_ThrowsDataFormatException(string text, string expected)
    {
        var e = Assert.Throws<DataFormatException>(() => Scene(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.ply: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void BinaryTruncatedBody_HeaderClaimingMoreVertices_Throws()
    {
        var bytes = Encoding.ASCII.GetBytes("ply\nformat binary_little_endian 1.0\nelement vertex 1000000000\nproperty float x\nproperty float y\nproperty float z\nend_header\n")
            .Concat(new byte[120]).ToArray();
        var e = Assert.Throws<DataFormatException>(() => PlyReader.Parse(bytes, "big.ply"));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BinaryHugeListCount_Throws()
    {
        var head = Encoding.ASCII.GetBytes("ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uint int vertex_indices\nend_header\n");
        var body = new byte[12 + 4 + 12];
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), 0xFFFFFFF0u);
        var e = Assert.Throws<DataFormatException>(() => PlyReader.Parse(head.Concat(body).ToArray(), "list.ply"));
        Assert.Contains("claims", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BinaryNegativeListCount_Throws()
    {
        var head = Encoding.ASCII.GetBytes("ply\nformat binary_big_endian 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list int int vertex_indices\nend_header\n");
        var body = new byte[12 + 4 + 12];
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(12), -3);
        var e = Assert.Throws<DataFormatException>(() => PlyReader.Parse(head.Concat(body).ToArray(), "list.ply"));
        Assert.Contains("negative count -3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BinaryNaNCoordinate_Throws()
    {
        var head = Encoding.ASCII.GetBytes("ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n");
        var body = new byte[12];
        BinaryPrimitives.WriteSingleLittleEndian(body.AsSpan(4), float.NaN);
        var e = Assert.Throws<DataFormatException>(() => PlyScene.ToScene(PlyReader.Parse(head.Concat(body).ToArray(), "nan.ply"), "n", "nan.ply"));
        Assert.Contains("non-finite", e.Message, StringComparison.Ordinal);
    }
}
