using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Clickscape.Tensors.Nn;

namespace Clickscape.Tensors.Serialization;

/// <summary>
/// Checkpoints in the safetensors format (huggingface/safetensors): an 8-byte little-endian header length,
/// a UTF-8 JSON header <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …,
/// "__metadata__": {"key": "value"}}</c> padded with spaces to a multiple of 8, then the raw little-endian
/// tensor bytes (offsets relative to the end of the header). Readable by PyTorch/NumPy safetensors.
/// </summary>
/// <remarks>
/// Only F32 tensors are written and read. Writing goes to a temporary file in the same folder that is
/// renamed over the target, so a crash never leaves a half-written checkpoint. Reading validates everything
/// and throws <see cref="InvalidDataException"/> with one line naming the file and the tensor.
/// </remarks>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> (names sorted ordinally) and optional string metadata.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var names = tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

        using var headerStream = new MemoryStream();
        using (var w = new Utf8JsonWriter(headerStream))
        {
            w.WriteStartObject();
            if (metadata is not null && metadata.Count > 0)
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                if (name == MetadataKey) throw new ArgumentException($"{path}: '{MetadataKey}' is reserved and cannot name a tensor");
                var t = tensors[name];
                w.WriteStartObject(name);
                w.WriteString("dtype", "F32");
                w.WriteStartArray("shape");
                foreach (int d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + 4L * t.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += 4L * t.Length;
            }
            w.WriteEndObject();
        }
        int pad = (int)((8 - headerStream.Length % 8) % 8);
        for (int i = 0; i < pad; i++) headerStream.WriteByte((byte)' ');

        string full = Path.GetFullPath(path);
        string temp = full + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Span<byte> len = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)headerStream.Length);
                fs.Write(len);
                headerStream.Position = 0;
                headerStream.CopyTo(fs);
                foreach (var name in names) WriteFloats(fs, tensors[name].Data);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            if (File.Exists(temp)) File.Delete(temp);
            throw;
        }
    }

    /// <summary>Writes a module's parameters and buffers (its state dict).</summary>
    public static void Save(string path, Module module, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        Save(path, module.StateDict(), metadata);
    }

    private static void WriteFloats(Stream s, ReadOnlySpan<float> data)
    {
        if (BitConverter.IsLittleEndian)
        {
            s.Write(MemoryMarshal.AsBytes(data));
            return;
        }
        Span<byte> b = stackalloc byte[4];
        foreach (float f in data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(b, f);
            s.Write(b);
        }
    }

    /// <summary>Reads every tensor of the file (the caller owns and disposes them; they are not scoped).</summary>
    public static Dictionary<string, Tensor> Load(string path) => Read(path, out _);

    /// <summary>Reads the "__metadata__" map (empty if absent).</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var fs = OpenChecked(path, out long headerLength);
        using var doc = ParseHeader(path, fs, headerLength);
        return MetadataOf(path, doc.RootElement);
    }

    /// <summary>Copies the file's tensors into a module's parameters and buffers; names and shapes must match
    /// (with <paramref name="strict"/>, no tensor may be missing or extra).</summary>
    public static void LoadInto(Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        var loaded = Load(path);
        try
        {
            module.LoadStateDict(loaded, strict, path);
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    private static Dictionary<string, Tensor> Read(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        using var fs = OpenChecked(path, out long headerLength);
        using var doc = ParseHeader(path, fs, headerLength);
        long dataStart = 8 + headerLength, dataLength = fs.Length - dataStart;
        metadata = MetadataOf(path, doc.RootElement);
        var entries = new List<(string Name, int[] Shape, long Begin, long End)>();
        foreach (var prop in doc.RootElement.EnumerateObject())
        {
            if (prop.Name == MetadataKey) continue;
            string name = prop.Name;
            var e = prop.Value;
            if (e.ValueKind != JsonValueKind.Object) throw Bad(path, name, "header entry is not an object");
            if (!e.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String) throw Bad(path, name, "missing dtype");
            if (dtype.GetString() != "F32") throw Bad(path, name, $"unsupported dtype '{dtype.GetString()}' (only F32 is supported)");
            if (!e.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array) throw Bad(path, name, "missing shape");
            var shape = new List<int>();
            foreach (var d in shapeEl.EnumerateArray())
            {
                if (!d.TryGetInt32(out int v) || v < 0) throw Bad(path, name, "shape has a non-integer or negative dimension");
                shape.Add(v);
            }
            if (shape.Count > Tensor.MaxRank) throw Bad(path, name, $"rank {shape.Count} exceeds {Tensor.MaxRank}");
            if (!e.TryGetProperty("data_offsets", out var offs) || offs.ValueKind != JsonValueKind.Array || offs.GetArrayLength() != 2
                || !offs[0].TryGetInt64(out long begin) || !offs[1].TryGetInt64(out long end))
                throw Bad(path, name, "data_offsets must be [begin, end]");
            long expected = 4L * Tensor.ShapeLength(shape.ToArray());
            if (begin < 0 || end < begin || end - begin != expected)
                throw Bad(path, name, $"data_offsets [{begin}, {end}] do not hold shape {Tensor.ShapeString(shape.ToArray())} ({expected} bytes)");
            if (end > dataLength)
                throw Bad(path, name, $"file is truncated: tensor data ends at byte {dataStart + end}, file has {fs.Length} bytes");
            entries.Add((name, shape.ToArray(), begin, end));
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, shape, begin, end) in entries)
            {
                var t = Tensor.Empty(shape).DetachFromScope();
                result[name] = t;
                fs.Position = dataStart + begin;
                var bytes = MemoryMarshal.AsBytes(t.Data);
                fs.ReadExactly(bytes);
                if (!BitConverter.IsLittleEndian)
                {
                    var d = t.Data;
                    for (int i = 0; i < d.Length; i++) d[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * i, 4));
                }
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    private static FileStream OpenChecked(string path, out long headerLength)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: checkpoint file not found", path);
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            if (fs.Length < 8) throw new InvalidDataException($"{path}: not a safetensors file (only {fs.Length} bytes; the header length alone needs 8)");
            Span<byte> len = stackalloc byte[8];
            fs.ReadExactly(len);
            ulong h = BinaryPrimitives.ReadUInt64LittleEndian(len);
            if (h > (ulong)(fs.Length - 8) || h > 100_000_000)
                throw new InvalidDataException($"{path}: header length {h} exceeds the file ({fs.Length} bytes): truncated or not a safetensors file");
            headerLength = (long)h;
            return fs;
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    private static JsonDocument ParseHeader(string path, FileStream fs, long headerLength)
    {
        var header = new byte[headerLength];
        fs.Position = 8;
        fs.ReadExactly(header);
        try
        {
            var doc = JsonDocument.Parse(header.AsMemory().TrimEnd((byte)' '));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw new InvalidDataException($"{path}: safetensors header is not a JSON object");
            }
            return doc;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: safetensors header is not valid JSON ({ex.Message.Split('\n')[0]})", ex);
        }
    }

    private static Dictionary<string, string> MetadataOf(string path, JsonElement root)
    {
        var m = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty(MetadataKey, out var meta)) return m;
        if (meta.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: '{MetadataKey}' is not an object");
        foreach (var p in meta.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String) throw new InvalidDataException($"{path}: metadata '{p.Name}' is not a string");
            m[p.Name] = p.Value.GetString()!;
        }
        return m;
    }

    private static InvalidDataException Bad(string path, string tensor, string what) => new($"{path}: tensor '{tensor}': {what}");

    /// <summary>Header bytes as text (for diagnostics and tests).</summary>
    internal static string ReadHeaderText(string path)
    {
        using var fs = OpenChecked(path, out long h);
        var header = new byte[h];
        fs.ReadExactly(header);
        return Encoding.UTF8.GetString(header);
    }
}
