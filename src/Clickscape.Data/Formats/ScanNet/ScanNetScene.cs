using Clickscape.Data.Classes;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.ScanNet;

/// <summary>
/// Reads a ScanNet v2 scene folder (<c>scans/&lt;scene&gt;/</c>, REFERENCE.md §1.2) into a <see cref="Scene"/>
/// with NYU40 classes: geometry and colours from <c>_vh_clean_2.ply</c>; per-vertex semantic labels from
/// <c>_vh_clean_2.labels.ply</c> (else from the aggregation categories through a
/// <see cref="ScanNetLabelMap"/>); instance ids = objectId + 1 of the aggregation group holding each vertex's
/// segment (0 = none).
/// </summary>
public static class ScanNetScene
{
    /// <summary>Whether <paramref name="dir"/> looks like a ScanNet scene folder (it holds the mesh or labels PLY).</summary>
    public static bool IsSceneFolder(string dir)
    {
        var id = Path.GetFileName(Path.TrimEndingDirectorySeparator(dir));
        return File.Exists(Path.Combine(dir, ScanNetSceneWriter.MeshFileName(id))) || File.Exists(Path.Combine(dir, ScanNetSceneWriter.LabelsFileName(id)));
    }

    /// <summary>The scene folders of a dataset root: <c>root/scans/*</c> if present, else <c>root/*</c>; sorted.</summary>
    public static IReadOnlyList<string> SceneFolders(string root)
    {
        var scans = Path.Combine(root, "scans");
        var parent = Directory.Exists(scans) ? scans : root;
        return Directory.GetDirectories(parent).Where(IsSceneFolder).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Loads the scene in <paramref name="sceneDir"/>; <paramref name="labels"/> maps raw categories (default built-in).</summary>
    public static Scene Load(string sceneDir, ScanNetLabelMap? labels = null)
    {
        labels ??= ScanNetLabelMap.BuiltIn;
        string id = Path.GetFileName(Path.TrimEndingDirectorySeparator(sceneDir));
        if (!Directory.Exists(sceneDir)) throw new DirectoryNotFoundException($"{sceneDir}: no such scene folder");
        string meshPath = Path.Combine(sceneDir, ScanNetSceneWriter.MeshFileName(id));
        string labelsPath = Path.Combine(sceneDir, ScanNetSceneWriter.LabelsFileName(id));
        string aggregationPath = Path.Combine(sceneDir, AggregationFile.FileName(id));

        Scene scene;
        Scene? labelled = InputFile.IsPresent(labelsPath) ? PlyScene.Load(labelsPath) : null;
        if (InputFile.IsPresent(meshPath)) scene = PlyScene.Load(meshPath);
        else scene = labelled ?? throw new DataFormatException(sceneDir, $"ScanNet scene folder has neither {Path.GetFileName(meshPath)} nor {Path.GetFileName(labelsPath)}");
        scene.Name = id;
        int n = scene.PointCount;

        if (labelled is not null)
        {
            if (labelled.PointCount != n)
                throw new DataFormatException(labelsPath, $"{labelled.PointCount} vertices, the mesh has {n}");
            if (labelled.SemanticLabels is null)
                throw new DataFormatException(labelsPath, "vertex element has no 'label' property (NYU40 id per vertex)");
            scene.SemanticLabels = labelled.SemanticLabels;
        }

        if (InputFile.IsPresent(aggregationPath))
        {
            var aggregation = AggregationFile.Read(aggregationPath);
            scene.Notes.AddRange(aggregation.Notes);
            string segsPath = FindSegments(sceneDir, id, aggregation)
                ?? throw new DataFormatException(sceneDir, $"{Path.GetFileName(aggregationPath)} exists but no {id}_vh_clean_2.*.segs.json does");
            var segments = SegmentsFile.Read(segsPath);
            if (segments.SegIndices.Length != n)
                throw new DataFormatException(segsPath, $"{segments.SegIndices.Length} segment ids, the mesh has {n} vertices");
            scene.InstanceIds = aggregation.InstanceIds(segments.SegIndices);
            if (scene.SemanticLabels is null)
            {
                // No labels.ply: the label of each vertex is the category of its group.
                var semantic = new int[n];
                var labelOfInstance = aggregation.SegGroups.ToDictionary(g => g.ObjectId + 1, g => labels.ToNyu40(g.Label));
                for (int i = 0; i < n; i++)
                {
                    if (scene.InstanceIds[i] != Scene.NoInstance) semantic[i] = labelOfInstance[scene.InstanceIds[i]];
                }
                scene.SemanticLabels = semantic;
            }
        }
        scene.Classes = ClassTables.Nyu40;
        if (scene.Validate() is { } problem) throw new DataFormatException(sceneDir, problem);
        return scene;
    }

    private static string? FindSegments(string sceneDir, string id, AggregationFile aggregation)
    {
        if (aggregation.SegmentsFileName.Length > 0)
        {
            var named = aggregation.SegmentsFileName;
            if (named.StartsWith("scannet.", StringComparison.Ordinal)) named = named["scannet.".Length..];
            var candidate = Path.Combine(sceneDir, Path.GetFileName(named));
            if (File.Exists(candidate)) return candidate;
        }
        var standard = Path.Combine(sceneDir, SegmentsFile.FileName(id));
        if (File.Exists(standard)) return standard;
        return Directory.GetFiles(sceneDir, $"{id}_vh_clean_2.*.segs.json").Order(StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>
    /// The over-segmentation of the scene in <paramref name="sceneDir"/>: its <c>_vh_clean_2.0.010000.segs.json</c>
    /// when present, else ScanNet's Segmentator run on the mesh (0.01 / 20). A point cloud without a segs file
    /// is an error that says to run <c>clickscape oversegment</c>.
    /// </summary>
    public static int[] LoadOrComputeSegments(string sceneDir, Scene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var segsPath = Path.Combine(sceneDir, SegmentsFile.FileName(scene.Name));
        if (File.Exists(segsPath))
        {
            var segs = SegmentsFile.Read(segsPath);
            if (segs.SegIndices.Length != scene.PointCount)
                throw new DataFormatException(segsPath, $"{segs.SegIndices.Length} segment ids, the mesh has {scene.PointCount} vertices");
            return segs.SegIndices;
        }
        if (scene.Faces is null)
            throw new DataFormatException(sceneDir, $"no {Path.GetFileName(segsPath)} and no mesh faces to over-segment (run clickscape oversegment first)");
        return Clickscape.Geometry.Segmentation.MeshSegmentator.Segment(scene.Positions, scene.Faces);
    }
}
