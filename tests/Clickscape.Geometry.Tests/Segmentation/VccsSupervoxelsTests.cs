using Clickscape.Geometry.Segmentation;

namespace Clickscape.Geometry.Tests.Segmentation;

public class VccsSupervoxelsTests
{
    private static readonly VccsOptions Options = new() { VoxelResolution = 0.02f, SeedResolution = 0.1f, Viewpoint = new(0.2f, 0.2f, 0.2f) };

    [Fact]
    public void Supervoxels_are_whole_voxels_connected_and_about_one_per_seed_cell()
    {
        var (p, c) = SupervoxelScenes.FloorAndWall();
        var seg = VccsSupervoxels.Segment(p, c, null, Options);
        int n = p.Length / 3;
        Assert.Equal(n, seg.Length);
        Assert.All(seg, id => Assert.Equal(id, seg[id])); // ids are the lowest point of their own supervoxel
        var byVoxel = Enumerable.Range(0, n).GroupBy(i => ((int)MathF.Floor(p[3 * i] / 0.02f), (int)MathF.Floor(p[3 * i + 1] / 0.02f), (int)MathF.Floor(p[3 * i + 2] / 0.02f)));
        Assert.All(byVoxel, g => Assert.Single(g.Select(i => seg[i]).Distinct()));
        // 4 × 4 seed cells per 0.4 m square, two squares (the crease cells are shared): about 32 supervoxels.
        Assert.InRange(seg.Distinct().Count(), 20, 40);
        // Connected: within each supervoxel, points 1.5 cm apart link all of it.
        foreach (var g in Enumerable.Range(0, n).GroupBy(i => seg[i]))
        {
            var members = g.ToArray();
            var set = new DisjointSet(members.Length);
            for (int a = 0; a < members.Length; a++)
            {
                for (int b = a + 1; b < members.Length; b++)
                {
                    float dx = p[3 * members[a]] - p[3 * members[b]], dy = p[3 * members[a] + 1] - p[3 * members[b] + 1], dz = p[3 * members[a] + 2] - p[3 * members[b] + 2];
                    if (dx * dx + dy * dy + dz * dz < 0.015f * 0.015f * 2)
                        set.Union(a, b);
                }
            }
            Assert.Equal(1, set.SetCount);
        }
    }

    [Fact]
    public void Normal_and_colour_terms_keep_supervoxels_off_the_crease_and_the_colour_border()
    {
        var (p, c) = SupervoxelScenes.FloorAndWall();
        int n = p.Length / 3;
        var seg = VccsSupervoxels.Segment(p, c, null, Options with { ColorImportance = 2, NormalImportance = 2 });
        // Away from the crease (> 3 cm, beyond the PCA normals' blur) no supervoxel holds floor and wall,
        // and away from the colour border none holds red and grey floor.
        var floor = Enumerable.Range(0, n).Where(i => SupervoxelScenes.OnFloor(i) && p[3 * i] > 0.03f).Select(i => seg[i]).ToHashSet();
        var wall = Enumerable.Range(0, n).Where(i => !SupervoxelScenes.OnFloor(i) && p[3 * i + 2] > 0.03f).Select(i => seg[i]).ToHashSet();
        Assert.Empty(floor.Intersect(wall));
        var red = Enumerable.Range(0, n).Where(i => SupervoxelScenes.Red(p, i) && p[3 * i] < 0.18f && p[3 * i] > 0.03f).Select(i => seg[i]).ToHashSet();
        var grey = Enumerable.Range(0, n).Where(i => SupervoxelScenes.OnFloor(i) && p[3 * i] > 0.22f).Select(i => seg[i]).ToHashSet();
        Assert.Empty(red.Intersect(grey));
    }

    [Fact]
    public void Bad_inputs_throw_and_empty_gives_empty()
    {
        Assert.Empty(VccsSupervoxels.Segment([]));
        Assert.Throws<ArgumentException>(() => VccsSupervoxels.Segment(new float[4]));
        Assert.Throws<ArgumentException>(() => VccsSupervoxels.Segment(new float[6], new byte[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => VccsSupervoxels.Segment(new float[6], default, null, new VccsOptions { VoxelResolution = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => VccsSupervoxels.Segment(new float[6], default, null, new VccsOptions { SeedResolution = 0.01f }));
    }
}
