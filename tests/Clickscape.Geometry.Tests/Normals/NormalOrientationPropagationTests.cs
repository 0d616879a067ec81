using System.Numerics;
using Clickscape.Geometry.Normals;

namespace Clickscape.Geometry.Tests.Normals;

public class NormalOrientationPropagationTests
{
    // A floor (z = 0) and a wall (x = 0) meeting at a crease, 2 cm grid, exact normals flipped at random. Truth: the
    // floor's normal is +z and the wall's +x (both face the viewpoint in the room).
    private static (float[] Positions, float[] Flipped, float[] Truth) FoldedSurface(int seed)
    {
        var rng = new Random(seed);
        var p = new List<float>();
        var truth = new List<float>();
        for (int i = 0; i < 25; i++)
        {
            for (int j = 0; j < 25; j++)
            {
                p.AddRange([0.02f + 0.02f * i, 0.02f * j, 0]);
                truth.AddRange([0, 0, 1]);
                p.AddRange([0, 0.02f * j, 0.02f + 0.02f * i]);
                truth.AddRange([1, 0, 0]);
            }
        }
        var flipped = truth.ToArray();
        for (int i = 0; i < flipped.Length / 3; i++)
        {
            if (rng.Next(2) == 0)
            {
                for (int d = 0; d < 3; d++)
                    flipped[3 * i + d] = -flipped[3 * i + d];
            }
        }
        return ([.. p], flipped, [.. truth]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Randomly_flipped_normals_of_a_folded_surface_come_out_facing_the_room(int seed)
    {
        var (positions, flipped, truth) = FoldedSurface(seed);
        var before = (float[])flipped.Clone();
        var oriented = NormalOrientationPropagation.Orient(positions, flipped, new Vector3(1, 0.25f, 1));
        Assert.Equal(before, flipped); // input untouched
        Assert.Equal(truth, oriented);
    }

    [Fact]
    public void One_root_orients_a_whole_surface_where_orienting_each_point_towards_the_viewpoint_flips_some()
    {
        // A half-cylinder (radius 0.3, axis along y) seen from a viewpoint beside it, level with its axis: the points
        // on the far side of the crest have tangent planes that pass by the viewpoint's other side, so orienting each
        // towards the viewpoint turns their normals inwards while the rest point outwards. Truth: all outwards.
        var p = new List<float>();
        var truth = new List<float>();
        for (int a = 0; a <= 60; a++)
        {
            float angle = MathF.PI * a / 60; // 0 … π over the top
            for (int j = 0; j < 20; j++)
            {
                p.AddRange([0.3f * MathF.Cos(angle), 0.02f * j, 0.3f * MathF.Sin(angle)]);
                truth.AddRange([MathF.Cos(angle), 0, MathF.Sin(angle)]);
            }
        }
        float[] positions = [.. p];
        var viewpoint = new Vector3(0.6f, 0.2f, 0.1f);
        var towards = PointCloudNormals.TowardsViewpoint(positions, viewpoint, 8);
        int n = positions.Length / 3;
        int Outwards(float[] normals) => Enumerable.Range(0, n).Count(i =>
            normals[3 * i] * truth[3 * i] + normals[3 * i + 1] * truth[3 * i + 1] + normals[3 * i + 2] * truth[3 * i + 2] > 0.9f);
        Assert.InRange(Outwards(towards), n / 4, n - n / 4); // the viewpoint alone gets a good part of them wrong
        var oriented = NormalOrientationPropagation.Orient(positions, towards, viewpoint);
        Assert.Equal(n, Outwards(oriented));
    }

    [Fact]
    public void Zero_normals_stay_zero_and_mismatched_lengths_are_rejected()
    {
        float[] positions = [0, 0, 0, 0.01f, 0, 0, 0.02f, 0, 0];
        float[] normals = [0, 0, -1, 0, 0, 0, 0, 0, -1];
        var oriented = NormalOrientationPropagation.Orient(positions, normals, new Vector3(0, 0, 1));
        Assert.Equal([0, 0, 1, 0, 0, 0, 0, 0, 1], oriented);
        var ex = Assert.Throws<ArgumentException>(() => NormalOrientationPropagation.Orient(positions, new float[6], Vector3.Zero));
        Assert.Contains("normals hold 6 floats for 3 points", ex.Message, StringComparison.Ordinal);
    }
}
