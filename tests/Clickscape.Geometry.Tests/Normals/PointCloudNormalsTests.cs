using System.Numerics;
using Clickscape.Geometry.Normals;

namespace Clickscape.Geometry.Tests.Normals;

public class PointCloudNormalsTests
{
    [Fact]
    public void Plane_normals_face_the_viewpoint()
    {
        var rng = new Random(1);
        int n = 500;
        var p = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            p[3 * i] = (float)rng.NextDouble();
            p[3 * i + 1] = (float)rng.NextDouble();
            p[3 * i + 2] = 0.3f * p[3 * i] + (float)(rng.NextDouble() - 0.5) * 1e-3f; // tilted plane z = 0.3x
        }
        var expected = Vector3.Normalize(new Vector3(-0.3f, 0, 1));
        var up = PointCloudNormals.TowardsViewpoint(p, new Vector3(0.5f, 0.5f, 5), k: 12);
        var down = PointCloudNormals.TowardsViewpoint(p, new Vector3(0.5f, 0.5f, -5), k: 12);
        for (int i = 0; i < n; i++)
        {
            var u = new Vector3(up[3 * i], up[3 * i + 1], up[3 * i + 2]);
            var d = new Vector3(down[3 * i], down[3 * i + 1], down[3 * i + 2]);
            Assert.True(Vector3.Dot(u, expected) > 0.99f, $"point {i}: {u}");
            Assert.Equal(-u, d);
            Assert.Equal(1f, u.Length(), 1e-5f);
        }
    }

    [Fact]
    public void Normals_from_the_first_k_of_longer_neighbour_rows_are_the_k_nn_normals()
    {
        // Points on a 1 cm grid of two crossing planes, some of them twice: many equal distances, so the rows'
        // (distance, index) order decides which neighbours a k-NN search keeps.
        var points = new List<float>();
        for (int i = 0; i < 30; i++)
        {
            for (int j = 0; j < 30; j++)
            {
                points.AddRange([0.01f * i, 0.01f * j, 0]);
                points.AddRange([0.01f * i, 0.15f, 0.01f * j]);
                if ((i + j) % 7 == 0) points.AddRange([0.01f * i, 0.01f * j, 0]);
            }
        }
        var p = points.ToArray();
        var viewpoint = new Vector3(0.1f, -0.3f, 0.4f);
        var (rows, _) = new Clickscape.Geometry.Neighbors.KdTree(p).Nearest(p, 24);
        Assert.Equal(PointCloudNormals.TowardsViewpoint(p, viewpoint, k: 16), PointCloudNormals.TowardsViewpoint(p, viewpoint, rows, 24, k: 16));
        Assert.Equal(PointCloudNormals.TowardsViewpoint(p, viewpoint, k: 5), PointCloudNormals.TowardsViewpoint(p, viewpoint, rows, 24, k: 5));
        Assert.Throws<ArgumentException>(() => PointCloudNormals.TowardsViewpoint(p, viewpoint, rows, 23, k: 16));
    }

    [Fact]
    public void Sphere_normals_point_outward()
    {
        var rng = new Random(2);
        int n = 2000;
        var p = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            var v = Vector3.Normalize(new Vector3((float)rng.NextDouble() - 0.5f, (float)rng.NextDouble() - 0.5f, (float)rng.NextDouble() - 0.5f));
            p[3 * i] = v.X + 3;
            p[3 * i + 1] = v.Y;
            p[3 * i + 2] = v.Z;
        }
        var normals = PointCloudNormals.Outward(p, k: 10);
        for (int i = 0; i < n; i++)
        {
            var radial = Vector3.Normalize(new Vector3(p[3 * i] - 3, p[3 * i + 1], p[3 * i + 2]));
            Assert.True(Vector3.Dot(radial, new Vector3(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2])) > 0.97f);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Jacobi_gives_the_smallest_eigenvector_of_random_symmetric_matrices(int seed)
    {
        var rng = new Random(seed);
        for (int trial = 0; trial < 200; trial++)
        {
            var m = new double[9];
            for (int i = 0; i < 3; i++)
            {
                for (int j = i; j < 3; j++)
                    m[3 * i + j] = m[3 * j + i] = rng.NextDouble() * 2 - 1;
            }
            var a = (double[])m.Clone();
            var v = new double[3];
            PointCloudNormals.SmallestEigenvector(a, v);
            double Rayleigh(double[] x) =>
                Enumerable.Range(0, 3).Sum(i => x[i] * Enumerable.Range(0, 3).Sum(j => m[3 * i + j] * x[j]));
            double lambda = Rayleigh(v);
            for (int i = 0; i < 3; i++)
            {
                double mv = Enumerable.Range(0, 3).Sum(j => m[3 * i + j] * v[j]);
                Assert.Equal(lambda * v[i], mv, 1e-9);
            }
            for (int t = 0; t < 20; t++)
            {
                var x = new[] { rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5 };
                double len = Math.Sqrt(x.Sum(c => c * c));
                Assert.True(Rayleigh([.. x.Select(c => c / len)]) >= lambda - 1e-12);
            }
        }
    }

    [Fact]
    public void Identical_points_get_a_zero_normal()
    {
        var normals = PointCloudNormals.Outward([1, 1, 1, 1, 1, 1, 1, 1, 1], k: 3);
        Assert.All(normals, v => Assert.Equal(0f, v));
    }
}
