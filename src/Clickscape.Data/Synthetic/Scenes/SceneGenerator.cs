using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.Synthetic.Meshing;
using Clickscape.Geometry.Scenes;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Data.Synthetic.Scenes;

/// <summary>A generated room: the scanned, labelled mesh, its over-segmentation and the plan it came from.</summary>
/// <param name="Scene">Mesh with colours, NYU40 labels and instance ids 1..K (walls and floor are instances too).</param>
/// <param name="SegIndices">Segment id per vertex (ScanNet segs.json), never straddling two instances.</param>
/// <param name="Layout">The room plan (objects, cameras, lights).</param>
public sealed record SyntheticScene(Scene Scene, int[] SegIndices, RoomLayout Layout);

/// <summary>Options of <see cref="SceneGenerator"/> beyond the benchmark's defaults (which they leave byte-identical).</summary>
public sealed record SceneGeneratorOptions
{
    /// <summary>The benchmark's generator.</summary>
    public static SceneGeneratorOptions Default { get; } = new();

    /// <summary>
    /// Also place objects of NYU40 classes outside the 20 benchmark classes — lamp, box, bag, towel
    /// (<see cref="Furniture.Unseen"/>) — the "unseen" classes of interactive segmentation. Every other object of a room
    /// is the one the default generator places.
    /// </summary>
    public bool UnseenClasses { get; init; }

    /// <summary>
    /// Scan-like reconstruction artefacts (<see cref="ReconstructionArtifacts"/>): rounded contacts, bled colour,
    /// irregular spacing and depth noise, as in ScanNet's decimated TSDF meshes. A development set for
    /// over-segmentation; the layout is the default one crowded with touching objects
    /// (<see cref="RoomPlanner.Plan(SynthRandom, RoomKind, SynthRandom?, SynthRandom)"/>), the Segmentator runs on the degraded mesh fused at the contacts
    /// (<see cref="ReconstructionArtifacts.FusedSegments"/>), and the labels
    /// are then painted per segment (<see cref="SegmentAnnotation"/>) as ScanNet's annotators did.
    /// </summary>
    public bool ScanLike { get; init; }

    /// <summary>σ of the scan-like depth noise along the normal, metres (<see cref="ReconstructionArtifacts.DepthNoise"/> by default).</summary>
    public float ScanLikeDepthNoise { get; init; } = ReconstructionArtifacts.DepthNoise;
}

/// <summary>
/// <c>clickscape synth scenes</c>: indoor rooms like ScanNet with exact ground truth. Scene <c>i</c> of a dataset
/// with seed <c>s</c> is a pure function of (s, i, size): <see cref="RoomPlanner"/> lays out the room,
/// <see cref="ScanSimulator"/> scans it, and the ScanNet Segmentator (<see cref="MeshSegmentator"/>, kThresh 0.01,
/// segMinVerts 20) over-segments the mesh.
/// </summary>
/// <remarks>
/// The over-segmentation is then refined so that no segment holds vertices of two instances
/// (<see cref="ScanNetSceneWriter.SplitSegmentsByInstance"/>): ScanNet's annotators label whole segments, so in
/// real data an object's boundary always runs along segment borders; with the refinement our aggregation.json
/// segGroups reproduce the generated instance ids exactly. Segments of the raw Segmentator that crossed an
/// instance border (a chair leg merged with the floor) become two segments.
/// </remarks>
public static class SceneGenerator
{
    /// <summary>Scene ids are <c>scene%04d_00</c>, as in ScanNet.</summary>
    public static string SceneId(int index) => $"scene{index:D4}_00";

    /// <summary>Plans the layout of scene <paramref name="index"/> (cheap: nothing is tessellated).</summary>
    public static RoomLayout PlanLayout(ulong seed, int index) => PlanLayout(seed, index, SceneGeneratorOptions.Default);

    /// <summary>Plans the layout of scene <paramref name="index"/> with <paramref name="options"/>.</summary>
    public static RoomLayout PlanLayout(ulong seed, int index, SceneGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ScanLike)
            return RoomPlanner.Plan(StreamFor(seed, index, 1), RoomPlanner.KindOf(index, seed), options.UnseenClasses ? StreamFor(seed, index, 3) : null, StreamFor(seed, index, 5));
        return options.UnseenClasses
            ? RoomPlanner.Plan(StreamFor(seed, index, 1), RoomPlanner.KindOf(index, seed), StreamFor(seed, index, 3))
            : RoomPlanner.Plan(StreamFor(seed, index, 1), RoomPlanner.KindOf(index, seed));
    }

    /// <summary>Generates scene <paramref name="index"/> of the dataset with <paramref name="seed"/>.</summary>
    public static SyntheticScene Generate(ulong seed, int index, SceneSize size) => Generate(seed, index, size, SceneGeneratorOptions.Default);

    /// <summary>Generates scene <paramref name="index"/> of the dataset with <paramref name="seed"/> and <paramref name="options"/>.</summary>
    public static SyntheticScene Generate(ulong seed, int index, SceneSize size, SceneGeneratorOptions options)
    {
        var layout = PlanLayout(seed, index, options);
        var rng = StreamFor(seed, index, 2);
        var (min, max) = SceneSizes.VertexRange(size);
        int span = max - min;
        int target = (int)(min + span * rng.Uniform(0.3f, 0.7f));
        var scene = ScanSimulator.Scan(layout, SceneId(index), target, min, max, rng);
        if (options.ScanLike) ReconstructionArtifacts.Apply(scene, StreamFor(seed, index, 4), options.ScanLikeDepthNoise);
        var segments = options.ScanLike ? ReconstructionArtifacts.FusedSegments(scene) : MeshSegmentator.Segment(scene.Positions, scene.Faces!);
        if (options.ScanLike) SegmentAnnotation.LabelBySegments(scene, segments); // labels follow the segments, as ScanNet's
        var split = ScanNetSceneWriter.SplitSegmentsByInstance(segments, scene.InstanceIds!);
        return new SyntheticScene(scene, split, layout);
    }

    /// <summary>
    /// Writes <paramref name="count"/> scenes in the ScanNet layout: <c>out/scans/&lt;scene&gt;/…</c> and
    /// <c>out/splits/{train,val}.txt</c> (every fifth scene goes to val). <paramref name="progress"/> is called
    /// after each scene written. With <paramref name="shard"/>, only that shard's scenes are written (every shard writes
    /// the same split files) and a scene whose labels PLY — the file written last — exists is skipped.
    /// </summary>
    public static IReadOnlyList<string> WriteDataset(string outDir, int count, ulong seed, SceneSize size, Action<int, SyntheticScene>? progress = null,
        ShardSpec? shard = null, SceneGeneratorOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var scans = Path.Combine(outDir, "scans");
        Directory.CreateDirectory(scans);
        var ids = Enumerable.Range(0, count).Select(SceneId).ToList();
        foreach (int i in shard?.Select(Enumerable.Range(0, count).ToList(), SceneId) ?? Enumerable.Range(0, count).ToList())
        {
            if (shard is not null && File.Exists(Path.Combine(scans, SceneId(i), ScanNetSceneWriter.LabelsFileName(SceneId(i))))) continue;
            var generated = Generate(seed, i, size, options ?? SceneGeneratorOptions.Default);
            ScanNetSceneWriter.Write(scans, SceneId(i), generated.Scene, generated.SegIndices);
            progress?.Invoke(i, generated);
        }
        var val = ids.Where((_, i) => i % 5 == 4).ToList();
        if (val.Count == 0 && ids.Count > 1) val.Add(ids[^1]);
        ScanNetSplits.Write(ScanNetSplits.PathOf(outDir, "train"), ids.Except(val));
        ScanNetSplits.Write(ScanNetSplits.PathOf(outDir, "val"), val);
        return ids;
    }

    private static SynthRandom StreamFor(ulong seed, int index, ulong purpose) =>
        new(seed * 0x9E3779B97F4A7C15UL + (ulong)index * 0xD1B54A32D192ED03UL + purpose * 0xABCDEF1234567UL);
}
