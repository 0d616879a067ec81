using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Tests.Synthetic.Meshing;

public sealed class VertexWeldingTests
{
    private static int Components(TriangleMesh m)
    {
        var parent = Enumerable.Range(0, m.VertexCount).ToArray();
        int Find(int x) => parent[x] == x ? x : parent[x] = Find(parent[x]);
        for (int i = 0; i < m.Faces.Length; i += 3)
        {
            parent[Find(m.Faces[i])] = Find(m.Faces[i + 1]);
            parent[Find(m.Faces[i + 1])] = Find(m.Faces[i + 2]);
        }
        return Enumerable.Range(0, m.VertexCount).Select(Find).Distinct().Count();
    }

    [Fact]
    public void ABoxBecomesOneClosedSurface()
    {
        var b = new MeshBuilder();
        b.AddBox(Frame.Yaw(new Vector3(0.3f, 0.1f, 0.5f), 0.4f), new Vector3(0.31f, 0.17f, 0.23f), 0.05f, 1);
        var mesh = b.Build();
        Assert.Equal(6, Components(mesh));
        var welded = VertexWelding.Weld(mesh, 0.02f, 0.002f, out var map);
        Assert.Equal(1, Components(welded));
        Assert.Equal(mesh.FaceCount, welded.FaceCount); // nothing collapsed: only duplicates were merged
        // A closed surface: every edge is shared by exactly two faces.
        var edges = new Dictionary<(int, int), int>();
        for (int i = 0; i < welded.Faces.Length; i += 3)
        {
            for (int k = 0; k < 3; k++)
            {
                int a = welded.Faces[i + k], c = welded.Faces[i + (k + 1) % 3];
                var key = (Math.Min(a, c), Math.Max(a, c));
                edges[key] = edges.GetValueOrDefault(key) + 1;
            }
        }
        Assert.All(edges.Values, count => Assert.Equal(2, count));
        Assert.All(map, v => Assert.InRange(v, 0, welded.VertexCount - 1));
    }

    [Fact]
    public void TouchingPartsConnectAndKeepTheirTags()
    {
        var b = new MeshBuilder();
        b.AddPanel(Frame.Identity, 0, 2, 0, 2, 0.1f, 0);                            // floor
        b.AddFrustum(Frame.Identity.Offset(1, 1, 0), 0.2f, 0.2f, 0.5f, 0.1f, 1, bottomCap: false); // a leg on it
        var mesh = b.Build();
        var welded = VertexWelding.Weld(mesh, 0.045f, 0.001f, out var map);
        Assert.Equal(1, Components(welded));
        Assert.True(welded.VertexCount < mesh.VertexCount);
        for (int v = 0; v < mesh.VertexCount; v++)
        {
            int w = map[v];
            if (w < 0) continue;
            var a = new Vector3(mesh.Positions[3 * v], mesh.Positions[3 * v + 1], mesh.Positions[3 * v + 2]);
            var c = new Vector3(welded.Positions[3 * w], welded.Positions[3 * w + 1], welded.Positions[3 * w + 2]);
            Assert.True(Vector3.Distance(a, c) < 0.045f);
        }
        // Each output vertex is one of the input vertices, with its tag.
        for (int w = 0; w < welded.VertexCount; w++)
        {
            var ws = Enumerable.Range(0, mesh.VertexCount).Where(v => map[v] == w).ToList();
            Assert.Contains(ws, v => mesh.Tags[v] == welded.Tags[w] && mesh.Positions[3 * v] == welded.Positions[3 * w]
                && mesh.Positions[3 * v + 1] == welded.Positions[3 * w + 1] && mesh.Positions[3 * v + 2] == welded.Positions[3 * w + 2]);
        }
        // Far apart parts stay apart.
        var apart = new MeshBuilder();
        apart.AddPanel(Frame.Identity, 0, 1, 0, 1, 0.1f, 0);
        apart.AddPanel(Frame.Identity.Offset(0, 0, 0.2f), 0, 1, 0, 1, 0.1f, 1);
        Assert.Equal(2, Components(VertexWelding.Weld(apart.Build(), 0.045f, 0.001f, out _)));
    }
}
