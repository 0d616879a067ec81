using Clickscape.Data.Classes;
using Clickscape.Data.Formats.MmDetection3d;
using Clickscape.Data.Formats.Npy;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.Pointcept;

/// <summary>
/// Pointcept's preprocessed scene folder (<c>preprocess_scannet.py</c>, <c>preprocess_s3dis.py</c>): one folder per scene
/// holding <c>coord.npy</c> (float32 N×3), optional <c>color.npy</c> (N×3, 0–255), <c>normal.npy</c> (N×3),
/// <c>segment20.npy</c> (ScanNet: index into the 20 benchmark classes, −1 = ignore) or <c>segment.npy</c> (S3DIS: class
/// index 0..12), and <c>instance.npy</c> (0-based, −1 = none). ScanNet indices become NYU40 ids
/// (<see cref="ScanNetBenchmark.Semantic20Ids"/>), S3DIS indices our ids 1..13; a <c>segment.npy</c> of an unknown
/// dataset is kept as it is, with no class table.
/// </summary>
public static class PointceptScene
{
    /// <summary>Whether <paramref name="dir"/> is such a folder (it holds <c>coord.npy</c>).</summary>
    public static bool IsSceneFolder(string dir) => File.Exists(Path.Combine(dir, "coord.npy"));

    /// <summary>Loads the scene in <paramref name="dir"/>, named after the folder.</summary>
    public static Scene Load(string dir)
    {
        var id = Path.GetFileName(Path.TrimEndingDirectorySeparator(dir));
        var coordPath = Path.Combine(dir, "coord.npy");
        var coord = NpyReader.Read(coordPath);
        if (coord.Shape is not [var n, 3]) throw new DataFormatException(coordPath, $"shape ({string.Join(", ", coord.Shape)}), expected (N, 3) x y z");
        var scene = new Scene(id, coord.ToSingleArray());
        if (Triples(dir, "color.npy", n) is { } color) scene.Colors = [.. color.Select(v => float.IsNaN(v) ? (byte)0 : (byte)Math.Clamp(MathF.Round(v), 0, 255))];
        if (Triples(dir, "normal.npy", n) is { } normal) scene.Normals = normal;

        var seg20 = Path.Combine(dir, "segment20.npy");
        var seg = Path.Combine(dir, "segment.npy");
        if (File.Exists(seg20))
        {
            var raw = IndoorDatasets.LabelArray(NpyReader.Read(seg20), n, seg20);
            var labels = new int[n];
            for (int i = 0; i < n; i++)
            {
                if (raw[i] is -1 or -100) continue;
                if (raw[i] is < 0 or >= 20 || raw[i] != Math.Floor(raw[i]))
                    throw new DataFormatException(seg20, $"point {i}: class index {raw[i]}, expected 0..19 (or −1 for ignore)");
                labels[i] = ScanNetBenchmark.Semantic20Ids[(int)raw[i]];
            }
            scene.SemanticLabels = labels;
            scene.Classes = ClassTables.Nyu40;
        }
        else if (File.Exists(seg))
        {
            var raw = IndoorDatasets.LabelArray(NpyReader.Read(seg), n, seg);
            bool s3dis = IndoorDatasets.Recognize(id, dir) == IndoorDataset.S3dis
                || (Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(Path.TrimEndingDirectorySeparator(dir)))) ?? "").StartsWith("Area_", StringComparison.Ordinal);
            var apply = new Scene(id, scene.Positions);
            IndoorDatasets.Apply(apply, s3dis ? IndoorDataset.S3dis : IndoorDataset.Unknown, raw, null, seg, seg);
            scene.SemanticLabels = apply.SemanticLabels;
            scene.Classes = apply.Classes;
        }
        var insPath = Path.Combine(dir, "instance.npy");
        if (File.Exists(insPath)) scene.InstanceIds = ColumnMap.InstanceColumn(IndoorDatasets.LabelArray(NpyReader.Read(insPath), n, insPath), n, 1, 0, insPath);
        if (scene.Validate() is { } problem) throw new DataFormatException(dir, problem);
        return scene;
    }

    private static float[]? Triples(string dir, string file, int n)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path)) return null;
        var array = NpyReader.Read(path);
        if (array.Shape is not [var rows, 3] || rows != n) throw new DataFormatException(path, $"shape ({string.Join(", ", array.Shape)}), expected ({n}, 3) to match coord.npy");
        return array.ToSingleArray();
    }
}
