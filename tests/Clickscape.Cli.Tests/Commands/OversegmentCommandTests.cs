using System.Text.Json;
using Clickscape.Data.Formats.Ply;
using Clickscape.Geometry.Scenes;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Cli.Tests.Commands;

public sealed class OversegmentCommandTests : CommandTest
{
    // A 30 × 20 vertex height field with a step, two triangles per cell.
    private static Scene Mesh(string name, int seed)
    {
        const int nx = 30, ny = 20;
        var rng = new Random(seed);
        var positions = new float[3 * nx * ny];
        for (int j = 0; j < ny; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                int v = j * nx + i;
                positions[3 * v] = i * 0.02f;
                positions[3 * v + 1] = j * 0.02f;
                positions[3 * v + 2] = (i > 12 ? 0.1f : 0f) + (float)rng.NextDouble() * 0.003f;
            }
        }
        var faces = new List<int>();
        for (int j = 0; j + 1 < ny; j++)
        {
            for (int i = 0; i + 1 < nx; i++)
            {
                int a = j * nx + i;
                faces.AddRange([a, a + 1, a + nx + 1, a, a + nx + 1, a + nx]);
            }
        }
        return new Scene(name, positions) { Faces = [.. faces] };
    }

    private static (float K, int M, string SceneId, int[] Seg) ReadSegs(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        var p = root.GetProperty("params");
        return (p.GetProperty("kThresh").GetSingle(), p.GetProperty("segMinVerts").GetInt32(),
            root.GetProperty("sceneId").GetString()!,
            [.. root.GetProperty("segIndices").EnumerateArray().Select(e => e.GetInt32())]);
    }

    [Fact]
    public void Mesh_file_gets_a_segs_json_next_to_it_equal_to_the_segmentator()
    {
        var scene = Mesh("room", 1);
        var ply = Path.Combine(Dir, "room.ply");
        PlyScene.Save(ply, scene);
        var (code, output, error) = Run("oversegment", ply, "--k-thresh", "0.02", "--min-verts", "15");
        Assert.True(code == 0, error);
        var segs = Path.Combine(Dir, "room.0.020000.segs.json");
        Assert.Contains("segments", output);
        var (k, m, sceneId, seg) = ReadSegs(segs);
        Assert.Equal(0.02f, k);
        Assert.Equal(15, m);
        Assert.Equal("room", sceneId);
        Assert.Equal(MeshSegmentator.Segment(scene.Positions, scene.Faces, 0.02f, 15), seg);
        Assert.True(seg.Distinct().Count() > 1);
    }

    [Fact]
    public void Dataset_folder_segments_every_scan_with_scannet_names()
    {
        foreach (var (id, seed) in new[] { ("scene0001_00", 2), ("scene0002_01", 3) })
        {
            var sceneDir = Directory.CreateDirectory(Path.Combine(Dir, "scans", id)).FullName;
            PlyScene.Save(Path.Combine(sceneDir, id + "_vh_clean_2.ply"), Mesh(id, seed));
        }
        var (code, _, error) = Run("oversegment", Dir);
        Assert.True(code == 0, error);
        foreach (var (id, seed) in new[] { ("scene0001_00", 2), ("scene0002_01", 3) })
        {
            var (k, m, sceneId, seg) = ReadSegs(Path.Combine(Dir, "scans", id, id + "_vh_clean_2.0.010000.segs.json"));
            Assert.Equal((0.01f, 20, id), (k, m, sceneId));
            var scene = Mesh(id, seed);
            Assert.Equal(MeshSegmentator.Segment(scene.Positions, scene.Faces), seg);
        }
    }

    [Fact]
    public void Point_clouds_without_faces_are_segmented_on_a_surface_graph_into_the_out_folder()
    {
        // Two flat 10×10 patches 1 m apart with different colours: nothing joins them in an 8-NN graph,
        // so the segmentation must keep them apart, and with min-verts 20 each patch stays whole.
        var positions = new List<float>();
        var colors = new List<byte>();
        for (int patch = 0; patch < 2; patch++)
        {
            for (int i = 0; i < 100; i++)
            {
                positions.AddRange([patch * 1f + (i % 10) * 0.01f, (i / 10) * 0.01f, 0]);
                colors.AddRange(patch == 0 ? [200, 30, 30] : [30, 30, 200]);
            }
        }
        var input = Path.Combine(Dir, "patches.ply");
        PlyScene.Save(input, new Scene("patches", positions.ToArray()) { Colors = colors.ToArray() });
        var outDir = Path.Combine(Dir, "segs");
        var (code, output, error) = Run("oversegment", input, "--out", outDir);
        Assert.True(code == 0, error);
        Assert.Contains("points (surface-graph)", output); // the point-cloud default
        var (k, m, _, seg) = ReadSegs(Path.Combine(outDir, "patches.0.030000.segs.json"));
        Assert.Equal((0.03f, 60), (k, m)); // point clouds get the point-cloud defaults, not the mesh ones
        Assert.Equal(200, seg.Length);
        Assert.Single(seg[..100].Distinct());
        Assert.Single(seg[100..].Distinct());
        Assert.NotEqual(seg[0], seg[100]);
        Assert.False(File.Exists(Path.Combine(Dir, "patches.0.030000.segs.json")));

        // The plain kNN graph on request: the same two segments.
        (code, output, error) = Run("oversegment", input, "--out", outDir, "--method", "felzenszwalb");
        Assert.True(code == 0, error);
        Assert.Contains("kNN graph", output);
        (_, _, _, seg) = ReadSegs(Path.Combine(outDir, "patches.0.030000.segs.json"));
        Assert.Single(seg[..100].Distinct());
        Assert.Single(seg[100..].Distinct());
        Assert.NotEqual(seg[0], seg[100]);
    }

    [Theory]
    [InlineData("vccs")]
    [InlineData("boundary-preserving")]
    public void Method_option_runs_the_supervoxel_methods_on_point_clouds(string method)
    {
        // The same two patches 1 m apart: no supervoxel spans both; boundary-preserving with --supervoxels 2 gives exactly two.
        var input = TwoPatches();
        var (code, output, error) = Run("oversegment", input, "--method", method, "--supervoxels", "2");
        Assert.True(code == 0, error);
        Assert.Contains($"points ({method})", output);
        var (_, _, _, seg) = ReadSegs(Path.Combine(Dir, "patches.0.030000.segs.json"));
        Assert.Equal(800, seg.Length);
        Assert.Empty(seg[..400].Intersect(seg[400..]));
        if (method == "boundary-preserving")
            Assert.Equal(2, seg.Distinct().Count());

        (code, _, error) = Run("oversegment", input, "--method", "slic");
        Assert.NotEqual(0, code);
        Assert.Contains("slic", error);
        (code, _, error) = Run("oversegment", input, "--method", "boundary-preserving", "--supervoxels", "0");
        Assert.Equal(1, code);
        Assert.Contains("--supervoxels 0", error);
    }

    [Fact]
    public void Local_mesh_method_runs_the_segmentator_on_a_rebuilt_mesh_with_its_own_defaults()
    {
        // Two flat patches 1 m apart: no segment spans both; the file carries the mesh Segmentator's k (0.01).
        var input = TwoPatches();
        var (code, output, error) = Run("oversegment", input, "--method", "local-mesh");
        Assert.True(code == 0, error);
        Assert.Contains("points (local-mesh)", output);
        var (k, minVerts, _, seg) = ReadSegs(Path.Combine(Dir, "patches.0.010000.segs.json"));
        Assert.Equal((0.01f, 20), (k, minVerts));
        Assert.Equal(800, seg.Length);
        Assert.Empty(seg[..400].Intersect(seg[400..]));
    }

    [Fact]
    public void Bad_inputs_give_one_error_line_and_exit_code_1()
    {
        var (code, _, error) = Run("oversegment", Path.Combine(Dir, "missing.ply"));
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error);
        Assert.Single(error.Trim().Split('\n'));

        var cloud = Path.Combine(Dir, "cloud.ply");
        PlyScene.Save(cloud, new Scene("cloud", [0, 0, 0, 1, 0, 0, 0, 1, 0]));

        var empty = Directory.CreateDirectory(Path.Combine(Dir, "empty")).FullName;
        (code, _, error) = Run("oversegment", empty);
        Assert.Equal(1, code);
        Assert.Contains("no scenes found", error);

        (code, _, error) = Run("oversegment", cloud, "--neighbors", "0");
        Assert.Equal(1, code);
        Assert.Contains("--neighbors 0", error);

        (code, _, error) = Run("oversegment", cloud, "--k-thresh", "-1");
        Assert.Equal(1, code);
        Assert.Contains("--k-thresh", error);
    }

    /// <summary>Two flat 20 × 20 patches of 1 cm spacing, 1 m apart, as <c>patches.ply</c> (points 0–399 and 400–799).</summary>
    private string TwoPatches()
    {
        var positions = new List<float>();
        for (int patch = 0; patch < 2; patch++)
        {
            for (int i = 0; i < 400; i++)
                positions.AddRange([patch * 1f + (i % 20) * 0.01f, (i / 20) * 0.01f, 0]);
        }
        var input = Path.Combine(Dir, "patches.ply");
        PlyScene.Save(input, new Scene("patches", positions.ToArray()));
        return input;
    }
}
