using Clickscape.Data.Classes;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.ScanNet;

/// <summary>
/// Writes a labelled scene in the ScanNet v2 layout (REFERENCE.md §1.2), so generated scenes and real scans go
/// through the same reader: <c>scansDir/&lt;scene&gt;/</c> receives the mesh <c>_vh_clean_2.ply</c>
/// (binary, x y z float + red green blue alpha uchar + faces), the over-segmentation
/// <c>_vh_clean_2.0.010000.segs.json</c>, the objects <c>.aggregation.json</c> and the per-vertex NYU40
/// labels <c>_vh_clean_2.labels.ply</c> (vertices coloured with the NYU40 palette, ushort <c>label</c>).
/// Each file is written atomically.
/// </summary>
/// <remarks>
/// Aggregation: each segment joins the instance most of its vertices carry (ties → lower instance id;
/// a segment whose majority is <see cref="Scene.NoInstance"/> joins no group); group objectId = instance − 1
/// and label = the NYU40 name of the majority semantic label of the instance's vertices ("unknown" if 0).
/// Reading the folder back gives the instance ids exactly when no segment straddles two instances — pass
/// segments through <see cref="SplitSegmentsByInstance"/> first to guarantee it.
/// </remarks>
public static class ScanNetSceneWriter
{
    /// <summary>The mesh file name of a scene, <c>&lt;scene&gt;_vh_clean_2.ply</c>.</summary>
    public static string MeshFileName(string sceneId) => $"{sceneId}_vh_clean_2.ply";

    /// <summary>The labels file name of a scene, <c>&lt;scene&gt;_vh_clean_2.labels.ply</c>.</summary>
    public static string LabelsFileName(string sceneId) => $"{sceneId}_vh_clean_2.labels.ply";

    /// <summary>Writes the four files of <paramref name="scene"/> into <c>scansDir/sceneId/</c> as a unit (<see cref="AtomicFolder"/>),
    /// replacing any folder already there.</summary>
    public static void Write(string scansDir, string sceneId, Scene scene, int[] segIndices, float kThresh = 0.01f, int segMinVerts = 20)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(segIndices);
        if (string.IsNullOrWhiteSpace(sceneId) || sceneId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"'{sceneId}' is not a usable scene id");
        if (scene.Validate() is { } problem) throw new ArgumentException($"scene '{sceneId}': {problem}");
        int n = scene.PointCount;
        if (segIndices.Length != n) throw new ArgumentException($"scene '{sceneId}': {segIndices.Length} segment ids for {n} vertices");
        var labels = scene.SemanticLabels ?? new int[n];
        var instances = scene.InstanceIds ?? new int[n];
        // The four files appear together or not at all: an interrupted write must not leave a scene that loads without its labels.
        AtomicFolder.Write(Path.Combine(scansDir, sceneId), dir => WriteFiles(dir, sceneId, scene, segIndices, labels, instances, kThresh, segMinVerts));
    }

    private static void WriteFiles(string dir, string sceneId, Scene scene, int[] segIndices, int[] labels, int[] instances, float kThresh, int segMinVerts)
    {
        int n = scene.PointCount;

        // Mesh: geometry + colours (grey when the scene has none), as ScanNet's _vh_clean_2.ply.
        var colors = scene.Colors;
        if (colors is null)
        {
            colors = new byte[3 * n];
            Array.Fill(colors, (byte)128);
        }
        var mesh = new Scene(sceneId, scene.Positions) { Colors = colors, Faces = scene.Faces };
        PlyScene.Save(Path.Combine(dir, MeshFileName(sceneId)), mesh, new PlyWriteOptions { Alpha = true, Normals = false });

        // Over-segmentation.
        string segsName = SegmentsFile.FileName(sceneId, kThresh);
        new SegmentsFile(sceneId, segIndices, kThresh, segMinVerts).Write(Path.Combine(dir, segsName));

        // Objects.
        new AggregationFile($"scannet.{sceneId}", BuildSegGroups(segIndices, labels, instances), $"scannet.{segsName}")
            .Write(Path.Combine(dir, AggregationFile.FileName(sceneId)));

        // Per-vertex NYU40 labels, coloured with the palette as the released labels.ply are.
        var paletteColors = new byte[3 * n];
        for (int i = 0; i < n; i++)
        {
            var (r, g, b) = ClassTables.Nyu40Color(labels[i]);
            paletteColors[3 * i] = r;
            paletteColors[3 * i + 1] = g;
            paletteColors[3 * i + 2] = b;
        }
        var labelled = new Scene(sceneId, scene.Positions) { Colors = paletteColors, Faces = scene.Faces, SemanticLabels = labels };
        PlyScene.Save(Path.Combine(dir, LabelsFileName(sceneId)), labelled, new PlyWriteOptions { Alpha = true, Normals = false, Labels = true });
    }

    /// <summary>
    /// The aggregation groups of a labelled scene: segments grouped by the majority instance of their vertices.
    /// Groups are ordered by instance id; segments ascending.
    /// </summary>
    public static IReadOnlyList<SegGroup> BuildSegGroups(int[] segIndices, int[] semanticLabels, int[] instanceIds)
    {
        ArgumentNullException.ThrowIfNull(segIndices);
        ArgumentNullException.ThrowIfNull(semanticLabels);
        ArgumentNullException.ThrowIfNull(instanceIds);
        int n = segIndices.Length;
        if (semanticLabels.Length != n || instanceIds.Length != n)
            throw new ArgumentException($"{n} segment ids, {semanticLabels.Length} labels and {instanceIds.Length} instance ids: expected one each per vertex");

        // Votes (segment, instance) → vertex count.
        var votes = new Dictionary<(int Segment, int Instance), int>();
        for (int i = 0; i < n; i++) votes[(segIndices[i], instanceIds[i])] = votes.GetValueOrDefault((segIndices[i], instanceIds[i])) + 1;
        var best = new Dictionary<int, (int Instance, int Count)>();
        foreach (var ((segment, instance), count) in votes)
        {
            if (!best.TryGetValue(segment, out var b) || count > b.Count || (count == b.Count && instance < b.Instance))
                best[segment] = (instance, count);
        }
        var segmentsOf = new SortedDictionary<int, List<int>>();
        foreach (var (segment, (instance, _)) in best)
        {
            if (instance == Scene.NoInstance) continue;
            if (!segmentsOf.TryGetValue(instance, out var list)) segmentsOf[instance] = list = [];
            list.Add(segment);
        }

        // Label of an instance: majority semantic label of its vertices.
        var labelVotes = new Dictionary<(int Instance, int Label), int>();
        for (int i = 0; i < n; i++)
        {
            if (instanceIds[i] != Scene.NoInstance) labelVotes[(instanceIds[i], semanticLabels[i])] = labelVotes.GetValueOrDefault((instanceIds[i], semanticLabels[i])) + 1;
        }
        var labelOf = new Dictionary<int, (int Label, int Count)>();
        foreach (var ((instance, label), count) in labelVotes)
        {
            if (!labelOf.TryGetValue(instance, out var b) || count > b.Count || (count == b.Count && label < b.Label))
                labelOf[instance] = (label, count);
        }

        var groups = new List<SegGroup>();
        foreach (var (instance, segments) in segmentsOf)
        {
            segments.Sort();
            int label = labelOf.TryGetValue(instance, out var l) ? l.Label : 0;
            string name = ClassTables.Nyu40.Find(label)?.Name ?? "unknown";
            groups.Add(new SegGroup(instance - 1, instance - 1, segments.ToArray(), name));
        }
        return groups;
    }

    /// <summary>
    /// Refines a segmentation so that no segment holds vertices of two instances: each (segment, instance) pair
    /// becomes its own segment, identified by its lowest vertex index (the segmentator's root-vertex style).
    /// </summary>
    public static int[] SplitSegmentsByInstance(int[] segIndices, int[] instanceIds)
    {
        ArgumentNullException.ThrowIfNull(segIndices);
        ArgumentNullException.ThrowIfNull(instanceIds);
        if (segIndices.Length != instanceIds.Length) throw new ArgumentException($"{segIndices.Length} segment ids for {instanceIds.Length} instance ids");
        var first = new Dictionary<(int, int), int>();
        var result = new int[segIndices.Length];
        for (int i = 0; i < result.Length; i++)
        {
            var key = (segIndices[i], instanceIds[i]);
            if (!first.TryGetValue(key, out int id)) first[key] = id = i;
            result[i] = id;
        }
        return result;
    }
}
