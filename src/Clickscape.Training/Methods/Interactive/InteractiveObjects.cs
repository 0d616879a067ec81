using System.Globalization;
using Clickscape.Data;
using Clickscape.Data.Classes;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Training.Methods.Interactive;

/// <summary>One object of the interactive protocol: the crop it is segmented in and its ground-truth mask over the crop.</summary>
/// <param name="Scene">Scene (or crop file) id.</param>
/// <param name="ObjectId">Instance id in the scene (crop number for crop folders).</param>
/// <param name="ClassId">nyu40 id of the object (0 = unknown).</param>
/// <param name="Crop">The points segmented.</param>
/// <param name="Mask">True on the object's points of <paramref name="Crop"/>.</param>
public sealed record InteractiveObjectSample(string Scene, int ObjectId, int ClassId, Scene Crop, bool[] Mask);

/// <summary>
/// The objects <c>clickscape interactive evaluate</c> scores, from any of the three inputs of the protocol: a folder of
/// crop + mask PLY pairs (<c>*_crop_i.ply</c> with <c>*_mask_i.ply</c>, colour &gt; 127 = object, as InterObject3D ships
/// them; class names one per line in a <c>*classes*.txt</c> beside them when present), a labelled scan, or a dataset
/// (each instance of each scene of the split is an object, cropped 5 m × 5 m around its box as the reference does,
/// <see cref="InteractiveCrops.Crop"/>).
/// </summary>
public static class InteractiveObjects
{
    /// <summary>Whether <paramref name="path"/> is a folder of crop + mask pairs.</summary>
    public static bool IsCropFolder(string path) => Directory.Exists(path) && Directory.EnumerateFiles(path, "*_crop_*.ply").Any();

    /// <summary>
    /// The objects of <paramref name="path"/>; for datasets the scenes of <paramref name="split"/> (a single scan: that scan),
    /// at most <paramref name="maxScenes"/> of them (0 = all), objects of at least <paramref name="minPoints"/> points.
    /// Loaded lazily, one scene at a time.
    /// </summary>
    public static IEnumerable<InteractiveObjectSample> Load(string path, string split = "val", int maxScenes = 0, int minPoints = 1, float cropSide = InteractiveCrops.ReferenceSide)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsCropFolder(path)) return CropFolder(path);
        var dataset = SceneDataset.Open(path);
        var scenes = dataset.Scenes.Count == 1 && !dataset.HasSplit(split) ? dataset.Scenes : dataset.Split(split);
        if (maxScenes > 0) scenes = scenes.Take(maxScenes).ToList();
        return FromScenes(scenes, minPoints, cropSide);
    }

    private static IEnumerable<InteractiveObjectSample> FromScenes(IReadOnlyList<SceneSource> scenes, int minPoints, float cropSide)
    {
        foreach (var source in scenes)
        {
            var scene = source.Load();
            if (scene.InstanceIds is null)
                throw new DataFormatException(source.Path, $"scene '{source.Name}' has no instance labels: interactive evaluation needs every object's mask");
            foreach (var o in FromScene(scene, source.Name, minPoints, cropSide)) yield return o;
        }
    }

    /// <summary>The objects of one labelled scene: every instance id ≥ 1 with at least <paramref name="minPoints"/> points, ascending.</summary>
    public static IEnumerable<InteractiveObjectSample> FromScene(Scene scene, string name, int minPoints = 1, float cropSide = InteractiveCrops.ReferenceSide)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var ids = scene.InstanceIds ?? throw new ArgumentException($"scene '{name}' has no instance labels", nameof(scene));
        var counts = new Dictionary<int, int>();
        foreach (int id in ids)
        {
            if (id > 0) counts[id] = counts.GetValueOrDefault(id) + 1;
        }
        foreach (int id in counts.Where(kv => kv.Value >= minPoints).Select(kv => kv.Key).Order())
        {
            var whole = ids.Select(v => v == id).ToArray();
            var kept = InteractiveCrops.Crop(scene.Positions, whole, cropSide);
            var crop = scene.Slice(kept);
            crop.Name = $"{name}/{id}";
            var mask = kept.Select(i => whole[i]).ToArray();
            yield return new InteractiveObjectSample(name, id, MajorityClass(scene.SemanticLabels, whole), crop, mask);
        }
    }

    private static int MajorityClass(int[]? semantic, bool[] mask)
    {
        if (semantic is null) return 0;
        var votes = new Dictionary<int, int>();
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] && semantic[i] > 0) votes[semantic[i]] = votes.GetValueOrDefault(semantic[i]) + 1;
        }
        return votes.Count == 0 ? 0 : votes.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First().Key;
    }

    private static IEnumerable<InteractiveObjectSample> CropFolder(string dir)
    {
        var crops = Directory.GetFiles(dir, "*_crop_*.ply")
            .Select(f => (File: f, Number: CropNumber(f))).OrderBy(c => c.Number).ToList();
        var names = Directory.GetFiles(dir, "*classes*.txt").Order(StringComparer.Ordinal).FirstOrDefault() is { } list
            ? InputFile.ReadAllLines(list).Select(l => l.Trim()).Where(l => l.Length > 0).ToList()
            : [];
        foreach (var (file, number) in crops)
        {
            string maskFile = Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileName(file).Replace("_crop_", "_mask_", StringComparison.Ordinal));
            if (!File.Exists(maskFile)) throw new DataFormatException(file, $"crop without its mask: expected {Path.GetFileName(maskFile)} beside it");
            var crop = PlyScene.Load(file);
            var maskScene = PlyScene.Load(maskFile);
            if (maskScene.PointCount != crop.PointCount)
                throw new DataFormatException(maskFile, $"mask has {maskScene.PointCount} points, its crop {crop.PointCount}");
            var colors = maskScene.Colors ?? throw new DataFormatException(maskFile, "mask has no colours (expected 255 = object, 0 = background)");
            var mask = Enumerable.Range(0, crop.PointCount).Select(p => colors[3 * p] > 127).ToArray();
            if (!mask.Any(m => m)) throw new DataFormatException(maskFile, "mask marks no point as the object");
            int classId = number < names.Count ? ClassTables.Nyu40.FindByName(names[number])?.Id ?? 0 : 0;
            string scene = Path.GetFileNameWithoutExtension(file);
            crop.Name = scene;
            yield return new InteractiveObjectSample(scene, number, classId, crop, mask);
        }
    }

    private static int CropNumber(string file)
    {
        string stem = Path.GetFileNameWithoutExtension(file);
        return int.TryParse(stem[(stem.LastIndexOf('_') + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 0
            ? n
            : throw new DataFormatException(file, "crop file name must end in _crop_<number>.ply");
    }

    /// <summary>Whether <paramref name="classId"/> is one of the 20 benchmark classes the networks train on ("seen").</summary>
    public static bool IsSeen(int classId) => ScanNetBenchmark.IsSemanticClass(classId);
}
