using System.Buffers.Binary;
using System.Text;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Serialization;

namespace Clickscape.Tensors.Tests.Serialization;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("clickscape-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RoundTripIsBitExactWithMetadata()
    {
        var rng = new Random(1);
        var tensors = new Dictionary<string, Tensor>
        {
            ["b.weight"] = Tensor.Randn(rng, 1f, 7, 3),
            ["a"] = Tensor.FromArray([float.NaN, float.PositiveInfinity, -0f, float.Epsilon, 1e-38f], 5),
            ["scalar"] = Tensor.Scalar(3.5f),
            ["empty"] = Tensor.Zeros(0, 4),
            ["four"] = Tensor.Randn(rng, 1f, 2, 1, 3, 2),
        };
        string path = Path.Combine(_dir, "x.safetensors");
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["epoch"] = "3" });
        var loaded = SafeTensors.Load(path);
        Assert.Equal(tensors.Keys.Order(), loaded.Keys.Order());
        foreach (var (k, t) in tensors)
        {
            Assert.Equal(t.ShapeArray(), loaded[k].ShapeArray());
            Assert.Equal(t.ToArray().Select(BitConverter.SingleToInt32Bits), loaded[k].ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal("3", SafeTensors.ReadMetadata(path)["epoch"]);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp-*"));

        // Layout: 8-byte LE length, header padded to 8, data offsets contiguous.
        var bytes = File.ReadAllBytes(path);
        ulong h = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, h % 8);
        Assert.Contains("\"dtype\":\"F32\"", Encoding.UTF8.GetString(bytes, 8, (int)h), StringComparison.Ordinal);
        Assert.Equal(8 + (long)h + 4L * tensors.Values.Sum(t => t.Length), bytes.Length);
    }

    [Fact]
    public void ModuleCheckpointRoundTrip()
    {
        string path = Path.Combine(_dir, "m.safetensors");
        using var a = new Sequential(new Linear(3, 5, new Random(1)), new BatchNorm1d(5));
        ((BatchNorm1d)a.Layers[1]).RunningMean.Data.Fill(0.25f);
        SafeTensors.Save(path, a);
        using var b = new Sequential(new Linear(3, 5, new Random(2)), new BatchNorm1d(5));
        SafeTensors.LoadInto(b, path);
        foreach (var (k, t) in a.StateDict()) Assert.Equal(t.ToArray(), b.StateDict()[k].ToArray());
    }

    [Fact]
    public void TruncatedFileIsRejectedNamingFileAndTensor()
    {
        string path = Path.Combine(_dir, "t.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones(10, 10) });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^7]);
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);

        File.WriteAllBytes(path, bytes[..20]);
        ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        File.WriteAllBytes(path, bytes[..5]);
        Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
    }

    [Fact]
    public void MismatchedShapeIsRejected()
    {
        string path = Path.Combine(_dir, "s.safetensors");
        using var a = new Linear(3, 5, new Random(1));
        SafeTensors.Save(path, a);
        using var b = new Linear(4, 5, new Random(1));
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.LoadInto(b, path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'weight'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[5,3]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownDtypeAndInconsistentOffsetsAreRejected()
    {
        string path = Path.Combine(_dir, "d.safetensors");
        WriteRaw(path, "{\"x\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4]);
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains("'x'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BF16", ex.Message, StringComparison.Ordinal);

        WriteRaw(path, "{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[12]);
        ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains("[3]", ex.Message, StringComparison.Ordinal);

        WriteRaw(path, "{not json", []);
        Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Throws<FileNotFoundException>(() => SafeTensors.Load(Path.Combine(_dir, "missing.safetensors")));
    }

    [Fact]
    public void ReadsAFileWrittenByTheReferenceLayout()
    {
        // Hand-assembled as the Python safetensors library writes it (unpadded header is also legal).
        string path = Path.Combine(_dir, "ref.safetensors");
        var data = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(data, 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), -2f);
        WriteRaw(path, "{\"__metadata__\":{\"format\":\"pt\"},\"v\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}}", data);
        var t = SafeTensors.Load(path)["v"];
        Assert.Equal([1, 2], t.ShapeArray());
        Assert.Equal([1.5f, -2f], t.ToArray());
        Assert.Equal("pt", SafeTensors.ReadMetadata(path)["format"]);
    }

    private static void WriteRaw(string path, string header, byte[] data)
    {
        var h = Encoding.UTF8.GetBytes(header);
        using var fs = File.Create(path);
        var len = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)h.Length);
        fs.Write(len);
        fs.Write(h);
        fs.Write(data);
    }
}
