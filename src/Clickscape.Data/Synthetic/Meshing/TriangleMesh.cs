namespace Clickscape.Data.Synthetic.Meshing;

/// <summary>
/// A triangle mesh as the generators build it: positions, analytic per-vertex normals, and a tag per vertex that
/// says which surface part the vertex was sampled on (the part decides colour, class and instance later).
/// </summary>
public sealed class TriangleMesh
{
    /// <summary>Creates a mesh from its arrays (not copied).</summary>
    public TriangleMesh(float[] positions, float[] normals, int[] tags, int[] faces)
    {
        if (positions.Length % 3 != 0 || normals.Length != positions.Length || tags.Length != positions.Length / 3 || faces.Length % 3 != 0)
            throw new ArgumentException($"mesh arrays disagree: {positions.Length} position floats, {normals.Length} normal floats, {tags.Length} tags, {faces.Length} face indices");
        Positions = positions;
        Normals = normals;
        Tags = tags;
        Faces = faces;
    }

    /// <summary>x, y, z per vertex.</summary>
    public float[] Positions { get; }

    /// <summary>Unit normal per vertex (of the analytic surface, not of the triangles).</summary>
    public float[] Normals { get; }

    /// <summary>Surface-part tag per vertex.</summary>
    public int[] Tags { get; }

    /// <summary>Three vertex indices per triangle, counter-clockwise seen from the outside.</summary>
    public int[] Faces { get; }

    /// <summary>Number of vertices.</summary>
    public int VertexCount => Tags.Length;

    /// <summary>Number of triangles.</summary>
    public int FaceCount => Faces.Length / 3;

    /// <summary>
    /// The mesh restricted to the faces with <paramref name="keepFace"/> set; vertices no kept face uses are dropped
    /// and the rest renumbered in their original order. <paramref name="vertexMap"/> receives, per old vertex, its
    /// new index or −1.
    /// </summary>
    public TriangleMesh KeepFaces(ReadOnlySpan<bool> keepFace, out int[] vertexMap)
    {
        var used = new bool[VertexCount];
        int faceCount = 0;
        for (int f = 0; f < FaceCount; f++)
        {
            if (!keepFace[f]) continue;
            faceCount++;
            used[Faces[3 * f]] = used[Faces[3 * f + 1]] = used[Faces[3 * f + 2]] = true;
        }
        vertexMap = new int[VertexCount];
        int n = 0;
        for (int v = 0; v < VertexCount; v++) vertexMap[v] = used[v] ? n++ : -1;
        var positions = new float[3 * n];
        var normals = new float[3 * n];
        var tags = new int[n];
        for (int v = 0; v < VertexCount; v++)
        {
            int w = vertexMap[v];
            if (w < 0) continue;
            Array.Copy(Positions, 3 * v, positions, 3 * w, 3);
            Array.Copy(Normals, 3 * v, normals, 3 * w, 3);
            tags[w] = Tags[v];
        }
        var faces = new int[3 * faceCount];
        int k = 0;
        for (int f = 0; f < FaceCount; f++)
        {
            if (!keepFace[f]) continue;
            faces[k++] = vertexMap[Faces[3 * f]];
            faces[k++] = vertexMap[Faces[3 * f + 1]];
            faces[k++] = vertexMap[Faces[3 * f + 2]];
        }
        return new TriangleMesh(positions, normals, tags, faces);
    }
}
