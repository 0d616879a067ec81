using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Randomness;

namespace Clickscape.Training.Tests.Data;

public sealed class PointGroupAugmentationTests
{
    /// <summary>A 20 × 20 × 5 grid of points 5 cm apart, two instances.</summary>
    private static PreparedScene Grid()
    {
        var positions = new List<float>();
        for (int x = 0; x < 20; x++)
            for (int y = 0; y < 20; y++)
                for (int z = 0; z < 5; z++) positions.AddRange([x * 0.05f - 0.5f, y * 0.05f - 0.5f, z * 0.05f - 0.1f]);
        int n = positions.Count / 3;
        var semantic = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 1 : 5).ToArray();
        var instance = Enumerable.Range(0, n).Select(i => semantic[i] == 5 ? 1 + i % 2 : 0).ToArray();
        var colors = Enumerable.Range(0, 3 * n).Select(i => (i % 7) / 7f - 0.5f).ToArray();
        var p = positions.ToArray();
        var (coords, map) = PreparedScene.Voxelize(p, 0.05f);
        return new PreparedScene("grid", p, colors, semantic, instance, 0.05f, coords, map);
    }

    [Fact]
    public void SameGeneratorState_GivesTheSameSample_AnotherGivesAnother()
    {
        var scene = Grid();
        var config = new AugmentationConfig();
        var a = PointGroupAugmentation.Apply(scene, config, 0.05f, 1500, Xoshiro256.ForStream(1, 2));
        var b = PointGroupAugmentation.Apply(scene, config, 0.05f, 1500, Xoshiro256.ForStream(1, 2));
        var c = PointGroupAugmentation.Apply(scene, config, 0.05f, 1500, Xoshiro256.ForStream(1, 3));
        Assert.Equal(a.Points, b.Points);
        Assert.Equal(a.VoxelPositions, b.VoxelPositions);
        Assert.Equal(a.Features, b.Features);
        Assert.NotEqual(a.VoxelPositions, c.VoxelPositions);
    }

    [Fact]
    public void OffsetCoordinates_AreUndistorted_ButVoxelizedOnesAreDistorted()
    {
        var scene = Grid();
        // no affine part: the undistorted coordinates must be the input's exactly; elastic moves the others
        var config = new AugmentationConfig { Jitter = 0, FlipX = false, RotateZ = false, ColorNoise = 0 };
        var s = PointGroupAugmentation.Apply(scene, config, 0.05f, int.MaxValue, new Xoshiro256(4));
        Assert.Equal(scene.Positions, s.OffsetPositions);
        Assert.Equal(scene.Positions, Enumerable.Range(0, s.PointCount).SelectMany(i => s.Features.Skip(6 * i + 3).Take(3)).ToArray());
        double moved = Enumerable.Range(0, s.VoxelPositions.Length).Max(i => Math.Abs(s.VoxelPositions[i] - scene.Positions[i]));
        Assert.True(moved > 0.01, $"elastic distortion moved points by at most {moved} m");
        Assert.Equal(scene.Colors, Enumerable.Range(0, s.PointCount).SelectMany(i => s.Features.Skip(6 * i).Take(3)).ToArray());
    }

    [Fact]
    public void RotationAndFlip_AreRigid_OnUndistortedCoordinates()
    {
        var scene = Grid();
        var config = new AugmentationConfig { Jitter = 0, Elastic = [] };
        var s = PointGroupAugmentation.Apply(scene, config, 0.05f, int.MaxValue, new Xoshiro256(8));
        Assert.Equal(s.OffsetPositions, s.VoxelPositions);
        for (int k = 0; k < 50; k++)
        {
            int i = k * 37 % s.PointCount, j = k * 91 % s.PointCount;
            float d0 = Distance(scene.Positions, i, j), d1 = Distance(s.OffsetPositions, i, j);
            Assert.True(MathF.Abs(d0 - d1) < 1e-5f, $"distance {i}–{j}: {d0} before, {d1} after a rotation");
            Assert.Equal(scene.Positions[3 * i + 2], s.OffsetPositions[3 * i + 2], 5); // z is kept by a z-rotation and an x-flip
        }
    }

    [Fact]
    public void Crop_KeepsAtMostTheBudget_AsOneWindow()
    {
        var scene = Grid();
        var s = PointGroupAugmentation.Apply(scene, new AugmentationConfig(), 0.05f, 700, new Xoshiro256(2));
        Assert.InRange(s.PointCount, 1, 700);
        Assert.Equal(s.Points.Distinct().Count(), s.PointCount);
        Assert.Equal(s.Semantic, s.Points.Select(i => scene.Semantic[i]).ToArray());
        Assert.Equal(s.Instance, s.Points.Select(i => scene.Instance[i]).ToArray());
    }

    [Fact]
    public void ColorNoise_IsOneShiftPerChannelForTheWholeScene()
    {
        var scene = Grid();
        var config = new AugmentationConfig { Elastic = [] };
        var s = PointGroupAugmentation.Apply(scene, config, 0.05f, int.MaxValue, new Xoshiro256(6));
        for (int c = 0; c < 3; c++)
        {
            var shifts = Enumerable.Range(0, s.PointCount).Select(j => s.Features[6 * j + c] - scene.Colors[3 * s.Points[j] + c]).ToArray();
            Assert.All(shifts, d => Assert.Equal(shifts[0], d, 5));
            Assert.NotEqual(0f, shifts[0]);
        }
    }

    [Fact]
    public void ElasticDistortion_WithZeroMagnitude_IsTheIdentity_AndIsSmooth()
    {
        var points = Grid().Positions;
        var copy = (float[])points.Clone();
        ElasticDistortion.Apply(copy, 0.2f, 0f, new Xoshiro256(1));
        Assert.Equal(points, copy);
        ElasticDistortion.Apply(copy, 0.4f, 0.5f, new Xoshiro256(1));
        // neighbours 5 cm apart move almost alike: the field is smooth on the granularity's scale
        double maxRelative = 0;
        for (int i = 0; i + 3 < points.Length; i += 15)
        {
            float dBefore = Distance(points, i / 3, i / 3 + 1), dAfter = Distance(copy, i / 3, i / 3 + 1);
            maxRelative = Math.Max(maxRelative, Math.Abs(dAfter - dBefore));
        }
        Assert.True(maxRelative < 0.05, $"neighbouring points drifted apart by {maxRelative} m");
    }

    private static float Distance(float[] p, int i, int j)
    {
        float dx = p[3 * i] - p[3 * j], dy = p[3 * i + 1] - p[3 * j + 1], dz = p[3 * i + 2] - p[3 * j + 2];
        return MathF.Sqrt(dx * dx + dy * dy + dz * dz);
    }
}
