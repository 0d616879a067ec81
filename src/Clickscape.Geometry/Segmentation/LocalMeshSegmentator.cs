using System.Numerics;
using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Normals;

namespace Clickscape.Geometry.Segmentation;

/// <summary>Parameters of <see cref="LocalMeshSegmentator"/>.</summary>
public sealed record LocalMeshOptions
{
    /// <summary>Candidate neighbours of each point's umbrella (<see cref="LocalDelaunayTriangulation"/>).</summary>
    public int Neighbors { get; init; } = 16;

    /// <summary>Umbrellas that must hold a triangle (1–3).</summary>
    public int Votes { get; init; } = 1;

    /// <summary>Neighbours for the PCA normals that set the tangent planes.</summary>
    public int NormalNeighbors { get; init; } = 8;

    /// <summary>Felzenszwalb's k (ScanNet's kThresh).</summary>
    public float KThresh { get; init; } = MeshSegmentator.DefaultKThresh;

    /// <summary>Segments smaller than this are merged into a neighbour (ScanNet's segMinVerts).</summary>
    public int MinPoints { get; init; } = MeshSegmentator.DefaultSegMinVerts;

    /// <summary>Weight of the colour term, as in <see cref="PointCloudSegmentationOptions.ColorWeight"/> (ScanNet's Segmentator: 0).</summary>
    public float ColorWeight { get; init; }

    /// <summary>Where the sensor was (orients PCA normals); null = the bounding-box centre.</summary>
    public Vector3? Viewpoint { get; init; }

    /// <summary>Threads for the neighbour search, normals and umbrellas, 0 = all cores.</summary>
    public int Threads { get; init; }
}

/// <summary>
/// ScanNet's Segmentator (<see cref="MeshSegmentator"/>) on a mesh rebuilt from the points: a scan that lost its faces
/// is triangulated again (<see cref="LocalDelaunayTriangulation"/>, umbrellas on PCA tangent planes), and the mesh
/// Segmentator runs on that mesh as it would on the scan's own — vertex normals averaged from the faces
/// (<see cref="MeshNormals.Segmentator"/>), three edges per face, the same weights, k and minimum size.
/// </summary>
/// <remarks>
/// ScanNet's instance labels were painted on the Segmentator's segments of the mesh whose vertices the released point
/// clouds are, so its segments are what a point-cloud over-segmentation has to reproduce. A point that no kept
/// triangle touches gets one edge to its nearest neighbour and its PCA normal. Segment id = root point index.
/// </remarks>
public static class LocalMeshSegmentator
{
    /// <summary>Returns a segment id (a root point index) per point.</summary>
    /// <param name="positions">x, y, z per point.</param>
    /// <param name="colors">r, g, b per point (0–255), or empty (no colour term).</param>
    /// <param name="normals">nx, ny, nz per point for the tangent planes, or null to estimate them.</param>
    /// <param name="options">Parameters; null = defaults.</param>
    public static int[] Segment(ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors = default, float[]? normals = null,
        LocalMeshOptions? options = null)
    {
        options ??= new LocalMeshOptions();
        int n = SegmentationInput.Validate(positions, colors, normals);
        if (n == 0)
            return [];
        normals ??= PointCloudNormals.TowardsViewpoint(positions, options.Viewpoint ?? VoxelCloud.BoxCentre(positions),
            Math.Min(options.NormalNeighbors, n), options.Threads);
        var faces = LocalDelaunayTriangulation.Faces(positions, normals, options.Neighbors, options.Votes, options.Threads);
        var (a, b, vertexNormals) = Graph(positions, normals, faces, options.Threads);
        var weights = SegmentatorEdgeWeights.Compute(positions, vertexNormals, colors, a, b, options.ColorWeight);
        return FelzenszwalbSegmentation.Segment(n, a, b, weights, options.KThresh, options.MinPoints);
    }

    /// <summary>
    /// The Segmentator's graph of a rebuilt mesh: three edges per face in face order, then an edge to the nearest
    /// neighbour from every point no face touches; vertex normals from the faces, the given ones for untouched points.
    /// </summary>
    public static (int[] A, int[] B, float[] Normals) Graph(ReadOnlySpan<float> positions, float[] normals, int[] faces, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(normals);
        ArgumentNullException.ThrowIfNull(faces);
        int n = SegmentationInput.Validate(positions, default, normals);
        var vertexNormals = MeshNormals.Segmentator(positions, faces);
        var touched = new bool[n];
        foreach (int v in faces)
            touched[v] = true;
        var edgeA = new List<int>(faces.Length + 16);
        var edgeB = new List<int>(faces.Length + 16);
        for (int f = 0; f < faces.Length; f += 3)
        {
            int i1 = faces[f], i2 = faces[f + 1], i3 = faces[f + 2];
            edgeA.Add(i1);
            edgeB.Add(i2);
            edgeA.Add(i1);
            edgeB.Add(i3);
            edgeA.Add(i3);
            edgeB.Add(i2);
        }
        int untouched = 0;
        for (int i = 0; i < n; i++)
            untouched += touched[i] ? 0 : 1;
        if (untouched > 0 && n > 1)
        {
            var (nb, _) = new KdTree(positions).NearestAll(2, threads);
            for (int i = 0; i < n; i++)
            {
                if (touched[i])
                    continue;
                for (int d = 0; d < 3; d++)
                    vertexNormals[3 * i + d] = normals[3 * i + d];
                int j = nb[2 * i] == i ? nb[2 * i + 1] : nb[2 * i];
                if (j < 0 || j == i)
                    continue;
                edgeA.Add(i);
                edgeB.Add(j);
            }
        }
        return (edgeA.ToArray(), edgeB.ToArray(), vertexNormals);
    }
}
