using System.Runtime.InteropServices;
using Clickscape.Data;
using Clickscape.Geometry.Scenes;
using Clickscape.Studio.Scenes;
using Clickscape.Studio.Tests.Api;

namespace Clickscape.Studio.Tests.Scenes;

/// <summary>Level 0 of <see cref="PointLevels"/>: about the asked size, each point a real point of the scene, spread over the whole scan.</summary>
public class PointLevelsTests
{
    private static readonly Scene Room = SceneLoader.Load(Path.Combine(StudioDataset.Path0, "scans", StudioDataset.Scene));

    private static (int N, int[] Index, float[] Xyz, byte[] Rgb) Parse(byte[] bytes)
    {
        int n = BitConverter.ToInt32(bytes, 0), m = BitConverter.ToInt32(bytes, 4);
        Assert.Equal(8 + 19 * m, bytes.Length);
        return (n, MemoryMarshal.Cast<byte, int>(bytes.AsSpan(8, 4 * m)).ToArray(), MemoryMarshal.Cast<byte, float>(bytes.AsSpan(8 + 4 * m, 12 * m)).ToArray(), bytes[(8 + 16 * m)..]);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(2000)]
    [InlineData(8000)]
    public void Level_zero_is_a_spread_subsample_of_about_the_target_size(int target)
    {
        var (n, index, xyz, rgb) = Parse(PointLevels.Preview(Room, target));
        Assert.Equal(Room.PointCount, n);
        Assert.InRange(index.Length, (int)(0.85 * target), (int)(1.15 * target));
        Assert.Equal(index.Distinct().Order(), index);
        for (int k = 0; k < index.Length; k++)
        {
            Assert.Equal(Room.Positions.AsSpan(3 * index[k], 3).ToArray(), xyz.AsSpan(3 * k, 3).ToArray());
            Assert.Equal(Room.Colors!.AsSpan(3 * index[k], 3).ToArray(), rgb.AsSpan(3 * k, 3).ToArray());
        }
        // spread: every point of the scan has a level-0 point within twice the spacing a uniform sample would have
        var (min, max) = Room.Bounds();
        var e = max - min;
        float spacing = MathF.Sqrt(2 * (e.X * e.Y + e.X * e.Z + e.Y * e.Z) / index.Length);
        var tree = new Clickscape.Geometry.Neighbors.KdTree(xyz);
        Span<int> nearest = stackalloc int[1];
        Span<float> d2 = stackalloc float[1];
        for (int p = 0; p < n; p += 37)
        {
            var q = Room.Position(p);
            tree.Nearest(q.X, q.Y, q.Z, nearest, d2);
            Assert.True(MathF.Sqrt(d2[0]) < 2 * spacing, $"point {p} is {MathF.Sqrt(d2[0])} m from level 0 (spacing {spacing} m)");
        }
    }

    [Fact]
    public void A_scene_smaller_than_the_target_is_all_its_points_in_order()
    {
        var (n, index, _, _) = Parse(PointLevels.Preview(Room, Room.PointCount + 1));
        Assert.Equal(Enumerable.Range(0, n), index);
    }

    [Fact]
    public async Task The_preview_endpoint_serves_level_zero()
    {
        await using var host = await StudioHost.StartAsync(with: o => o with { PreviewPoints = 3000 });
        var bytes = await host.Client.Bytes($"/api/scenes/{StudioDataset.Scene}/preview");
        Assert.Equal(PointLevels.Preview(Room, 3000), bytes);
    }
}
