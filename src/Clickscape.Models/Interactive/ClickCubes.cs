using Clickscape.Geometry.Interactive;
using Clickscape.Geometry.Neighbors;

namespace Clickscape.Models.Interactive;

/// <summary>
/// The click encoding of interactive 3D object segmentation (Kontogianni et al., "Interactive Object Segmentation in
/// 3D Point Clouds", Eq. 1; REFERENCE.md §5): a click on point q marks every point p with |xₚ − x_q| ≤ ε,
/// |yₚ − y_q| ≤ ε and |zₚ − z_q| ≤ ε (an axis-aligned cube of half-edge ε = 5 cm). T_p is 1 on the points inside the
/// cube of any positive click, T_n likewise for the negative clicks; the same cubes are the points forced to a click's
/// label after each prediction.
/// </summary>
/// <remarks>
/// A <see cref="VoxelHashGrid"/> over the scene (cell = the cube's circumscribed radius ε√3) is built once: a cube
/// query visits the 27 cells around the click and keeps the points of the ball that also lie in the cube, so a click
/// costs O(points near it), not O(N). Immutable after construction and safe to share between threads.
/// </remarks>
public sealed class ClickCubes
{
    /// <summary>The paper's and the reference's half-edge ε, metres.</summary>
    public const float DefaultHalfEdge = 0.05f;

    private readonly float[] _positions;
    private readonly VoxelHashGrid _grid;
    private readonly float _radius;

    /// <summary>Indexes <paramref name="positions"/> (x, y, z per point) for cubes of half-edge <paramref name="halfEdge"/>.</summary>
    public ClickCubes(ReadOnlySpan<float> positions, float halfEdge = DefaultHalfEdge)
    {
        if (positions.Length % 3 != 0) throw new ArgumentException($"positions hold {positions.Length} floats, expected x, y, z per point", nameof(positions));
        if (!(halfEdge > 0) || !float.IsFinite(halfEdge)) throw new ArgumentOutOfRangeException(nameof(halfEdge), halfEdge, "click cube half-edge must be a finite number > 0");
        HalfEdge = halfEdge;
        _positions = positions.ToArray();
        _radius = halfEdge * MathF.Sqrt(3f) * 1.0001f;
        _grid = new VoxelHashGrid(_positions, _radius);
    }

    /// <summary>ε.</summary>
    public float HalfEdge { get; }

    /// <summary>Points N.</summary>
    public int PointCount => _positions.Length / 3;

    /// <summary>The points inside the cube around point <paramref name="point"/>, ascending.</summary>
    public int[] Region(int point)
    {
        Check(point);
        float x = _positions[3 * point], y = _positions[3 * point + 1], z = _positions[3 * point + 2];
        var ball = new List<int>();
        _grid.Radius(x, y, z, _radius, ball);
        var cube = new List<int>(ball.Count);
        foreach (int i in ball)
        {
            if (MathF.Abs(_positions[3 * i] - x) <= HalfEdge && MathF.Abs(_positions[3 * i + 1] - y) <= HalfEdge && MathF.Abs(_positions[3 * i + 2] - z) <= HalfEdge)
                cube.Add(i);
        }
        return [.. cube];
    }

    /// <summary>T_p and T_n of Eq. 1 for <paramref name="clicks"/>: one value (0 or 1) per point each.</summary>
    public (float[] Positive, float[] Negative) Encode(IReadOnlyList<InteractiveClick> clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        var positive = new float[PointCount];
        var negative = new float[PointCount];
        foreach (var c in clicks)
        {
            var channel = c.Positive ? positive : negative;
            foreach (int p in Region(c.Point)) channel[p] = 1f;
        }
        return (positive, negative);
    }

    /// <summary>Forces the points under each click's cube to its label, in click order (later clicks over earlier ones).</summary>
    public void Force(IReadOnlyList<InteractiveClick> clicks, Span<bool> mask)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        if (mask.Length != PointCount) throw new ArgumentException($"mask has {mask.Length} entries for {PointCount} points", nameof(mask));
        foreach (var c in clicks)
        {
            foreach (int p in Region(c.Point)) mask[p] = c.Positive;
        }
    }

    /// <summary>Throws the one-line error of a click on a point that does not exist.</summary>
    public void Check(int point)
    {
        if ((uint)point >= (uint)PointCount)
            throw new ArgumentOutOfRangeException(nameof(point), point, $"click on point {point}, expected 0..{PointCount - 1}");
    }
}
