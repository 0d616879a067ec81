using System.Numerics;

namespace Clickscape.Data.Synthetic.Meshing;

/// <summary>A rectangular hole in a panel, in the panel's (u, v) coordinates.</summary>
public readonly record struct PanelHole(float U0, float U1, float V0, float V1)
{
    /// <summary>Whether (u, v) lies strictly inside the hole.</summary>
    public bool Contains(float u, float v) => u > U0 && u < U1 && v > V0 && v < V1;
}

/// <summary>Vertical folds of a hanging cloth: the panel is displaced along its normal by
/// <c>Amplitude · sin(2π u / Wavelength + Phase)</c>.</summary>
public readonly record struct PanelFolds(float Amplitude, float Wavelength, float Phase);

/// <summary>Which faces of a box to emit (a box standing on the floor needs no bottom).</summary>
[Flags]
public enum BoxFaces
{
    /// <summary>No face.</summary>
    None = 0,
    /// <summary>+X face.</summary>
    PosX = 1,
    /// <summary>−X face.</summary>
    NegX = 2,
    /// <summary>+Y face.</summary>
    PosY = 4,
    /// <summary>−Y face.</summary>
    NegY = 8,
    /// <summary>+Z (top) face.</summary>
    PosZ = 16,
    /// <summary>−Z (bottom) face.</summary>
    NegZ = 32,
    /// <summary>All six faces.</summary>
    All = 63,
}

/// <summary>
/// Tessellates primitive surfaces (panels with rectangular holes, boxes, cylinders and cones) into a triangle mesh
/// whose edges are close to a target length <c>h</c>, the way a scan's reconstruction has a roughly uniform vertex
/// density. Every surface is its own connected piece; hole borders are grid lines, so holes are exact rectangles.
/// </summary>
public sealed class MeshBuilder
{
    private readonly List<Vector3> _positions = [];
    private readonly List<Vector3> _normals = [];
    private readonly List<int> _tags = [];
    private readonly List<int> _faces = [];

    /// <summary>Vertices so far.</summary>
    public int VertexCount => _tags.Count;

    /// <summary>
    /// A flat rectangle [u0, u1] × [v0, v1] in the XY plane of <paramref name="frame"/>, facing +Z, minus
    /// <paramref name="holes"/>, optionally with cloth <paramref name="folds"/>.
    /// </summary>
    public void AddPanel(Frame frame, float u0, float u1, float v0, float v1, float h, int tag,
        ReadOnlySpan<PanelHole> holes = default, PanelFolds folds = default)
    {
        if (!(u1 > u0) || !(v1 > v0)) return;
        var us = GridLines(u0, u1, h, holes, vertical: false);
        var vs = GridLines(v0, v1, h, holes, vertical: true);
        int nu = us.Length, nv = vs.Length, first = VertexCount;
        bool folded = folds.Amplitude != 0 && folds.Wavelength > 0;
        for (int j = 0; j < nv; j++)
        {
            for (int i = 0; i < nu; i++)
            {
                float z = 0, slope = 0;
                if (folded)
                {
                    float k = 2 * MathF.PI / folds.Wavelength;
                    z = folds.Amplitude * MathF.Sin(k * us[i] + folds.Phase);
                    slope = folds.Amplitude * k * MathF.Cos(k * us[i] + folds.Phase);
                }
                _positions.Add(frame.Point(us[i], vs[j], z));
                _normals.Add(Vector3.Normalize(frame.Direction(new Vector3(-slope, 0, 1))));
                _tags.Add(tag);
            }
        }
        for (int j = 0; j + 1 < nv; j++)
        {
            for (int i = 0; i + 1 < nu; i++)
            {
                float cu = 0.5f * (us[i] + us[i + 1]), cv = 0.5f * (vs[j] + vs[j + 1]);
                if (InAnyHole(holes, cu, cv)) continue;
                int a = first + j * nu + i, b = a + 1, c = a + nu + 1, d = a + nu;
                // Alternate the diagonal so the mesh has no preferred direction.
                if (((i + j) & 1) == 0) AddQuad(a, b, c, d);
                else AddQuad(b, c, d, a);
            }
        }
    }

    /// <summary>A box spanning ±<paramref name="half"/> around the origin of <paramref name="frame"/>.</summary>
    public void AddBox(Frame frame, Vector3 half, float h, int tag, BoxFaces faces = BoxFaces.All)
    {
        var (x, y, z) = (frame.X, frame.Y, frame.Z);
        if ((faces & BoxFaces.PosZ) != 0)
            AddPanel(new Frame(frame.Point(0, 0, half.Z), x, y, z), -half.X, half.X, -half.Y, half.Y, h, tag);
        if ((faces & BoxFaces.NegZ) != 0)
            AddPanel(new Frame(frame.Point(0, 0, -half.Z), x, -y, -z), -half.X, half.X, -half.Y, half.Y, h, tag);
        if ((faces & BoxFaces.PosX) != 0)
            AddPanel(new Frame(frame.Point(half.X, 0, 0), y, z, x), -half.Y, half.Y, -half.Z, half.Z, h, tag);
        if ((faces & BoxFaces.NegX) != 0)
            AddPanel(new Frame(frame.Point(-half.X, 0, 0), -y, z, -x), -half.Y, half.Y, -half.Z, half.Z, h, tag);
        if ((faces & BoxFaces.PosY) != 0)
            AddPanel(new Frame(frame.Point(0, half.Y, 0), -x, z, y), -half.X, half.X, -half.Z, half.Z, h, tag);
        if ((faces & BoxFaces.NegY) != 0)
            AddPanel(new Frame(frame.Point(0, -half.Y, 0), x, z, -y), -half.X, half.X, -half.Z, half.Z, h, tag);
    }

    /// <summary>
    /// A truncated cone (a cylinder when <paramref name="r0"/> = <paramref name="r1"/>) standing on the origin of
    /// <paramref name="frame"/> along +Z: radius <paramref name="r0"/> at z = 0, <paramref name="r1"/> at
    /// z = <paramref name="height"/>, with optional flat caps.
    /// </summary>
    public void AddFrustum(Frame frame, float r0, float r1, float height, float h, int tag, bool bottomCap = true, bool topCap = true)
    {
        float rMax = MathF.Max(r0, r1);
        int n = Math.Max(8, (int)MathF.Ceiling(2 * MathF.PI * rMax / h));
        float slant = MathF.Sqrt(height * height + (r1 - r0) * (r1 - r0));
        int m = Math.Max(1, (int)MathF.Round(slant / h));
        float nz = height > 0 ? (r0 - r1) / height : 0;
        int first = VertexCount;
        for (int k = 0; k <= m; k++)
        {
            float t = (float)k / m, r = r0 + (r1 - r0) * t, z = height * t;
            for (int i = 0; i < n; i++)
            {
                float th = 2 * MathF.PI * i / n, c = MathF.Cos(th), s = MathF.Sin(th);
                _positions.Add(frame.Point(r * c, r * s, z));
                _normals.Add(Vector3.Normalize(frame.Direction(new Vector3(c, s, nz))));
                _tags.Add(tag);
            }
        }
        for (int k = 0; k < m; k++)
        {
            for (int i = 0; i < n; i++)
            {
                int i1 = (i + 1) % n;
                int a = first + k * n + i, b = first + k * n + i1, c = b + n, d = a + n;
                AddQuad(a, b, c, d);
            }
        }
        if (bottomCap && r0 > 0) AddDisc(frame, r0, 0, n, h, tag, up: false);
        if (topCap && r1 > 0) AddDisc(frame, r1, height, n, h, tag, up: true);
    }

    /// <summary>The mesh built so far.</summary>
    public TriangleMesh Build()
    {
        int n = VertexCount;
        var positions = new float[3 * n];
        var normals = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            positions[3 * i] = _positions[i].X;
            positions[3 * i + 1] = _positions[i].Y;
            positions[3 * i + 2] = _positions[i].Z;
            normals[3 * i] = _normals[i].X;
            normals[3 * i + 1] = _normals[i].Y;
            normals[3 * i + 2] = _normals[i].Z;
        }
        return new TriangleMesh(positions, normals, _tags.ToArray(), _faces.ToArray());
    }

    private void AddDisc(Frame frame, float r, float z, int n, float h, int tag, bool up)
    {
        int rings = Math.Max(1, (int)MathF.Round(r / h));
        var normal = up ? frame.Z : -frame.Z;
        int center = VertexCount;
        _positions.Add(frame.Point(0, 0, z));
        _normals.Add(normal);
        _tags.Add(tag);
        for (int q = 1; q <= rings; q++)
        {
            float rq = r * q / rings;
            for (int i = 0; i < n; i++)
            {
                float th = 2 * MathF.PI * i / n;
                _positions.Add(frame.Point(rq * MathF.Cos(th), rq * MathF.Sin(th), z));
                _normals.Add(normal);
                _tags.Add(tag);
            }
        }
        for (int i = 0; i < n; i++)
        {
            int i1 = (i + 1) % n;
            AddTriangle(center, center + 1 + i, center + 1 + i1, up);
        }
        for (int q = 1; q < rings; q++)
        {
            int inner = center + 1 + (q - 1) * n, outer = inner + n;
            for (int i = 0; i < n; i++)
            {
                int i1 = (i + 1) % n;
                AddTriangle(inner + i, outer + i, outer + i1, up);
                AddTriangle(inner + i, outer + i1, inner + i1, up);
            }
        }
    }

    private void AddTriangle(int a, int b, int c, bool ccw)
    {
        _faces.Add(a);
        if (ccw)
        {
            _faces.Add(b);
            _faces.Add(c);
        }
        else
        {
            _faces.Add(c);
            _faces.Add(b);
        }
    }

    private void AddQuad(int a, int b, int c, int d)
    {
        _faces.Add(a);
        _faces.Add(b);
        _faces.Add(c);
        _faces.Add(a);
        _faces.Add(c);
        _faces.Add(d);
    }

    private static bool InAnyHole(ReadOnlySpan<PanelHole> holes, float u, float v)
    {
        foreach (var hole in holes)
        {
            if (hole.Contains(u, v)) return true;
        }
        return false;
    }

    // Grid coordinates along one panel axis: the panel ends and every hole border are lines, and each interval
    // between them is split into pieces no longer than about h.
    private static float[] GridLines(float a, float b, float h, ReadOnlySpan<PanelHole> holes, bool vertical)
    {
        var breaks = new List<float> { a, b };
        foreach (var hole in holes)
        {
            float lo = vertical ? hole.V0 : hole.U0, hi = vertical ? hole.V1 : hole.U1;
            if (lo > a && lo < b) breaks.Add(lo);
            if (hi > a && hi < b) breaks.Add(hi);
        }
        breaks.Sort();
        var lines = new List<float> { breaks[0] };
        for (int k = 1; k < breaks.Count; k++)
        {
            float lo = breaks[k - 1], hi = breaks[k], len = hi - lo;
            if (len <= 1e-5f) continue;
            int pieces = Math.Max(1, (int)MathF.Round(len / h));
            for (int p = 1; p <= pieces; p++) lines.Add(p == pieces ? hi : lo + len * p / pieces);
        }
        return lines.ToArray();
    }
}
