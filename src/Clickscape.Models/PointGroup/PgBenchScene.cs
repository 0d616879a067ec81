using Clickscape.Data.Formats.Npy;
using Clickscape.Data.IO;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.PointGroup;

/// <summary>
/// The benchmark scene that <c>perf-ref/unet_step.py --dump DIR</c> writes: <c>coords.npy</c> (int N × 3 voxel
/// indices at 2 cm), <c>feats.npy</c> (float32 N × C, RGB + centred xyz), <c>sem.npy</c> (N classes),
/// <c>inst.npy</c> (N instance ids, −100 = stuff) and <c>off_gt.npy</c> (float32 N × 3 offsets to the instance centroid).
/// </summary>
public sealed class PgBenchScene
{
    private PgBenchScene(int[] coordinates, float[] features, int channels, PgTargets targets)
    {
        Coordinates = coordinates;
        Features = features;
        Channels = channels;
        Targets = targets;
    }

    /// <summary>Voxel indices, N × 3.</summary>
    public int[] Coordinates { get; }

    /// <summary>Input features, N × <see cref="Channels"/>.</summary>
    public float[] Features { get; }

    /// <summary>Input channels.</summary>
    public int Channels { get; }

    /// <summary>Semantic, instance and offset targets.</summary>
    public PgTargets Targets { get; }

    /// <summary>Voxels N.</summary>
    public int Count => Targets.Count;

    /// <summary>Reads the five arrays from <paramref name="directory"/>; any missing file or mismatched shape is a <see cref="DataFormatException"/>.</summary>
    public static PgBenchScene Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
            throw new DataFormatException(directory, "no such folder (expected the output of unet_step.py --dump: coords.npy, feats.npy, sem.npy, inst.npy, off_gt.npy)");
        var coords = Read(directory, "coords", columns: 3, integer: true);
        int n = coords.Shape[0];
        var feats = Read(directory, "feats", columns: -1, integer: false);
        var sem = Read(directory, "sem", columns: 0, integer: true);
        var inst = Read(directory, "inst", columns: 0, integer: true);
        var off = Read(directory, "off_gt", columns: 3, integer: false);
        foreach (var (name, array) in new[] { ("feats", feats), ("sem", sem), ("inst", inst), ("off_gt", off) })
        {
            if (array.Shape[0] != n)
                throw new DataFormatException(Path.Combine(directory, name + ".npy"), $"has {array.Shape[0]} rows, expected {n} (one per voxel of coords.npy)");
        }
        int channels = feats.Shape[1];
        var coordinates = coords.ToInt32Array();
        for (int i = 0; i < coordinates.Length; i++)
        {
            if (coordinates[i] < 0)
                throw new DataFormatException(Path.Combine(directory, "coords.npy"), $"row {i / 3} has a negative voxel index {coordinates[i]}; expected indices ≥ 0");
        }
        return new PgBenchScene(coordinates, feats.ToSingleArray(), channels, new PgTargets(sem.ToInt32Array(), inst.ToInt32Array(), off.ToSingleArray()));
    }

    /// <summary>The coordinate set (batch 0); a repeated voxel is a <see cref="DataFormatException"/> naming <paramref name="source"/>.</summary>
    public SparseCoords CreateCoords(string source = "coords.npy")
    {
        try
        {
            return SparseCoords.FromXyz(Coordinates);
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(source, e.Message, e);
        }
    }

    /// <summary>Reads NAME.npy; <paramref name="columns"/> 0 = 1-D, −1 = 2-D of any width, k = N × k.</summary>
    private static NpyArray Read(string directory, string name, int columns, bool integer)
    {
        string path = Path.Combine(directory, name + ".npy");
        if (!File.Exists(path)) throw new DataFormatException(path, "missing (unet_step.py --dump writes coords, feats, sem, inst and off_gt .npy files)");
        var array = NpyReader.Read(path);
        string expected = columns == 0 ? "[N]" : columns < 0 ? "[N, C]" : $"[N, {columns}]";
        bool shapeOk = columns == 0 ? array.Shape.Length == 1 : array.Shape.Length == 2 && (columns < 0 ? array.Shape[1] > 0 : array.Shape[1] == columns);
        if (!shapeOk) throw new DataFormatException(path, $"has shape ({string.Join(", ", array.Shape)}), expected {expected}");
        bool isInteger = array.DType is NpyDType.Int8 or NpyDType.UInt8 or NpyDType.Int16 or NpyDType.UInt16 or NpyDType.Int32 or NpyDType.UInt32 or NpyDType.Int64 or NpyDType.UInt64;
        bool isFloat = array.DType is NpyDType.Float32 or NpyDType.Float64;
        if (integer ? !isInteger : !isFloat)
            throw new DataFormatException(path, $"has dtype {NpyArray.Descr(array.DType)}, expected {(integer ? "an integer type" : "float32")}");
        return array;
    }
}
