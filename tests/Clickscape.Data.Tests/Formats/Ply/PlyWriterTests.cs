using Clickscape.Data.Formats.Ply;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Formats.Ply;

public class PlyWriterTests
{
    public static TheoryData<PlyFormat, int> Cases()
    {
        var data = new TheoryData<PlyFormat, int>();
        foreach (var format in Enum.GetValues<PlyFormat>())
        {
            foreach (int n in new[] { 0, 1, 7, 257, 3001 }) data.Add(format, n);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SceneRoundTrip_IsBitExact(PlyFormat format, int n)
    {
        var scene = TestScenes.Random(seed: n * 31 + (int)format, n);
        var path = Path.Combine(TestScenes.TempDir(), "s.ply");
        PlyScene.Save(path, scene, new PlyWriteOptions { Format = format, Labels = true, Instances = true, Alpha = true });
        var back = PlyScene.Load(path);
        AssertSameScene(scene, back);
        Assert.Equal("s", back.Name);
    }

    [Theory]
    [InlineData(PlyFormat.Ascii)]
    [InlineData(PlyFormat.BinaryLittleEndian)]
    [InlineData(PlyFormat.BinaryBigEndian)]
    public void RawDataRoundTrip_AllTypes_ListsAndComments_IsBitExact(PlyFormat format)
    {
        var rng = new Random(5 + (int)format);
        var data = new PlyData { Format = format };
        data.Comments.Add("made by a test");
        data.ObjInfo.Add("num_cols 3");
        int n = 53;
        var vertex = new PlyElement("vertex", n);
        foreach (var type in Enum.GetValues<PlyScalarType>())
        {
            var column = PlyColumn.Create(type, n);
            var bytes = new byte[type.Size()];
            for (int i = 0; i < n; i++)
            {
                rng.NextBytes(bytes);
                column.ReadBinary(i, bytes, bigEndian: false);
                // Finite floats only: NaN payloads do not survive ASCII.
                if (!double.IsFinite(column.GetDouble(i))) column.ReadBinary(i, new byte[8], false);
            }
            vertex.AddScalar("p" + type, column);
        }
        data.Elements.Add(vertex);
        var face = new PlyElement("face", 11);
        var offsets = new int[12];
        for (int f = 0; f < 11; f++) offsets[f + 1] = offsets[f] + rng.Next(0, 6);
        var items = new short[offsets[^1]];
        for (int i = 0; i < items.Length; i++) items[i] = (short)rng.Next(short.MinValue, short.MaxValue);
        face.AddList("vertex_indices", PlyScalarType.UInt16, new PlyColumn<short>(items), offsets);
        face.AddScalar("flag", new PlyColumn<double>(Enumerable.Range(0, 11).Select(i => rng.NextDouble() * 1e300 - 5e299).ToArray()));
        data.Elements.Add(face);
        data.Elements.Add(new PlyElement("empty", 0));
        // The uchar-count + 32-bit-index face layout takes the reader's block-copy path; uint items here.
        var tri = new PlyElement("triangles", 9);
        var triOffsets = Enumerable.Range(0, 10).Select(i => i * 3 - (i > 4 ? 1 : 0) - (i > 6 ? 2 : 0)).ToArray();
        triOffsets[0] = 0;
        var triItems = Enumerable.Range(0, triOffsets[^1]).Select(_ => (uint)rng.Next() * 2u).ToArray();
        tri.AddList("vertex_indices", PlyScalarType.UInt8, new PlyColumn<uint>(triItems), triOffsets);
        data.Elements.Add(tri);

        var path = Path.Combine(TestScenes.TempDir(), "raw.ply");
        PlyWriter.Write(path, data, format);
        var back = PlyReader.Read(path);
        Assert.Equal(format, back.Format);
        Assert.Equal(data.Comments, back.Comments);
        Assert.Equal(data.ObjInfo, back.ObjInfo);
        Assert.Equal(data.Elements.Select(e => (e.Name, e.Count)), back.Elements.Select(e => (e.Name, e.Count)));
        for (int e = 0; e < data.Elements.Count; e++)
        {
            for (int p = 0; p < data.Elements[e].Properties.Count; p++)
            {
                var a = data.Elements[e].Properties[p];
                var b = back.Elements[e].Properties[p];
                Assert.Equal(a.Name, b.Name);
                Assert.Equal(a.Type, b.Type);
                Assert.Equal(a.CountType, b.CountType);
                Assert.Equal(a.Offsets, b.Offsets);
                Assert.Equal(a.Values.Array, b.Values.Array);
            }
        }
    }

    [Fact]
    public void DefaultOptions_WriteBinaryLittleEndianWithColorsAndFaces_NoLabels()
    {
        var scene = TestScenes.Random(3, 20);
        var path = Path.Combine(TestScenes.TempDir(), "d.ply");
        PlyScene.Save(path, scene);
        var data = PlyReader.Read(path);
        Assert.Equal(PlyFormat.BinaryLittleEndian, data.Format);
        var names = data.Element("vertex")!.Properties.Select(p => p.Name).ToArray();
        Assert.Equal(new[] { "x", "y", "z", "nx", "ny", "nz", "red", "green", "blue" }, names);
        var faces = data.Element("face")!.Property("vertex_indices")!;
        Assert.Equal(PlyScalarType.UInt8, faces.CountType);
        Assert.Equal(PlyScalarType.Int32, faces.Type);
    }

    [Fact]
    public void Labels_BeyondUShort_AreWrittenAsInt()
    {
        var scene = new Scene("l", new float[] { 0, 0, 0, 1, 1, 1 }) { SemanticLabels = [70000, 3] };
        var data = PlyScene.FromScene(scene, new PlyWriteOptions { Labels = true });
        Assert.Equal(PlyScalarType.Int32, data.Element("vertex")!.Property("label")!.Type);
        var path = Path.Combine(TestScenes.TempDir(), "l.ply");
        PlyWriter.Write(path, data, PlyFormat.Ascii);
        Assert.Equal(new[] { 70000, 3 }, PlyScene.Load(path).SemanticLabels);
    }

    [Fact]
    public void FailedWrite_LeavesNoFileBehind()
    {
        var dir = TestScenes.TempDir();
        var data = new PlyData();
        var e = new PlyElement("face", 1);
        e.AddList("vertex_indices", PlyScalarType.UInt8, new PlyColumn<int>(new int[300]), [0, 300]);
        data.Elements.Add(e);
        Assert.Throws<ArgumentException>(() => PlyWriter.Write(Path.Combine(dir, "f.ply"), data, PlyFormat.BinaryLittleEndian));
        Assert.Empty(Directory.GetFiles(dir));
    }

    internal static void AssertSameScene(Scene expected, Scene actual)
    {
        Assert.Equal(expected.Positions, actual.Positions);
        Assert.Equal(expected.Colors, actual.Colors);
        Assert.Equal(expected.Normals, actual.Normals);
        Assert.Equal(expected.Faces, actual.Faces);
        Assert.Equal(expected.SemanticLabels, actual.SemanticLabels);
        Assert.Equal(expected.InstanceIds, actual.InstanceIds);
    }
}
