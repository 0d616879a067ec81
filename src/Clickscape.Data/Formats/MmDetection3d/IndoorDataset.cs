using System.Text.RegularExpressions;
using Clickscape.Data.Classes;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.MmDetection3d;

/// <summary>Which indoor dataset a preprocessed scene comes from; decides what its label ids mean.</summary>
public enum IndoorDataset
{
    /// <summary>Not known: labels are kept as the files have them, with no class table.</summary>
    Unknown,

    /// <summary>ScanNet: semantic ids are NYU40 ids (0 = unannotated), instances 1..K (0 = none).</summary>
    ScanNet,

    /// <summary>S3DIS: semantic ids are 0..12 class indices (ceiling = 0), read as our ids 1..13; instances 1..K.</summary>
    S3dis,
}

/// <summary>
/// The label conventions of mmdetection3d's indoor preprocessing (<c>batch_load_scannet_data.py</c>,
/// <c>collect_indoor3d_data.py</c>, <c>scannet_data_utils.py</c> / <c>s3dis_data_utils.py</c>) and how a scene's
/// dataset is recognized: by its id (<c>scene0000_00</c>, <c>Area_1_office_1</c>), else by a folder named after the
/// dataset above it.
/// </summary>
public static partial class IndoorDatasets
{
    /// <summary>The dataset of a scene with id <paramref name="sceneId"/> stored at <paramref name="path"/>.</summary>
    public static IndoorDataset Recognize(string sceneId, string path)
    {
        ArgumentNullException.ThrowIfNull(sceneId);
        if (ScanNetId().IsMatch(sceneId)) return IndoorDataset.ScanNet;
        if (S3disId().IsMatch(sceneId)) return IndoorDataset.S3dis;
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(path)) ?? "."); dir is not null; dir = dir.Parent)
        {
            if (dir.Name.Contains("scannet", StringComparison.OrdinalIgnoreCase)) return IndoorDataset.ScanNet;
            if (dir.Name.Contains("s3dis", StringComparison.OrdinalIgnoreCase)) return IndoorDataset.S3dis;
        }
        return IndoorDataset.Unknown;
    }

    /// <summary>
    /// Sets <paramref name="scene"/>'s semantic labels (from the raw ids <paramref name="semantic"/>) and instance ids
    /// (from <paramref name="instance"/>) as <paramref name="dataset"/> means them; either may be null (absent).
    /// </summary>
    internal static void Apply(Scene scene, IndoorDataset dataset, double[]? semantic, double[]? instance, string semanticSource, string instanceSource)
    {
        int n = scene.PointCount;
        if (semantic is not null)
        {
            var labels = ColumnMap.SemanticColumn(semantic, n, 1, 0, semanticSource);
            switch (dataset)
            {
                case IndoorDataset.ScanNet:
                    scene.Classes = labels.All(l => l <= 40) ? ClassTables.Nyu40 : null;
                    break;
                case IndoorDataset.S3dis:
                    for (int i = 0; i < n; i++)
                    {
                        if (labels[i] > 12) throw new DataFormatException(semanticSource, $"point {i}: S3DIS class index {labels[i]}, expected 0..12 (ceiling … clutter)");
                        labels[i] += 1;
                    }
                    scene.Classes = ClassTables.S3dis;
                    break;
            }
            scene.SemanticLabels = labels;
        }
        else if (dataset == IndoorDataset.ScanNet)
        {
            scene.Classes = ClassTables.Nyu40;
        }
        if (instance is not null) scene.InstanceIds = ColumnMap.InstanceColumn(instance, n, 1, 0, instanceSource);
    }

    /// <summary>A one-dimensional label array of <paramref name="n"/> integer values, as doubles.</summary>
    internal static double[] LabelArray(Npy.NpyArray array, int n, string path)
    {
        if (array.Shape.Length != 1 || array.Shape[0] != n)
            throw new DataFormatException(path, $"label array has shape ({string.Join(", ", array.Shape)}), expected ({n},) to match the points");
        if (array.DType is Npy.NpyDType.Float32 or Npy.NpyDType.Float64)
            throw new DataFormatException(path, $"label array is {Npy.NpyArray.Descr(array.DType)}, expected an integer dtype");
        return array.ToDoubleArray();
    }

    [GeneratedRegex(@"^scene\d{4}_\d{2}$")]
    private static partial Regex ScanNetId();

    [GeneratedRegex(@"^Area_\d+_")]
    private static partial Regex S3disId();
}
