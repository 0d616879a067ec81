using Clickscape.Data.Formats.Npy;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Formats.Npy;

public class NpyWriterTests
{
    public static TheoryData<int, int> Shapes() => new() { { 0, 3 }, { 1, 1 }, { 7, 6 }, { 257, 3 }, { 33, 17 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryDType_RoundTripsBitExact(int rows, int cols)
    {
        var rng = new Random(rows * 100 + cols);
        foreach (var type in Enum.GetValues<NpyDType>())
        {
            int n = rows * cols;
            var raw = new byte[n * NpyArray.SizeOf(type)];
            rng.NextBytes(raw);
            Array data = type == NpyDType.Bool ? raw.Select(b => (b & 1) == 1).ToArray() : Reinterpret(raw, type, n);
            var array = new NpyArray(data, [rows, cols]);
            var path = Path.Combine(TestScenes.TempDir(), $"{type}.npy");
            NpyWriter.Write(path, array);
            var back = NpyReader.Read(path);
            Assert.Equal(type, back.DType);
            Assert.Equal(array.Shape, back.Shape);
            Assert.Equal(array.Data, back.Data);
            var bytes = File.ReadAllBytes(path);
            int headerEnd = 10 + BitConverter.ToUInt16(bytes, 8);
            Assert.Equal(0, headerEnd % 64);
            Assert.Equal((byte)'\n', bytes[headerEnd - 1]);
        }
    }

    [Fact]
    public void OneDimensionalShape_IsWrittenWithTrailingComma()
    {
        var bytes = NpyWriter.Encode(new NpyArray(new[] { 1, 2, 3 }, [3]));
        Assert.Contains("'shape': (3,)", System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        Assert.Contains("'descr': '<i4'", System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SceneRoundTrip_N3_N6(bool colors)
    {
        var scene = TestScenes.Random(9, 301, faces: false);
        if (!colors) scene.Colors = null;
        var path = Path.Combine(TestScenes.TempDir(), "s.npy");
        NpyScene.Save(path, scene);
        var back = NpyScene.Load(path);
        Assert.Equal(scene.Positions, back.Positions);
        Assert.Equal(scene.Colors, back.Colors);
        Assert.Equal(colors ? 6 : 3, NpyReader.Read(path).Shape[1]);
    }

    [Fact]
    public void ScanNetNpyLayout_RoundTrips()
    {
        var dir = TestScenes.TempDir();
        var scene = TestScenes.Random(4, 123, faces: false);
        NpyScene.Save(Path.Combine(dir, "scene0001_00_vert_all.npy"), scene);
        NpyWriter.Write(Path.Combine(dir, "scene0001_00_sem_label_all.npy"), new NpyArray(scene.SemanticLabels!.Select(v => (uint)v).ToArray(), [123]));
        NpyWriter.Write(Path.Combine(dir, "scene0001_00_ins_label_all.npy"), new NpyArray(scene.InstanceIds!.Select(v => (long)v).ToArray(), [123]));
        var back = Clickscape.Data.Formats.MmDetection3d.MmDetection3dNpyScene.LoadFolder(dir);
        Assert.Equal("scene0001_00", back.Name);
        Assert.Equal(scene.Positions, back.Positions);
        Assert.Equal(scene.Colors, back.Colors);
        Assert.Equal(scene.SemanticLabels, back.SemanticLabels);
        Assert.Equal(scene.InstanceIds, back.InstanceIds);
        Assert.Equal("nyu40", back.Classes!.Name);

        NpyWriter.Write(Path.Combine(dir, "scene0001_00_ins_label_all.npy"), new NpyArray(new int[122], [122]));
        Assert.Contains("expected (123,)", Assert.Throws<Clickscape.Data.IO.DataFormatException>(() => Clickscape.Data.Formats.MmDetection3d.MmDetection3dNpyScene.LoadFolder(dir)).Message, StringComparison.Ordinal);
    }

    private static Array Reinterpret(byte[] raw, NpyDType type, int n)
    {
        var data = type switch
        {
            NpyDType.Int8 => (Array)new sbyte[n],
            NpyDType.UInt8 => new byte[n],
            NpyDType.Int16 => new short[n],
            NpyDType.UInt16 => new ushort[n],
            NpyDType.Int32 => new int[n],
            NpyDType.UInt32 => new uint[n],
            NpyDType.Int64 => new long[n],
            NpyDType.UInt64 => new ulong[n],
            NpyDType.Float32 => new float[n],
            _ => new double[n],
        };
        Buffer.BlockCopy(raw, 0, data, 0, raw.Length);
        return data;
    }
}
