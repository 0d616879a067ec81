using System.Buffers.Binary;
using System.Text;
using Clickscape.Data.Formats.Npy;
using Clickscape.Data.IO;

namespace Clickscape.Data.Tests.Formats.Npy;

public class NpyReaderTests
{
    /// <summary>Builds an .npy by hand: any version, any header text, raw body.</summary>
    internal static byte[] Build(int major, string dict, byte[] body)
    {
        int preamble = major == 1 ? 10 : 12;
        var header = dict + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        bytes.Add((byte)major);
        bytes.Add(0);
        var len = new byte[preamble - 8];
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)Encoding.UTF8.GetByteCount(header));
        else BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)Encoding.UTF8.GetByteCount(header));
        bytes.AddRange(len);
        bytes.AddRange(Encoding.UTF8.GetBytes(header));
        bytes.AddRange(body);
        return bytes.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Versions_1_2_3_AreRead(int major)
    {
        var body = new byte[24];
        for (int i = 0; i < 6; i++) BinaryPrimitives.WriteSingleLittleEndian(body.AsSpan(4 * i), i * 1.5f);
        var array = NpyReader.Parse(Build(major, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", body), "a.npy");
        Assert.Equal(NpyDType.Float32, array.DType);
        Assert.Equal(new[] { 2, 3 }, array.Shape);
        Assert.Equal(new[] { 0f, 1.5f, 3f, 4.5f, 6f, 7.5f }, (float[])array.Data);
    }

    [Fact]
    public void BigEndian_Int16_Float64_AreSwapped()
    {
        var body = new byte[6];
        BinaryPrimitives.WriteInt16BigEndian(body, -2);
        BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(2), 300);
        BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(4), 7);
        Assert.Equal(new short[] { -2, 300, 7 }, (short[])NpyReader.Parse(Build(1, "{'descr': '>i2', 'fortran_order': False, 'shape': (3,), }", body), "b.npy").Data);
        var d = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(d, Math.PI);
        Assert.Equal(new[] { Math.PI }, (double[])NpyReader.Parse(Build(1, "{\"descr\": \">f8\", \"fortran_order\": False, \"shape\": (1, 1, 1)}", d), "d.npy").Data);
    }

    [Fact]
    public void ScalarAndEmptyShapes_AndBool()
    {
        var scalar = NpyReader.Parse(Build(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (), }", BitConverter.GetBytes(42L)), "s.npy");
        Assert.Empty(scalar.Shape);
        Assert.Equal(new[] { 42L }, scalar.ToInt64Array());
        var empty = NpyReader.Parse(Build(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 6), }", []), "e.npy");
        Assert.Equal(0, empty.Length);
        var flags = NpyReader.Parse(Build(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", [0, 1, 2]), "f.npy");
        Assert.Equal(new[] { false, true, true }, (bool[])flags.Data);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", "Fortran")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (2, 3), }", "unsupported NPY dtype '<c8'")]
    [InlineData("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (2,), }", "structured")]
    [InlineData("{'fortran_order': False, 'shape': (2, 3), }", "no 'descr'")]
    [InlineData("{'descr': '<f4', 'shape': (2, 3), }", "no 'fortran_order'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, }", "no 'shape'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", "not an int")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 30), }", "truncated")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (99999, 99999, 99999), }", "too large")]
    public void BadHeaders_ThrowDataFormatException(string dict, string expected)
    {
        var e = Assert.Throws<DataFormatException>(() => NpyReader.Parse(Build(1, dict, new byte[24]), "bad.npy"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.npy: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadMagicVersionAndHeaderLength_Throw()
    {
        Assert.Contains("magic", Assert.Throws<DataFormatException>(() => NpyReader.Parse(Encoding.ASCII.GetBytes("PK\u0003\u0004 not npy"), "x.npy")).Message, StringComparison.Ordinal);
        var good = Build(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        var v9 = (byte[])good.Clone();
        v9[6] = 9;
        Assert.Contains("version 9", Assert.Throws<DataFormatException>(() => NpyReader.Parse(v9, "x.npy")).Message, StringComparison.Ordinal);
        var longHeader = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(longHeader.AsSpan(8), 60000);
        Assert.Contains("header claims", Assert.Throws<DataFormatException>(() => NpyReader.Parse(longHeader, "x.npy")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PointArray_WrongShape_Throws()
    {
        var array = new NpyArray(new float[8], [2, 2, 2]);
        Assert.Contains("expected (N, 3)", Assert.Throws<DataFormatException>(() => NpyScene.ToScene(array, "p", "p.npy")).Message, StringComparison.Ordinal);
    }
}
