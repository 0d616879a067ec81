using System.Numerics;

namespace Clickscape.Data.Synthetic.Meshing;

/// <summary>
/// A uniform grid over a triangle mesh for segment-occlusion queries ("is anything between p and q?"), used to
/// simulate which surfaces a scanner's cameras see. Traversal is the 3D-DDA of Amanatides &amp; Woo ("A fast voxel
/// traversal algorithm for ray tracing", 1987); the triangle test is Möller &amp; Trumbore ("Fast, minimum storage
/// ray/triangle intersection", 1997).
/// </summary>
/// <remarks>
/// Each triangle carries its surface tag; a query can ignore one tag so a vertex is never hidden by the part it
/// lies on (every generated part is convex or nearly flat, so a part cannot hide itself from a camera in front of
/// it). Queries are read-only and may run in parallel.
/// </remarks>
public sealed class TriangleGrid
{
    private readonly Vector3 _min;
    private readonly float _cell;
    private readonly int _nx, _ny, _nz;
    private readonly int[] _cellStart; // CSR: triangles of cell c are _cellTriangles[_cellStart[c] .. _cellStart[c + 1])
    private readonly int[] _cellTriangles;
    private readonly Vector3[] _v0, _e1, _e2;
    private readonly int[] _tags;

    /// <summary>Builds the grid over <paramref name="mesh"/> with cubic cells of edge <paramref name="cellSize"/>.</summary>
    public TriangleGrid(TriangleMesh mesh, float cellSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cellSize);
        int t = mesh.FaceCount;
        _v0 = new Vector3[t];
        _e1 = new Vector3[t];
        _e2 = new Vector3[t];
        _tags = new int[t];
        var min = new Vector3(float.PositiveInfinity);
        var max = new Vector3(float.NegativeInfinity);
        var p = mesh.Positions;
        for (int f = 0; f < t; f++)
        {
            int a = mesh.Faces[3 * f], b = mesh.Faces[3 * f + 1], c = mesh.Faces[3 * f + 2];
            var pa = new Vector3(p[3 * a], p[3 * a + 1], p[3 * a + 2]);
            var pb = new Vector3(p[3 * b], p[3 * b + 1], p[3 * b + 2]);
            var pc = new Vector3(p[3 * c], p[3 * c + 1], p[3 * c + 2]);
            _v0[f] = pa;
            _e1[f] = pb - pa;
            _e2[f] = pc - pa;
            _tags[f] = mesh.Tags[a];
            min = Vector3.Min(min, Vector3.Min(pa, Vector3.Min(pb, pc)));
            max = Vector3.Max(max, Vector3.Max(pa, Vector3.Max(pb, pc)));
        }
        if (t == 0) min = max = Vector3.Zero;
        _cell = cellSize;
        _min = min - new Vector3(1e-3f);
        var extent = max + new Vector3(1e-3f) - _min;
        _nx = Math.Max(1, (int)MathF.Ceiling(extent.X / cellSize));
        _ny = Math.Max(1, (int)MathF.Ceiling(extent.Y / cellSize));
        _nz = Math.Max(1, (int)MathF.Ceiling(extent.Z / cellSize));

        // Two passes (count, fill) over the cells each triangle's bounding box overlaps.
        _cellStart = new int[_nx * _ny * _nz + 1];
        for (int pass = 0; pass < 2; pass++)
        {
            var cursor = pass == 1 ? (int[])_cellStart.Clone() : null;
            for (int f = 0; f < t; f++)
            {
                var lo = Vector3.Min(_v0[f], Vector3.Min(_v0[f] + _e1[f], _v0[f] + _e2[f]));
                var hi = Vector3.Max(_v0[f], Vector3.Max(_v0[f] + _e1[f], _v0[f] + _e2[f]));
                var (x0, y0, z0) = CellOf(lo);
                var (x1, y1, z1) = CellOf(hi);
                for (int z = z0; z <= z1; z++)
                {
                    for (int y = y0; y <= y1; y++)
                    {
                        for (int x = x0; x <= x1; x++)
                        {
                            int cell = (z * _ny + y) * _nx + x;
                            if (cursor is null) _cellStart[cell + 1]++;
                            else _cellTriangles![cursor[cell]++] = f;
                        }
                    }
                }
            }
            if (pass == 0)
            {
                for (int c = 0; c < _nx * _ny * _nz; c++) _cellStart[c + 1] += _cellStart[c];
                _cellTriangles = new int[_cellStart[^1]];
            }
        }
        _cellTriangles ??= [];
    }

    /// <summary>
    /// Whether a triangle whose tag is not <paramref name="ignoreTag"/> crosses the open segment from
    /// <paramref name="from"/> to <paramref name="to"/>.
    /// </summary>
    public bool Occluded(Vector3 from, Vector3 to, int ignoreTag)
    {
        var dir = to - from;
        // Clip the segment to the grid box (slab test) so the walk starts inside.
        float tEnter = 0, tExit = 1;
        var boxMax = _min + _cell * new Vector3(_nx, _ny, _nz);
        for (int axis = 0; axis < 3; axis++)
        {
            float o = Component(from, axis), d = Component(dir, axis);
            float lo = Component(_min, axis), hi = Component(boxMax, axis);
            if (MathF.Abs(d) < 1e-12f)
            {
                if (o < lo || o > hi) return false;
                continue;
            }
            float ta = (lo - o) / d, tb = (hi - o) / d;
            if (ta > tb) (ta, tb) = (tb, ta);
            tEnter = MathF.Max(tEnter, ta);
            tExit = MathF.Min(tExit, tb);
            if (tEnter > tExit) return false;
        }
        var start = from + dir * tEnter;
        var (x, y, z) = CellOf(start);
        int stepX = dir.X > 0 ? 1 : -1, stepY = dir.Y > 0 ? 1 : -1, stepZ = dir.Z > 0 ? 1 : -1;
        // tMax: segment parameter at which the walk crosses the next cell border on each axis; tDelta: per cell.
        float tMaxX = NextBorder(from.X, dir.X, _min.X, x, stepX), tMaxY = NextBorder(from.Y, dir.Y, _min.Y, y, stepY), tMaxZ = NextBorder(from.Z, dir.Z, _min.Z, z, stepZ);
        float tDeltaX = dir.X != 0 ? _cell / MathF.Abs(dir.X) : float.PositiveInfinity;
        float tDeltaY = dir.Y != 0 ? _cell / MathF.Abs(dir.Y) : float.PositiveInfinity;
        float tDeltaZ = dir.Z != 0 ? _cell / MathF.Abs(dir.Z) : float.PositiveInfinity;
        while (true)
        {
            int cell = (z * _ny + y) * _nx + x;
            for (int k = _cellStart[cell]; k < _cellStart[cell + 1]; k++)
            {
                int f = _cellTriangles[k];
                if (_tags[f] != ignoreTag && Hits(f, from, dir)) return true;
            }
            if (tMaxX < tMaxY && tMaxX < tMaxZ)
            {
                if (tMaxX > tExit) return false;
                x += stepX;
                if ((uint)x >= (uint)_nx) return false;
                tMaxX += tDeltaX;
            }
            else if (tMaxY < tMaxZ)
            {
                if (tMaxY > tExit) return false;
                y += stepY;
                if ((uint)y >= (uint)_ny) return false;
                tMaxY += tDeltaY;
            }
            else
            {
                if (tMaxZ > tExit) return false;
                z += stepZ;
                if ((uint)z >= (uint)_nz) return false;
                tMaxZ += tDeltaZ;
            }
        }
    }

    // Möller–Trumbore: solve from + t·dir = v0 + u·e1 + v·e2; a hit needs u, v ≥ 0, u + v ≤ 1 and t in (0, 1).
    private bool Hits(int f, Vector3 from, Vector3 dir)
    {
        var e1 = _e1[f];
        var e2 = _e2[f];
        var pv = Vector3.Cross(dir, e2);
        float det = Vector3.Dot(e1, pv);
        if (MathF.Abs(det) < 1e-14f) return false;
        float inv = 1f / det;
        var tv = from - _v0[f];
        float u = Vector3.Dot(tv, pv) * inv;
        if (u < 0 || u > 1) return false;
        var qv = Vector3.Cross(tv, e1);
        float v = Vector3.Dot(dir, qv) * inv;
        if (v < 0 || u + v > 1) return false;
        float t = Vector3.Dot(e2, qv) * inv;
        return t > 1e-4f && t < 1 - 1e-4f;
    }

    private float NextBorder(float origin, float d, float min, int cell, int step)
    {
        if (d == 0) return float.PositiveInfinity;
        float border = min + (cell + (step > 0 ? 1 : 0)) * _cell;
        return (border - origin) / d;
    }

    private (int X, int Y, int Z) CellOf(Vector3 p) =>
        (Math.Clamp((int)((p.X - _min.X) / _cell), 0, _nx - 1),
         Math.Clamp((int)((p.Y - _min.Y) / _cell), 0, _ny - 1),
         Math.Clamp((int)((p.Z - _min.Z) / _cell), 0, _nz - 1));

    private static float Component(Vector3 v, int axis) => axis == 0 ? v.X : axis == 1 ? v.Y : v.Z;
}
