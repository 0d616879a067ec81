using System.Numerics;

namespace Clickscape.Data.Synthetic.Meshing;

/// <summary>
/// A rigid frame: an origin and three orthonormal axes. Primitives are described in their own frame (a box spans
/// ±half-extents around the origin, a cylinder stands on the origin along +Z) and placed in the room by it.
/// </summary>
public readonly record struct Frame(Vector3 Origin, Vector3 X, Vector3 Y, Vector3 Z)
{
    /// <summary>The world frame.</summary>
    public static Frame Identity => new(Vector3.Zero, Vector3.UnitX, Vector3.UnitY, Vector3.UnitZ);

    /// <summary>A frame at <paramref name="origin"/> turned by <paramref name="yaw"/> radians about +Z.</summary>
    public static Frame Yaw(Vector3 origin, float yaw)
    {
        float c = MathF.Cos(yaw), s = MathF.Sin(yaw);
        return new Frame(origin, new Vector3(c, s, 0), new Vector3(-s, c, 0), Vector3.UnitZ);
    }

    /// <summary>A frame at <paramref name="origin"/> whose +Z is <paramref name="z"/> and whose +X lies closest to
    /// <paramref name="xHint"/>.</summary>
    public static Frame FromZ(Vector3 origin, Vector3 z, Vector3 xHint)
    {
        z = Vector3.Normalize(z);
        var x = xHint - Vector3.Dot(xHint, z) * z;
        if (x.LengthSquared() < 1e-8f) x = MathF.Abs(z.X) < 0.9f ? Vector3.UnitX - z.X * z : Vector3.UnitY - z.Y * z;
        x = Vector3.Normalize(x);
        return new Frame(origin, x, Vector3.Cross(z, x), z);
    }

    /// <summary>A local point in world coordinates.</summary>
    public Vector3 Point(Vector3 local) => Origin + local.X * X + local.Y * Y + local.Z * Z;

    /// <summary>A local point in world coordinates.</summary>
    public Vector3 Point(float x, float y, float z) => Origin + x * X + y * Y + z * Z;

    /// <summary>A local direction in world coordinates.</summary>
    public Vector3 Direction(Vector3 local) => local.X * X + local.Y * Y + local.Z * Z;

    /// <summary>The frame <paramref name="child"/>, given in this frame's coordinates, in world coordinates.</summary>
    public Frame Compose(Frame child) =>
        new(Point(child.Origin), Direction(child.X), Direction(child.Y), Direction(child.Z));

    /// <summary>A child frame at local <paramref name="offset"/> with the same axes.</summary>
    public Frame Offset(float x, float y, float z) => this with { Origin = Point(x, y, z) };

    /// <summary>This frame turned by <paramref name="angle"/> radians about its own X axis.</summary>
    public Frame TiltAboutX(float angle)
    {
        float c = MathF.Cos(angle), s = MathF.Sin(angle);
        return this with { Y = c * Y + s * Z, Z = -s * Y + c * Z };
    }
}
