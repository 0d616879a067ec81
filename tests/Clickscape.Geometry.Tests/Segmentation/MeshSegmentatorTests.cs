using Clickscape.Geometry.Normals;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Geometry.Tests.Segmentation;

public class MeshSegmentatorTests
{
    // A floor quad (z = 0, normal +z) folded along the line x = 1 into a wall quad whose far edge is at
    // z = wallZ. wallZ = +1 is a concave crease (floor meets wall inside a room, wall normal −x);
    // wallZ = −1 is a convex crease (edge of a table, wall normal +x). Same faces in both cases:
    //
    //   vertices 0 (0,0,0) 1 (0,1,0) | crease 2 (1,0,0) 3 (1,1,0) | wall 4 (1,0,wallZ) 5 (1,1,wallZ)
    //   faces F0 (0,2,3) F1 (0,3,1) [normal +z]   F2 (2,4,5) F3 (2,5,3) [normal −x concave, +x convex]
    //
    // Running-average vertex normals (s = −1 concave, +1 convex):
    //   n0 = n1 = (0,0,1); n4 = n5 = (s,0,0);
    //   n2: F0 → (0,0,1); F2 → ½(s,0,0) + ½(0,0,1) = (s/2,0,½); F3 → ⅓(s,0,0) + ⅔(s/2,0,½) = (2s/3, 0, ⅓)
    //   n3: F0, F1 → (0,0,1); F3 → ⅓(s,0,0) + ⅔(0,0,1) = (s/3, 0, ⅔)
    // Edges (i1,i2),(i1,i3),(i3,i2) per face:
    //   F0: (0,2) (0,3) (3,2)   F1: (0,3) (0,1) (1,3)   F2: (2,4) (2,5) (5,4)   F3: (2,5) (2,3) (3,5)
    // Weights w = 1 − n_a·n_b, squared when n_b·(p_b − p_a) > 0:
    //   (0,1), (5,4): 0
    //   (0,3) ×2, (1,3): 1 − ⅔ = ⅓; n3·d = s/3·(…) → concave ⅓, convex (⅓)² = 1/9
    //   (2,4), (2,5) ×2: 1 − 2/3 = ⅓ in both cases (n4, n5 ⟂ the edge direction)
    //   (0,2): 1 − ⅓ = ⅔; n2·(1,0,0) = 2s/3 → concave ⅔, convex 4/9
    //   (3,2), (2,3): 1 − 4/9 = 5/9 (n2, n3 ⟂ (0,±1,0));  (3,5): 1 − ⅓ = ⅔ (n5 ⟂ (0,0,wallZ))
    private static readonly int[] FoldFaces = [0, 2, 3, 0, 3, 1, 2, 4, 5, 2, 5, 3];

    private static float[] Fold(float wallZ) => [0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, wallZ, 1, 1, wallZ];

    [Fact]
    public void Fold_normals_are_the_running_averages_derived_by_hand()
    {
        foreach (float s in new[] { -1f, 1f })
        {
            var n = MeshNormals.Segmentator(Fold(-s), FoldFaces);
            float[] expected = [0, 0, 1, 0, 0, 1, 2 * s / 3, 0, 1 / 3f, s / 3, 0, 2 / 3f, s, 0, 0, s, 0, 0];
            for (int i = 0; i < expected.Length; i++)
                Assert.Equal(expected[i], n[i], 1e-6f);
        }
    }

    [Fact]
    public void Fold_edge_weights_match_the_hand_derivation()
    {
        var concave = Fold(1);
        var convex = Fold(-1);
        var nc = MeshNormals.Segmentator(concave, FoldFaces);
        var nv = MeshNormals.Segmentator(convex, FoldFaces);
        Assert.Equal(1 / 3f, MeshSegmentator.EdgeWeight(concave, nc, 0, 3), 1e-6f);
        Assert.Equal(1 / 9f, MeshSegmentator.EdgeWeight(convex, nv, 0, 3), 1e-6f);
        Assert.Equal(2 / 3f, MeshSegmentator.EdgeWeight(concave, nc, 0, 2), 1e-6f);
        Assert.Equal(4 / 9f, MeshSegmentator.EdgeWeight(convex, nv, 0, 2), 1e-6f);
        Assert.Equal(1 / 3f, MeshSegmentator.EdgeWeight(convex, nv, 2, 4), 1e-6f);
        Assert.Equal(5 / 9f, MeshSegmentator.EdgeWeight(convex, nv, 3, 2), 1e-6f);
        Assert.Equal(2 / 3f, MeshSegmentator.EdgeWeight(concave, nc, 3, 5), 1e-6f);
        Assert.Equal(0f, MeshSegmentator.EdgeWeight(concave, nc, 5, 4));
    }

    // kThresh = 0.01, no small-segment pass: only the zero-weight edges (0,1) and (5,4) merge.
    // Join(root(0), root(1)) with equal ranks makes the second vertex the parent → id 1; (5,4) → id 4.
    [Fact]
    public void Small_kThresh_merges_only_identical_normals_and_ids_are_second_vertex_roots()
    {
        Assert.Equal([1, 1, 2, 3, 4, 4], MeshSegmentator.Segment(Fold(1), FoldFaces, 0.01f, 0));
        Assert.Equal([1, 1, 2, 3, 4, 4], MeshSegmentator.Segment(Fold(-1), FoldFaces, 0.01f, 0));
    }

    // kThresh = 0.3. Concave: ⅓ > thr({0,1}) = 0.3/2 → still 4 segments. Convex: the 1/9 edges (0,3) join 3 to
    // the floor (1/9 ≤ 0.15 and ≤ 0.3), thr becomes 1/9 + 0.3/3 = 0.211; the wall edges of ⅓ exceed
    // thr({4,5}) = 0.15, (0,2) = 4/9 exceeds 0.211. Root of {0,1} has rank 1 > rank(3) = 0, so 3 hangs under 1.
    [Fact]
    public void Convex_crease_vertices_merge_at_lower_kThresh_than_concave_ones()
    {
        Assert.Equal([1, 1, 2, 3, 4, 4], MeshSegmentator.Segment(Fold(1), FoldFaces, 0.3f, 0));
        Assert.Equal([1, 1, 2, 1, 4, 4], MeshSegmentator.Segment(Fold(-1), FoldFaces, 0.3f, 0));
    }

    // Concave fold. The ⅓ edges need ⅓ ≤ thr({0,1}) = c/2, i.e. c ≥ ⅔; then thr = ⅓ + c/3 ≥ 5/9, so the 5/9 crease
    // edge (3,2) merges too. Before that, (3,2) joins the two singletons 2 and 3 once 5/9 ≤ c:
    // c = 0.5 → {0,1} {2} {3} {4,5}; c = 0.6 → {0,1} {2,3} {4,5}; c = 0.7 → one segment.
    [Fact]
    public void KThresh_controls_merging_through_the_size_dependent_threshold()
    {
        Assert.Equal(4, MeshSegmentator.Segment(Fold(1), FoldFaces, 0.5f, 0).Distinct().Count());
        Assert.Equal([0, 0, 2, 2, 4, 4], SyntheticMeshes.Canonical(MeshSegmentator.Segment(Fold(1), FoldFaces, 0.6f, 0)));
        Assert.Single(MeshSegmentator.Segment(Fold(1), FoldFaces, 0.7f, 0).Distinct());
    }

    // Small-segment pass at kThresh 0.01 (segments {0,1} {2} {3} {4,5}). segMinVerts = 2: the ⅓ edges come
    // next in sorted order and each touches a singleton: 3 joins the floor, 2 joins the wall, whatever the
    // order among them; then (3,2) joins two segments of 3 ≥ 2 → no. segMinVerts = 4: (3,2) joins them.
    [Fact]
    public void Small_segment_pass_joins_segments_below_segMinVerts_in_weight_order()
    {
        var two = SyntheticMeshes.Canonical(MeshSegmentator.Segment(Fold(1), FoldFaces, 0.01f, 2));
        Assert.Equal([0, 0, 2, 0, 2, 2], two);
        Assert.Single(MeshSegmentator.Segment(Fold(1), FoldFaces, 0.01f, 4).Distinct());
    }

    [Fact]
    public void Unreferenced_vertex_stays_a_segment_of_one()
    {
        float[] positions = [.. Fold(1), 5, 5, 5];
        var seg = MeshSegmentator.Segment(positions, FoldFaces, 0.01f, 20);
        Assert.Equal(6, seg[6]);
        Assert.Equal(2, seg.Distinct().Count());
    }

    // A zero-area face has a NaN normal (0/0) as in the C++ tool; its edges get NaN weights, which sort last and
    // never pass the thresholds, so only the small-segment pass can join its vertices.
    [Fact]
    public void Degenerate_face_does_not_break_segmentation()
    {
        float[] positions = [.. Fold(1), 5, 5, 5, 5, 5, 5, 5, 5, 5];
        int[] faces = [.. FoldFaces, 6, 7, 8];
        Assert.Equal([1, 1, 2, 3, 4, 4, 6, 7, 8], MeshSegmentator.Segment(positions, faces, 0.01f, 0));
        Assert.Single(MeshSegmentator.Segment(positions, faces, 0.01f, 3).Skip(6).Distinct());
    }

    [Fact]
    public void Bad_input_throws_a_one_line_argument_exception()
    {
        var e = Assert.Throws<ArgumentException>(() => MeshSegmentator.Segment(new float[7], FoldFaces));
        Assert.Contains("multiple of 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => MeshSegmentator.Segment(Fold(1), [0, 1, 6]));
        Assert.Contains("vertex 6", e.Message);
        Assert.Empty(MeshSegmentator.Segment([], []));
    }

    [Theory]
    [InlineData(7, 5, 0.01f, 20, 1)]
    [InlineData(60, 41, 0.01f, 20, 2)]
    [InlineData(60, 41, 0.05f, 50, 3)]
    [InlineData(33, 70, 0.001f, 5, 4)]
    public void Matches_a_plain_reference_and_segments_are_connected_and_large_enough(int nx, int ny, float k, int minVerts, int seed)
    {
        var (positions, faces) = SyntheticMeshes.BumpyGrid(nx, ny, seed);
        var seg = MeshSegmentator.Segment(positions, faces, k, minVerts);
        Assert.Equal(ReferenceSegmentator(positions, faces, k, minVerts), seg);

        // Each segment is connected through mesh edges inside it.
        int n = positions.Length / 3;
        var inside = new DisjointSet(n);
        for (int f = 0; f < faces.Length; f += 3)
        {
            for (int e = 0; e < 3; e++)
            {
                int a = faces[f + e], b = faces[f + (e + 1) % 3];
                if (seg[a] == seg[b])
                    inside.Union(a, b);
            }
        }
        Assert.Equal(seg.Distinct().Count(), inside.SetCount);
        // The grid is one connected component, so every segment has at least minVerts vertices.
        foreach (var size in seg.GroupBy(s => s).Select(g => g.Count()))
            Assert.True(size >= Math.Min(minVerts, n), $"segment of {size} < {minVerts}");
    }

    [Fact]
    public void Noise_free_grid_is_deterministic_under_ties()
    {
        var (positions, faces) = SyntheticMeshes.BumpyGrid(50, 50, 9, noise: 0);
        var a = MeshSegmentator.Segment(positions, faces);
        Assert.Equal(a, MeshSegmentator.Segment(positions, faces));
        Assert.Equal(ReferenceSegmentator(positions, faces, 0.01f, 20), a);
    }

    // A plain transcription of the Segmentator: double-checked arrays, a comparison sort on (weight, edge
    // index), and Felzenszwalb's universe written out inline.
    private static int[] ReferenceSegmentator(float[] positions, int[] faces, float c, int minVerts)
    {
        int n = positions.Length / 3, m = faces.Length;
        var normals = new float[3 * n];
        var counts = new int[n];
        for (int f = 0; f < faces.Length; f += 3)
        {
            int i1 = faces[f], i2 = faces[f + 1], i3 = faces[f + 2];
            float[] e1 = [.. Enumerable.Range(0, 3).Select(k => positions[3 * i2 + k] - positions[3 * i1 + k])];
            float[] e2 = [.. Enumerable.Range(0, 3).Select(k => positions[3 * i3 + k] - positions[3 * i1 + k])];
            float[] cr = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
            float len = MathF.Sqrt(cr[0] * cr[0] + cr[1] * cr[1] + cr[2] * cr[2]);
            foreach (int v in new[] { i1, i2, i3 })
            {
                float t = 1.0f / (counts[v] + 1.0f);
                for (int k = 0; k < 3; k++)
                    normals[3 * v + k] = t * (cr[k] / len) + (1.0f - t) * normals[3 * v + k];
                counts[v]++;
            }
        }
        var edges = new List<(int A, int B, float W, int Index)>();
        for (int f = 0; f < faces.Length; f += 3)
        {
            int i1 = faces[f], i2 = faces[f + 1], i3 = faces[f + 2];
            foreach (var (a, b) in new[] { (i1, i2), (i1, i3), (i3, i2) })
                edges.Add((a, b, MeshSegmentator.EdgeWeight(positions, normals, a, b), edges.Count));
        }
        edges.Sort((x, y) => x.W != y.W ? x.W.CompareTo(y.W) : x.Index.CompareTo(y.Index));
        var parent = Enumerable.Range(0, n).ToArray();
        var rank = new int[n];
        var size = Enumerable.Repeat(1, n).ToArray();
        var thr = Enumerable.Repeat(c, n).ToArray();
        int Find(int x) { int y = x; while (parent[y] != y) y = parent[y]; parent[x] = y; return y; }
        void Join(int x, int y)
        {
            if (rank[x] > rank[y]) { parent[y] = x; size[x] += size[y]; }
            else { parent[x] = y; size[y] += size[x]; if (rank[x] == rank[y]) rank[y]++; }
        }
        foreach (var e in edges)
        {
            int a = Find(e.A), b = Find(e.B);
            if (a != b && e.W <= thr[a] && e.W <= thr[b])
            {
                Join(a, b);
                a = Find(a);
                thr[a] = e.W + c / size[a];
            }
        }
        foreach (var e in edges)
        {
            int a = Find(e.A), b = Find(e.B);
            if (a != b && (size[a] < minVerts || size[b] < minVerts))
                Join(a, b);
        }
        return [.. Enumerable.Range(0, n).Select(Find)];
    }
}
