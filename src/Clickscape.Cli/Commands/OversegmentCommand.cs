using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Clickscape.Data;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape oversegment DATA [--k-thresh 0.01] [--min-verts 20] [--neighbors 8] [--out DIR]</c>: ScanNet's
/// Segmentator (<see cref="MeshSegmentator"/>) on a mesh <c>.ply</c> or on every
/// <c>scans/&lt;scene&gt;/&lt;scene&gt;_vh_clean_2.ply</c> of a dataset folder; scans without faces (NPY, SemanticKITTI,
/// S3DIS, text, point PLY) get the same algorithm on a kNN graph (<see cref="PointCloudSegmentator"/>). Writes
/// <c>&lt;base&gt;.&lt;kThresh as %f&gt;.segs.json</c> next to each input (or into <c>--out</c>), atomically.
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
        var command = new Command("oversegment", "Over-segment meshes as ScanNet's Segmentator does (point clouds: on a kNN graph); writes <base>.<k>.segs.json next to each input.")
        {
            data, kThresh, minVerts, neighbors, outDir,
        };
        CommandAction.Set(command, (parse, output) =>
        {
            float? kGiven = parse.GetValue(kThresh);
            int? mGiven = parse.GetValue(minVerts);
            if (kGiven is float kg && (!(kg >= 0) || float.IsInfinity(kg)))
                throw new ArgumentException($"--k-thresh {kg.ToString(CultureInfo.InvariantCulture)}: expected a finite number ≥ 0");
            if (mGiven < 0)
                throw new ArgumentException($"--min-verts {mGiven}: expected an integer ≥ 0");
            int knn = parse.GetValue(neighbors);
            if (knn is < 1 or > MaxNeighbors) // the kNN graph costs points × neighbours: bound it
                throw new UsageException($"--neighbors {knn}: expected an integer 1..{MaxNeighbors}");
            var target = parse.GetValue(outDir);
            foreach (var source in Inputs(parse.GetValue(data)!))
            {
                var clock = Stopwatch.StartNew();
                var scene = source.Load();
                bool mesh = scene.Faces is { Length: > 0 };
                float k = kGiven ?? (mesh ? MeshSegmentator.DefaultKThresh : cloudDefaults.KThresh);
                int m = mGiven ?? (mesh ? MeshSegmentator.DefaultSegMinVerts : cloudDefaults.MinPoints);
                var segIndices = mesh
                    ? MeshSegmentator.Segment(scene.Positions, scene.Faces, k, m)
                    : PointCloudSegmentator.Segment(scene.Positions, scene.Colors, scene.Normals,
                        new PointCloudSegmentationOptions { KThresh = k, MinPoints = m, Neighbors = knn });
                var path = OutputPath(source.Path, k);
                if (target is not null) path = Path.Combine(target, Path.GetFileName(path));
                new SegmentsFile(scene.Name, segIndices, k, m).Write(path);
                var sizes = segIndices.GroupBy(s => s).Select(g => g.Count()).Order().ToArray();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{scene.Name}: {scene.PointCount} {(mesh ? "vertices (mesh)" : "points (kNN graph)")}, {sizes.Length} segments, median {Median(sizes)} points -> {path} ({clock.Elapsed.TotalSeconds:F2} s)"));
            }
            return 0;
        });
        return command;
    }

    private static int Median(int[] sorted) => sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];

    /// <summary>
    /// <c>dir/name.ext</c> → <c>dir/name.&lt;k as %f&gt;.segs.json</c>, as the Segmentator names it; for a scene folder
    /// <c>dir/</c> → <c>dir/&lt;folder name&gt;.&lt;k&gt;.segs.json</c>.
    /// </summary>
    internal static string OutputPath(string input, float kThresh)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(input));
        var k = ((double)kThresh).ToString("F6", CultureInfo.InvariantCulture);
        if (Directory.Exists(full))
            return Path.Combine(full, $"{Path.GetFileName(full)}.{k}.segs.json");
        var dir = Path.GetDirectoryName(full)!;
        return Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(full)}.{k}.segs.json");
    }

    /// <summary>
    /// The scenes to segment: the meshes of a ScanNet-layout dataset or scene folder (read as PLY, as the
    /// Segmentator does), otherwise whatever <see cref="SceneLoader"/> recognizes in the file or folder.
    /// </summary>
    private static List<SceneSource> Inputs(string target)
    {
        var meshes = Meshes(target);
        if (meshes.Count > 0)
            return meshes.Select(mesh => new SceneSource(Path.GetFileName(mesh)[..^MeshSuffix.Length], mesh, "ply", () => LoadMesh(mesh))).ToList();
        if (File.Exists(target))
            return [new SceneSource(Path.GetFileNameWithoutExtension(target), target, SceneLoader.DetectFormat(target) ?? "?", () => SceneLoader.Load(target))];
        if (!Directory.Exists(target))
            throw new FileNotFoundException($"{target}: no such file or folder");
        var sources = SceneLoader.Enumerate(target).ToList();
        if (sources.Count == 0)
            throw new FileNotFoundException($"{target}: no scenes found (expected meshes in scans/<scene>/<scene>{MeshSuffix}, or scene files/folders clickscape info reads)");
        return sources;
    }

    private static Geometry.Scenes.Scene LoadMesh(string mesh)
    {
        var scene = PlyScene.Load(mesh);
        scene.Name = Path.GetFileName(mesh)[..^MeshSuffix.Length];
        return scene;
    }

    private static List<string> Meshes(string target)
    {
        if (File.Exists(target))
            return target.EndsWith(MeshSuffix, StringComparison.Ordinal) ? [target] : [];
        if (!Directory.Exists(target))
            return [];
        var scans = Path.Combine(target, "scans");
        var meshes = new List<string>();
        if (Directory.Exists(scans))
        {
            foreach (var sceneDir in Directory.GetDirectories(scans).Order(StringComparer.Ordinal))
            {
                var mesh = Path.Combine(sceneDir, Path.GetFileName(sceneDir) + MeshSuffix);
                if (File.Exists(mesh))
                    meshes.Add(mesh);
            }
        }
        else
        {
            var full = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
            var mesh = Path.Combine(full, Path.GetFileName(full) + MeshSuffix);
            if (File.Exists(mesh))
                meshes.Add(mesh);
        }
        return meshes;
    }
}
