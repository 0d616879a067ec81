using System.Numerics;

namespace Clickscape.Data.Synthetic.Scenes;

/// <summary>
/// The floor area an object occupies: an oriented rectangle (centre, half-sizes along its own axes, yaw). Overlap
/// is the separating-axis test on the four edge normals of the two rectangles.
/// </summary>
public readonly record struct Footprint(Vector2 Center, float HalfWidth, float HalfDepth, float Yaw)
{
    private Vector2 AxisX => new(MathF.Cos(Yaw), MathF.Sin(Yaw));

    private Vector2 AxisY => new(-MathF.Sin(Yaw), MathF.Cos(Yaw));

    /// <summary>Whether the two rectangles overlap by more than <paramref name="tolerance"/> (touching is allowed).</summary>
    public bool Overlaps(Footprint other, float tolerance = 0.005f)
    {
        Span<Vector2> axes = [AxisX, AxisY, other.AxisX, other.AxisY];
        var d = other.Center - Center;
        foreach (var axis in axes)
        {
            float ra = HalfWidth * MathF.Abs(Vector2.Dot(AxisX, axis)) + HalfDepth * MathF.Abs(Vector2.Dot(AxisY, axis));
            float rb = other.HalfWidth * MathF.Abs(Vector2.Dot(other.AxisX, axis)) + other.HalfDepth * MathF.Abs(Vector2.Dot(other.AxisY, axis));
            if (MathF.Abs(Vector2.Dot(d, axis)) >= ra + rb - tolerance) return false;
        }
        return true;
    }

    /// <summary>Whether the rectangle lies inside [0, width] × [0, depth] (up to <paramref name="tolerance"/>).</summary>
    public bool InsideRoom(float width, float depth, float tolerance = 0.005f)
    {
        float ex = HalfWidth * MathF.Abs(AxisX.X) + HalfDepth * MathF.Abs(AxisY.X);
        float ey = HalfWidth * MathF.Abs(AxisX.Y) + HalfDepth * MathF.Abs(AxisY.Y);
        return Center.X - ex >= -tolerance && Center.X + ex <= width + tolerance
            && Center.Y - ey >= -tolerance && Center.Y + ey <= depth + tolerance;
    }

    /// <summary>Whether <paramref name="p"/> lies inside the rectangle grown by <paramref name="margin"/>.</summary>
    public bool Contains(Vector2 p, float margin = 0)
    {
        var d = p - Center;
        return MathF.Abs(Vector2.Dot(d, AxisX)) <= HalfWidth + margin && MathF.Abs(Vector2.Dot(d, AxisY)) <= HalfDepth + margin;
    }
}
