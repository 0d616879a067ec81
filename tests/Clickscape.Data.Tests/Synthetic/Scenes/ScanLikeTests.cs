using Clickscape.Data.Synthetic.Scenes;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Synthetic.Scenes;

public sealed class ScanLikeTests
{
    private static readonly SceneGeneratorOptions ScanLike = new() { ScanLike = true };

    [Fact]
    public void Labels_follow_the_segments_and_the_room_is_crowded_and_degraded()
    {
        for (int i = 0; i < 2; i++)
        {
            var plain = SceneGenerator.Generate(3, i, SceneSize.Small);
            var scan = SceneGenerator.Generate(3, i, SceneSize.Small, ScanLike);
            // ScanNet's rule: one label and one instance per Segmentator segment.
            foreach (var g in Enumerable.Range(0, scan.Scene.PointCount).GroupBy(v => scan.SegIndices[v]))
            {
                Assert.Single(g.Select(v => scan.Scene.InstanceIds![v]).Distinct());
                Assert.Single(g.Select(v => scan.Scene.SemanticLabels![v]).Distinct());
            }
            // More annotated objects than the default room: every default object is still planned.
            var plainLayout = SceneGenerator.PlanLayout(3, i);
            var crowded = SceneGenerator.PlanLayout(3, i, ScanLike);
            Assert.True(crowded.Objects.Count > plainLayout.Objects.Count + 5, $"{crowded.Objects.Count} vs {plainLayout.Objects.Count} objects");
            Assert.Equal(plainLayout.Objects.Select(o => (o.Nyu40Id, o.Name, o.Parts.Count, o.Top)),
                crowded.Objects.Take(plainLayout.Objects.Count).Select(o => (o.Nyu40Id, o.Name, o.Parts.Count, o.Top)));
            Assert.True(scan.Scene.InstanceIds!.Max() > plain.Scene.InstanceIds!.Max());
            Assert.Null(scan.Scene.Validate());
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_scan_like_room_and_another_seed_another()
    {
        var first = SceneGenerator.Generate(9, 2, SceneSize.Small, ScanLike);
        var again = SceneGenerator.Generate(9, 2, SceneSize.Small, ScanLike);
        Assert.Equal(first.Scene.Positions, again.Scene.Positions);
        Assert.Equal(first.Scene.Colors, again.Scene.Colors);
        Assert.Equal(first.Scene.InstanceIds, again.Scene.InstanceIds);
        Assert.Equal(first.SegIndices, again.SegIndices);
        var other = SceneGenerator.Generate(10, 2, SceneSize.Small, ScanLike);
        Assert.NotEqual(first.Scene.PointCount, other.Scene.PointCount);
    }

    [Fact]
    public void Reconstruction_artifacts_round_a_crease_and_bleed_colour_across_it()
    {
        // Two triangle strips meeting at a right angle (floor z = 0, x ≥ 0; wall x = 0, z ≥ 0), red floor, blue wall.
        var positions = new List<float>();
        var colors = new List<byte>();
        const int N = 12;
        for (int r = 0; r < N; r++)
        {
            for (int c = 0; c < N; c++)
            {
                float s = 0.02f * c;
                float t = 0.02f * r; // row 0 is the crease, rows 1.. go out along the floor (even strip) or up the wall
                positions.AddRange([t, s, 0]);
                colors.AddRange([255, 0, 0]);
            }
        }
        for (int r = 1; r < N; r++)
        {
            for (int c = 0; c < N; c++)
            {
                positions.AddRange([0, 0.02f * c, 0.02f * r]);
                colors.AddRange([0, 0, 255]);
            }
        }
        int Floor(int r, int c) => r * N + c;
        int Wall(int r, int c) => r == 0 ? Floor(0, c) : N * N + (r - 1) * N + c;
        var faces = new List<int>();
        for (int r = 0; r + 1 < N; r++)
        {
            for (int c = 0; c + 1 < N; c++)
            {
                faces.AddRange([Floor(r, c), Floor(r + 1, c), Floor(r + 1, c + 1), Floor(r, c), Floor(r + 1, c + 1), Floor(r, c + 1)]);
                faces.AddRange([Wall(r, c), Wall(r, c + 1), Wall(r + 1, c + 1), Wall(r, c), Wall(r + 1, c + 1), Wall(r + 1, c)]);
            }
        }
        var scene = new Scene("crease", [.. positions]) { Colors = [.. colors], Faces = [.. faces] };
        ReconstructionArtifacts.Apply(scene, new Data.Synthetic.Meshing.SynthRandom(1));
        // The crease row moved off the corner into the room (rounded), on average by more than the noise.
        var crease = Enumerable.Range(1, N - 2).Select(c => Floor(0, c)).ToArray();
        float x = crease.Average(v => scene.Positions[3 * v]), z = crease.Average(v => scene.Positions[3 * v + 2]);
        Assert.True(x > 0.004f && z > 0.004f, $"crease row at mean x {x}, z {z}");
        // Colour bled: the (red) crease got blue from the wall, the floor far from it none.
        Assert.True(scene.Colors![3 * Floor(0, N / 2) + 2] > 40, $"blue {scene.Colors[3 * Floor(0, N / 2) + 2]}");
        Assert.Equal(0, scene.Colors[3 * Floor(N - 1, N / 2) + 2]);
    }

    [Fact]
    public void Fused_segments_cross_a_contact_the_unwelded_mesh_leaves_open()
    {
        // Two coplanar 8 × 8 grids (2 cm), instances 1 and 2, 1 cm apart and not sharing a vertex: on the mesh alone the
        // Segmentator keeps them apart; on the fused surface the bridging edges (1 cm < one edge length) join them.
        var positions = new List<float>();
        var faces = new List<int>();
        for (int part = 0; part < 2; part++)
        {
            int o = positions.Count / 3;
            float x0 = part * (7 * 0.02f + 0.01f);
            for (int r = 0; r < 8; r++)
            {
                for (int c = 0; c < 8; c++)
                    positions.AddRange([x0 + 0.02f * c, 0.02f * r, 0]);
            }
            for (int r = 0; r + 1 < 8; r++)
            {
                for (int c = 0; c + 1 < 8; c++)
                {
                    int a = o + 8 * r + c;
                    faces.AddRange([a, a + 1, a + 9, a, a + 9, a + 8]);
                }
            }
        }
        var scene = new Scene("contact", [.. positions])
        {
            Faces = [.. faces],
            SemanticLabels = Enumerable.Repeat(40, 128).ToArray(),
            InstanceIds = [.. Enumerable.Repeat(1, 64), .. Enumerable.Repeat(2, 64)],
        };
        var mesh = Geometry.Segmentation.MeshSegmentator.Segment(scene.Positions, scene.Faces, 0.01f, 1);
        Assert.Empty(mesh[..64].Intersect(mesh[64..]));
        var fused = ReconstructionArtifacts.FusedSegments(scene);
        Assert.Single(fused.Distinct());
    }

    [Fact]
    public void Less_depth_noise_gives_larger_painted_segments_on_the_same_room()
    {
        // The depth noise tilts the face normals, which cuts the Segmentator's segments: without it the same room is
        // painted on fewer, larger segments; the default noise is the option's default.
        var noisy = SceneGenerator.Generate(21, 0, SceneSize.Small, ScanLike);
        var smooth = SceneGenerator.Generate(21, 0, SceneSize.Small, ScanLike with { ScanLikeDepthNoise = 0 });
        Assert.Equal(ReconstructionArtifacts.DepthNoise, ScanLike.ScanLikeDepthNoise);
        Assert.Equal(noisy.Scene.PointCount, smooth.Scene.PointCount);
        Assert.NotEqual(noisy.Scene.Positions, smooth.Scene.Positions);
        int noisySegments = noisy.SegIndices.Distinct().Count(), smoothSegments = smooth.SegIndices.Distinct().Count();
        Assert.True(smoothSegments < 0.8 * noisySegments, $"{smoothSegments} segments without noise, {noisySegments} with");
    }
}
