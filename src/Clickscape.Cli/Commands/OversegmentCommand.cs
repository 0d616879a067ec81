using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Clickscape.Data;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape oversegment DATA [--k-thresh 0.01] [--min-verts 20] [--neighbors 8] [--out DIR] [--shard i/n]</c>: ScanNet's
/// Segmentator (<see cref="MeshSegmentator"/>) on a mesh <c>.ply</c> or on every
/// <c>scans/&lt;scene&gt;/&lt;scene&gt;_vh_clean_2.ply</c> of a dataset folder; scans without faces (NPY, SemanticKITTI,
/// S3DIS, text, point PLY, PCD, LAS) get the same algorithm on the plausible surface edges of a kNN graph
/// (<see cref="SurfaceGraphSegmentator"/>, then <see cref="SegmentBoundaryRefinement"/>; purer than the plain kNN graph at
/// matched segment counts on the scan-like development set, docs/overseg-curve.md), or with <c>--method</c> the plain kNN
/// graph (<see cref="PointCloudSegmentator"/>), the Segmentator on a rebuilt mesh (<see cref="LocalMeshSegmentator"/>),
/// VCCS (<see cref="VccsSupervoxels"/>), boundary-preserving supervoxels
/// (<see cref="BoundaryPreservingSupervoxels"/>) or region merging (<see cref="RegionMergingSegmentation"/>). Scenes
/// are those <see cref="SceneDataset"/> enumerates (as <c>info</c> lists them); each file is named by scene id
/// (<see cref="SegmentFiles"/>) and written next to its scene (or into <c>--out</c>), atomically.
/// </summary>
internal static class OversegmentCommand
{
    private const string MeshSuffix = "_vh_clean_2.ply";

    /// <summary>Largest <c>--neighbors</c>: far beyond any useful graph (defaults are about 12), small enough to never hang.</summary>
    internal const int MaxNeighbors = 256;

    public static Command Create()
    {
        var data = new Argument<string>("data") { Description = "A mesh .ply, a dataset folder (DIR/scans/<scene>/<scene>_vh_clean_2.ply) or one scene folder." };
        var cloudDefaults = new PointCloudSegmentationOptions();
        var kThresh = new Option<float?>("--k-thresh")
        {
            Description = $"Felzenszwalb threshold k (larger: larger segments). Default {MeshSegmentator.DefaultKThresh} for meshes (ScanNet), {cloudDefaults.KThresh} for point clouds.",
        };
        var minVerts = new Option<int?>("--min-verts")
        {
            Description = $"Segments with fewer vertices are merged into a neighbour. Default {MeshSegmentator.DefaultSegMinVerts} for meshes, {cloudDefaults.MinPoints} for point clouds.",
        };
        var neighbors = new Option<int>("--neighbors")
        {
            Description = "Point clouds without faces: neighbours per point in the kNN graph (1..256).",
            DefaultValueFactory = _ => cloudDefaults.Neighbors,
        };
        var outDir = new Option<string?>("--out") { Description = "Write the .segs.json files into this folder instead of next to the inputs." };
        var columns = new ColumnsOption();
        var method = new Option<string>("--method")
        {
            Description = "Point clouds without faces: surface-graph (Felzenszwalb on mutual-kNN edges along tangent planes, default), felzenszwalb (on the plain kNN graph), local-mesh (the mesh Segmentator on a local Delaunay mesh rebuilt from the points), vccs (Papon et al. 2013), boundary-preserving (Lin et al. 2018) or region-merging (fine Felzenszwalb merged down); the last two make --supervoxels segments. Meshes always use the Segmentator.",
            DefaultValueFactory = _ => "surface-graph",
        };
        method.AcceptOnlyFromAmong("felzenszwalb", "surface-graph", "local-mesh", "vccs", "boundary-preserving", "region-merging");
        var supervoxels = new Option<int>("--supervoxels")
        {
            Description = "--method boundary-preserving or region-merging: the number of segments K.",
            DefaultValueFactory = _ => new BoundaryPreservingOptions().Supervoxels,
        };
        var shard = new ShardOption();
        var command = new Command("oversegment", "Over-segment meshes as ScanNet's Segmentator does (point clouds: on a kNN graph); writes <scene>.<k>.segs.json next to each scene.")
        {
            data, kThresh, minVerts, neighbors, outDir, method, supervoxels, columns, shard,
        };
        CommandAction.Set(command, (parse, output) =>
        {
            float? kGiven = parse.GetValue(kThresh);
            int? mGiven = parse.GetValue(minVerts);
            if (kGiven is float kg && (!(kg >= 0) || float.IsInfinity(kg)))
                throw new UsageException($"--k-thresh {kg.ToString(CultureInfo.InvariantCulture)}: expected a finite number ≥ 0");
            if (mGiven < 0)
                throw new UsageException($"--min-verts {mGiven}: expected an integer ≥ 0");
            int knn = parse.GetValue(neighbors);
            if (knn is < 1 or > MaxNeighbors) // the kNN graph costs points × neighbours: bound it
                throw new UsageException($"--neighbors {knn}: expected an integer 1..{MaxNeighbors}");
            int svK = parse.GetValue(supervoxels);
            if (svK < 1)
                throw new UsageException($"--supervoxels {svK}: expected an integer ≥ 1");
            var cloudMethod = parse.GetValue(method)!;
            var target = parse.GetValue(outDir);
            var part = shard.Get(parse);
            var dataset = SceneDataset.Open(parse.GetValue(data)!, new SceneDatasetOptions { Read = columns.ReadOptions(parse) });
            foreach (var source in part?.Select(dataset.Scenes) ?? dataset.Scenes)
            {
                var clock = Stopwatch.StartNew();
                if (kGiven is float known && ShardOption.Complete(part, SceneDataset.SegmentsOutputPath(source, known, target)))
                {
                    output.WriteLine($"{source.Name}: complete, skipped");
                    continue;
                }
                var scene = LoadGeometry(source);
                bool mesh = scene.Faces is { Length: > 0 };
                float k = kGiven ?? (mesh || cloudMethod == "local-mesh" ? MeshSegmentator.DefaultKThresh : cloudDefaults.KThresh);
                int m = mGiven ?? (mesh || cloudMethod == "local-mesh" ? MeshSegmentator.DefaultSegMinVerts : cloudDefaults.MinPoints);
                if (ShardOption.Complete(part, SceneDataset.SegmentsOutputPath(source, k, target)))
                {
                    output.WriteLine($"{source.Name}: complete, skipped");
                    continue;
                }
                var segIndices = mesh
                    ? MeshSegmentator.Segment(scene.Positions, scene.Faces, k, m)
                    : cloudMethod switch
                    {
                        "surface-graph" => SurfaceGraphSegmentator.Segment(scene.Positions, scene.Colors, scene.Normals,
                            new SurfaceGraphOptions { KThresh = k, MinPoints = m, Neighbors = knn }),
                        "local-mesh" => LocalMeshSegmentator.Segment(scene.Positions, scene.Colors, scene.Normals,
                            new LocalMeshOptions { KThresh = k, MinPoints = m }),
                        "vccs" => VccsSupervoxels.Segment(scene.Positions, scene.Colors, scene.Normals),
                        "boundary-preserving" => BoundaryPreservingSupervoxels.Segment(scene.Positions, scene.Colors, scene.Normals,
                            new BoundaryPreservingOptions { Supervoxels = svK }),
                        "region-merging" => RegionMergingSegmentation.Segment(scene.Positions, scene.Colors, scene.Normals,
                            new RegionMergingOptions { Segments = svK }),
                        _ => PointCloudSegmentator.Segment(scene.Positions, scene.Colors, scene.Normals,
                            new PointCloudSegmentationOptions { KThresh = k, MinPoints = m, Neighbors = knn }),
                    };
                var path = SceneDataset.SegmentsOutputPath(source, k, target);
                new SegmentsFile(source.Name, segIndices, k, m).Write(path);
                var sizes = segIndices.GroupBy(s => s).Select(g => g.Count()).Order().ToArray();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{scene.Name}: {scene.PointCount} {(mesh ? "vertices (mesh)" : cloudMethod == "felzenszwalb" ? "points (kNN graph)" : $"points ({cloudMethod})")}, {sizes.Length} segments, median {Median(sizes)} points -> {path} ({clock.Elapsed.TotalSeconds:F2} s)"));
            }
            return 0;
        });
        return command;
    }

    private static int Median(int[] sorted) => sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];

    /// <summary>
    /// The geometry to segment: a ScanNet scene folder's mesh as the Segmentator reads it (its labels need the very
    /// segments being made), anything else as <see cref="SceneDataset"/> loads it.
    /// </summary>
    private static Geometry.Scenes.Scene LoadGeometry(SceneSource source)
    {
        var mesh = Path.Combine(source.Path, source.Name + MeshSuffix);
        if (source.Format != "scannet" || !File.Exists(mesh)) return source.Load();
        var scene = PlyScene.Load(mesh);
        scene.Name = source.Name;
        return scene;
    }
}
