using Clickscape.Geometry.Normals;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Geometry.Tests.Segmentation;

public class LocalMeshSegmentatorTests
{
    [Fact]
    public void On_a_triangulated_plane_the_graph_is_the_Segmentators_and_the_segmentation_matches_it()
    {
        // Reference: MeshSegmentator on the same faces (same edges, same normals, same Felzenszwalb).
        var rng = new Random(4);
        var p = new List<float>();
        for (int i = 0; i < 15; i++)
        {
            for (int j = 0; j < 15; j++)
                p.AddRange([0.02f * i + (float)(rng.NextDouble() - 0.5) * 0.006f, 0.02f * j + (float)(rng.NextDouble() - 0.5) * 0.006f,
                    0.003f * (float)rng.NextDouble()]);
        }
        float[] positions = [.. p];
        var normals = PointCloudNormals.TowardsViewpoint(positions, new(0.15f, 0.15f, 1), 8);
        var faces = LocalDelaunayTriangulation.Faces(positions, normals);
        var (a, b, vertexNormals) = LocalMeshSegmentator.Graph(positions, normals, faces);
        Assert.Equal(faces.Length, a.Length); // every point is in a face: no extra edges
        Assert.Equal(MeshNormals.Segmentator(positions, faces), vertexNormals);
        var expected = MeshSegmentator.Segment(positions, faces, 0.005f, 5);
        var weights = Enumerable.Range(0, a.Length).Select(e => MeshSegmentator.EdgeWeight(positions, vertexNormals, a[e], b[e])).ToArray();
        Assert.Equal(expected, FelzenszwalbSegmentation.Segment(225, a, b, weights, 0.005f, 5));
        var options = new LocalMeshOptions { KThresh = 0.005f, MinPoints = 5, Viewpoint = new(0.15f, 0.15f, 1) };
        Assert.Equal(expected, LocalMeshSegmentator.Segment(positions, default, null, options));
    }

    [Fact]
    public void A_point_in_no_triangle_gets_an_edge_to_its_nearest_neighbour_and_its_own_normal()
    {
        float[] positions = [0, 0, 0, 1, 0, 0, 0, 1, 0, 5, 5, 0];
        float[] normals = [0, 0, 1, 0, 0, 1, 0, 0, 1, 0.6f, 0, 0.8f];
        int[] faces = [0, 1, 2];
        var (a, b, vertexNormals) = LocalMeshSegmentator.Graph(positions, normals, faces);
        Assert.Equal([0, 0, 2, 3], a);
        Assert.Equal([1, 2, 1, 1], b); // point 3's nearest is (1, 0, 0)
        Assert.Equal([0.6f, 0, 0.8f], vertexNormals[9..]);
    }
}
