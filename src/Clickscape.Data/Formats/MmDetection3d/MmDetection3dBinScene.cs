using System.Buffers.Binary;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.MmDetection3d;

/// <summary>
/// mmdetection3d's newer indoor layout (<c>create_data.py</c> for ScanNet and S3DIS, v1.x):
/// <c>ROOT/points/&lt;scene&gt;.bin</c> raw float32 N×6 (x y z r g b, colours 0–255, no header),
/// <c>ROOT/instance_mask/&lt;scene&gt;.bin</c> and <c>ROOT/semantic_mask/&lt;scene&gt;.bin</c> raw int64 N
/// (ScanNet: NYU40 ids and instances 1..K; S3DIS: class indices 0..12 and instances; see <see cref="IndoorDataset"/>).
/// Recognized by that folder layout, not by the extension (a SemanticKITTI <c>.bin</c> is x y z remission);
/// the mask files are parts of their scene, not scenes. A lone <c>.bin</c> outside both layouts is taken for
/// x y z r g b only when every row's colour columns are whole numbers in 0–255 (<see cref="LooksLikeXyzRgb"/>).
/// </summary>
public static class MmDetection3dBinScene
{
    /// <summary>The folder of the point files.</summary>
    public const string PointsFolder = "points";

    /// <summary>The folder of the instance masks.</summary>
    public const string InstanceFolder = "instance_mask";

    /// <summary>The folder of the semantic masks.</summary>
    public const string SemanticFolder = "semantic_mask";

    private static readonly string[] SideFolders = [InstanceFolder, SemanticFolder, "super_points"];

    /// <summary>Whether <paramref name="path"/> is <c>ROOT/points/&lt;scene&gt;.bin</c>.</summary>
    public static bool IsPointsFile(string path) => ParentName(path) == PointsFolder;

    /// <summary>Whether <paramref name="path"/> is a mask (or super-point) file beside a <c>points/</c> folder.</summary>
    public static bool IsSideFile(string path)
    {
        var parent = ParentName(path);
        return SideFolders.Contains(parent, StringComparer.Ordinal)
            && Directory.Exists(Path.Combine(LayoutRoot(path), PointsFolder));
    }

    /// <summary>
    /// Whether the raw float32 file at <paramref name="path"/>, read as N×6, has whole-number colours 0–255 in
    /// columns 4–6 and finite coordinates on each of its first <see cref="SniffRows"/> rows: true for mmdetection3d
    /// point files, false for SemanticKITTI sweeps (whose 6-wide view puts y coordinates and fractional remissions there).
    /// </summary>
    public static bool LooksLikeXyzRgb(string path)
    {
        using var stream = File.OpenRead(path);
        long length = stream.Length;
        if (length == 0 || length % 24 != 0) return false;
        var head = new byte[(int)Math.Min(length, 24L * SniffRows)];
        stream.ReadExactly(head);
        for (int row = 0; row < head.Length / 24; row++)
        {
            for (int c = 0; c < 6; c++)
            {
                float v = BinaryPrimitives.ReadSingleLittleEndian(head.AsSpan(24 * row + 4 * c));
                if (!float.IsFinite(v)) return false;
                if (c >= 3 && (v is < 0 or > 255 || v != MathF.Floor(v))) return false;
            }
        }
        return true;
    }

    /// <summary>How many leading rows <see cref="LooksLikeXyzRgb"/> looks at.</summary>
    public const int SniffRows = 4096;

    /// <summary>Loads <c>points/&lt;scene&gt;.bin</c> with the masks beside it (either may be absent).</summary>
    public static Scene Load(string pointsPath, ColumnMap? columns = null)
    {
        ArgumentNullException.ThrowIfNull(pointsPath);
        var id = Path.GetFileNameWithoutExtension(pointsPath);
        var root = LayoutRoot(pointsPath);
        var insPath = Path.Combine(root, InstanceFolder, id + ".bin");
        var semPath = Path.Combine(root, SemanticFolder, id + ".bin");
        bool inLayout = IsPointsFile(pointsPath);
        var instance = inLayout && File.Exists(insPath) ? ReadMask(insPath) : null;
        var semantic = inLayout && File.Exists(semPath) ? ReadMask(semPath) : null;
        if (instance is not null && semantic is not null && instance.Length != semantic.Length)
            throw new DataFormatException(semPath, $"{semantic.Length} labels, {insPath} has {instance.Length}; expected one int64 per point in both");
        int? n = (instance ?? semantic)?.Length;

        var bytes = File.ReadAllBytes(pointsPath);
        int width;
        if (columns is not null) width = columns.Width;
        else if (n is > 0) width = bytes.Length % (4 * n.Value) == 0 ? bytes.Length / (4 * n.Value) : -1;
        else width = 6;
        long expected = n is { } count && width > 0 ? 4L * count * width : -1;
        if (width <= 0 || (expected >= 0 && bytes.Length != expected) || bytes.Length % (4 * width) != 0)
        {
            throw new DataFormatException(pointsPath, n is { } m
                ? $"{bytes.Length} bytes, the masks hold {m} points: expected float32 {m}×{columns?.Width ?? 6} (x y z r g b, {4L * m * (columns?.Width ?? 6)} bytes) as mmdetection3d writes points/<scene>.bin"
                : $"{bytes.Length} bytes is not a whole number of float32 rows of {width} (x y z r g b) as mmdetection3d writes points/<scene>.bin");
        }
        int rows = bytes.Length / (4 * width);
        var values = new float[rows * width];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        var map = columns ?? ColumnMap.Infer<float>(values, rows, width, pointsPath);
        var scene = map.ToScene<float>(values, rows, id, pointsPath);
        if (!map.HasLabels)
            IndoorDatasets.Apply(scene, IndoorDatasets.Recognize(id, pointsPath), semantic, instance, semPath, insPath);
        if (scene.Validate() is { } problem) throw new DataFormatException(pointsPath, problem);
        return scene;
    }

    private static double[] ReadMask(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length % 8 != 0)
            throw new DataFormatException(path, $"{bytes.Length} bytes is not a whole number of int64 labels (mmdetection3d masks are raw int64, one per point)");
        var values = new double[bytes.Length / 8];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8 * i));
        return values;
    }

    private static string ParentName(string path) => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? "";

    private static string LayoutRoot(string path) => Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path))!) ?? ".";
}
