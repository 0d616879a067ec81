using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.SemanticKitti;

/// <summary>
/// A SemanticKITTI lidar sweep (REFERENCE.md §10): <c>velodyne/NNNNNN.bin</c> float32 x y z remission per
/// point, and <c>labels/NNNNNN.label</c> uint32 per point, low 16 bits the raw semantic id, high 16 bits the
/// instance id. Remission is kept in <see cref="Remission"/> of <see cref="LoadWithRemission"/>.
/// </summary>
/// <remarks>
/// Scene instance ids number the distinct (instance, semantic) pairs with a nonzero instance 1..K in
/// ascending (instance, semantic) order, so an instance id shared by two classes stays two instances; a scene
/// whose ids are already 1..K with one class each keeps them exactly.
/// </remarks>
public static class SemanticKittiScan
{
    /// <summary>A sweep: the scene and the per-point remission (laser return strength).</summary>
    public sealed record Sweep(Scene Scene, float[] Remission);

    /// <summary>Loads a sweep; the label file is looked up next to the .bin or in <c>../labels/</c>.</summary>
    public static Scene Load(string binPath, string? labelPath = null) => LoadWithRemission(binPath, labelPath).Scene;

    /// <summary>Loads a sweep with its remission channel.</summary>
    public static Sweep LoadWithRemission(string binPath, string? labelPath = null)
    {
        var bytes = InputFile.ReadAllBytes(binPath);
        if (bytes.Length % 16 != 0)
            throw new DataFormatException(binPath, $"{bytes.Length} bytes is not a whole number of points (16 bytes each: float32 x y z remission)");
        int n = bytes.Length / 16;
        var values = new float[4 * n];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        var positions = new float[3 * n];
        var remission = new float[n];
        for (int i = 0; i < n; i++)
        {
            positions[3 * i] = values[4 * i];
            positions[3 * i + 1] = values[4 * i + 1];
            positions[3 * i + 2] = values[4 * i + 2];
            remission[i] = values[4 * i + 3];
        }
        var scene = new Scene(Path.GetFileNameWithoutExtension(binPath), positions);
        labelPath ??= FindLabels(binPath);
        if (labelPath is not null)
        {
            var raw = InputFile.ReadAllBytes(labelPath);
            if (raw.Length != 4 * n)
                throw new DataFormatException(labelPath, $"{raw.Length / 4.0} labels for {n} points: expected one uint32 per point of {Path.GetFileName(binPath)}");
            var packed = MemoryMarshal.Cast<byte, uint>(raw).ToArray();
            if (!BitConverter.IsLittleEndian)
            {
                for (int i = 0; i < packed.Length; i++) packed[i] = BinaryPrimitives.ReverseEndianness(packed[i]);
            }
            var semantic = new int[n];
            var instanceRaw = new int[n];
            for (int i = 0; i < n; i++)
            {
                semantic[i] = (int)(packed[i] & 0xFFFF);
                instanceRaw[i] = (int)(packed[i] >> 16);
            }
            var pairs = new SortedSet<(int Instance, int Semantic)>();
            for (int i = 0; i < n; i++)
            {
                if (instanceRaw[i] != 0) pairs.Add((instanceRaw[i], semantic[i]));
            }
            var number = new Dictionary<(int, int), int>();
            foreach (var pair in pairs) number[pair] = number.Count + 1;
            var instances = new int[n];
            for (int i = 0; i < n; i++) instances[i] = instanceRaw[i] == 0 ? 0 : number[(instanceRaw[i], semantic[i])];
            scene.SemanticLabels = semantic;
            scene.InstanceIds = instances;
            scene.Classes = SemanticKittiClasses.Raw;
        }
        if (scene.Validate() is { } problem) throw new DataFormatException(binPath, problem);
        return new Sweep(scene, remission);
    }

    /// <summary>
    /// Writes <paramref name="binPath"/> (x y z remission, remission 0 when not given) and, when the scene has
    /// labels, <paramref name="labelPath"/> (semantic | instance &lt;&lt; 16); a file already at <paramref name="labelPath"/>
    /// is removed when the scene has no labels. Ids must fit 16 bits, else a <see cref="DataFormatException"/> naming
    /// <paramref name="labelPath"/> before anything is written.
    /// </summary>
    public static void Save(string binPath, string? labelPath, Scene scene, float[]? remission = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        int n = scene.PointCount;
        if (remission is not null && remission.Length != n) throw new ArgumentException($"{remission.Length} remission values for {n} points");
        var bin = new byte[16 * n];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 3; c++) BinaryPrimitives.WriteSingleLittleEndian(bin.AsSpan(16 * i + 4 * c), scene.Positions[3 * i + c]);
            BinaryPrimitives.WriteSingleLittleEndian(bin.AsSpan(16 * i + 12), remission?[i] ?? 0f);
        }
        // Labels are checked before anything is written, so a scene the format cannot hold leaves the old files.
        byte[]? label = null;
        if (labelPath is not null && (scene.SemanticLabels is not null || scene.InstanceIds is not null))
        {
            label = new byte[4 * n];
            for (int i = 0; i < n; i++)
            {
                int s = scene.SemanticLabels?[i] ?? 0, k = scene.InstanceIds?[i] ?? 0;
                if (s is < 0 or > 0xFFFF || k is < 0 or > 0xFFFF)
                    throw new DataFormatException(labelPath, $"point {i}: semantic {s} / instance {k} do not fit SemanticKITTI's 16 bits (0..65535 each)");
                BinaryPrimitives.WriteUInt32LittleEndian(label.AsSpan(4 * i), (uint)s | ((uint)k << 16));
            }
        }
        // A .label left from an earlier scene at this path would be read as this scene's labels: remove it first,
        // so that an interrupted write leaves at worst a sweep without labels, never one with stale labels.
        if (labelPath is not null && File.Exists(labelPath)) File.Delete(labelPath);
        AtomicFile.WriteAllBytes(binPath, bin);
        if (label is not null) AtomicFile.WriteAllBytes(labelPath!, label);
    }

    private static string? FindLabels(string binPath)
    {
        var stem = Path.GetFileNameWithoutExtension(binPath);
        var dir = Path.GetDirectoryName(Path.GetFullPath(binPath))!;
        var beside = Path.Combine(dir, stem + ".label");
        if (InputFile.IsPresent(beside)) return beside;
        var sibling = Path.Combine(Path.GetDirectoryName(dir) ?? dir, "labels", stem + ".label");
        return InputFile.IsPresent(sibling) ? sibling : null;
    }
}
