using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape oversegment DATA [--k-thresh 0.01] [--min-verts 20]</c>: ScanNet's Segmentator
/// (<see cref="MeshSegmentator"/>) on a mesh <c>.ply</c> or on every <c>scans/&lt;scene&gt;/&lt;scene&gt;_vh_clean_2.ply</c>
/// of a dataset folder; writes <c>&lt;base&gt;.&lt;kThresh as %f&gt;.segs.json</c> next to each mesh, atomically.
/// </summary>
internal static class OversegmentCommand
{
    private const string MeshSuffix = "_vh_clean_2.ply";

    public static Command Create()
    {
        var data = new Argument<string>("data") { Description = "A mesh .ply, a dataset folder (DIR/scans/<scene>/<scene>_vh_clean_2.ply) or one scene folder." };
        var kThresh = new Option<float>("--k-thresh")
        {
            Description = "Felzenszwalb threshold k (larger: larger segments).",
            DefaultValueFactory = _ => MeshSegmentator.DefaultKThresh,
        };
        var minVerts = new Option<int>("--min-verts")
        {
            Description = "Segments with fewer vertices are merged into a neighbour.",
            DefaultValueFactory = _ => MeshSegmentator.DefaultSegMinVerts,
        };
        var command = new Command("oversegment", "Over-segment meshes as ScanNet's Segmentator does; writes <base>.<k>.segs.json next to each mesh.")
        {
            data, kThresh, minVerts,
        };
        CommandAction.Set(command, (parse, output) =>
        {
            float k = parse.GetValue(kThresh);
            int m = parse.GetValue(minVerts);
            if (!(k >= 0) || float.IsInfinity(k))
                throw new ArgumentException($"--k-thresh {k.ToString(CultureInfo.InvariantCulture)}: expected a finite number ≥ 0");
            if (m < 0)
                throw new ArgumentException($"--min-verts {m}: expected an integer ≥ 0");
            foreach (var mesh in Meshes(parse.GetValue(data)!))
            {
                var clock = Stopwatch.StartNew();
                var scene = PlyScene.Load(mesh);
                if (scene.Faces is null || scene.Faces.Length == 0)
                    throw new DataFormatException(mesh, "PLY has no faces; oversegment needs a triangle mesh (element 'face' with 'vertex_indices')");
                var segIndices = MeshSegmentator.Segment(scene.Positions, scene.Faces, k, m);
                var path = OutputPath(mesh, k);
                new SegmentsFile(scene.Name, segIndices, k, m).Write(path);
                int segments = segIndices.Distinct().Count();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{scene.Name}: {scene.PointCount} vertices, {segments} segments -> {path} ({clock.Elapsed.TotalSeconds:F2} s)"));
            }
            return 0;
        });
        return command;
    }

    /// <summary><c>dir/name.ply</c> → <c>dir/name.&lt;k as %f&gt;.segs.json</c>, as the Segmentator names it.</summary>
    internal static string OutputPath(string mesh, float kThresh)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(mesh))!;
        var name = Path.GetFileName(mesh);
        if (name.EndsWith(".ply", StringComparison.OrdinalIgnoreCase))
            name = name[..^4];
        var k = ((double)kThresh).ToString("F6", CultureInfo.InvariantCulture);
        return Path.Combine(dir, $"{name}.{k}.segs.json");
    }

    private static List<string> Meshes(string target)
    {
        if (File.Exists(target))
            return [target];
        if (!Directory.Exists(target))
            throw new FileNotFoundException($"{target}: no such file or folder");
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
        if (meshes.Count == 0)
            throw new FileNotFoundException($"{target}: no meshes found, expected {target}/scans/<scene>/<scene>{MeshSuffix} or a .ply file");
        return meshes;
    }
}
