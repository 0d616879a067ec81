using System.Numerics;

namespace Clickscape.Data.Synthetic.Meshing;

/// <summary>A surface an object part is made of; tessellated at a target edge length by <see cref="Emit"/>.</summary>
public abstract record Primitive
{
    /// <summary>Adds the surface to <paramref name="builder"/> with edge length about <paramref name="h"/>.</summary>
    public abstract void Emit(MeshBuilder builder, float h, int tag);

    /// <summary>Highest world z of the surface (for placing things on top of each other).</summary>
    public abstract float Top { get; }
}

/// <summary>A box of half-extents <paramref name="Half"/> centred on the origin of <paramref name="Frame"/>.</summary>
public sealed record BoxPrimitive(Frame Frame, Vector3 Half, BoxFaces Faces = BoxFaces.All) : Primitive
{
    /// <inheritdoc/>
    public override void Emit(MeshBuilder builder, float h, int tag) => builder.AddBox(Frame, Half, h, tag, Faces);

    /// <inheritdoc/>
    public override float Top => Frame.Origin.Z + MathF.Abs(Frame.X.Z) * Half.X + MathF.Abs(Frame.Y.Z) * Half.Y + MathF.Abs(Frame.Z.Z) * Half.Z;
}

/// <summary>A cylinder or truncated cone standing on the origin of <paramref name="Frame"/> along its +Z.</summary>
public sealed record FrustumPrimitive(Frame Frame, float R0, float R1, float Height, bool BottomCap = true, bool TopCap = true) : Primitive
{
    /// <inheritdoc/>
    public override void Emit(MeshBuilder builder, float h, int tag) => builder.AddFrustum(Frame, R0, R1, Height, h, tag, BottomCap, TopCap);

    /// <inheritdoc/>
    public override float Top => Frame.Origin.Z + Math.Max(0, Frame.Z.Z * Height) + MathF.Max(R0, R1) * MathF.Sqrt(MathF.Max(0, 1 - Frame.Z.Z * Frame.Z.Z));
}

/// <summary>A flat (or folded) rectangle in the XY plane of <paramref name="Frame"/> facing +Z, with holes.</summary>
public sealed record PanelPrimitive(Frame Frame, float U0, float U1, float V0, float V1, PanelHole[] Holes, PanelFolds Folds = default) : Primitive
{
    /// <inheritdoc/>
    public override void Emit(MeshBuilder builder, float h, int tag) => builder.AddPanel(Frame, U0, U1, V0, V1, h, tag, Holes, Folds);

    /// <inheritdoc/>
    public override float Top => Math.Max(Frame.Point(U0, V0, 0).Z, Math.Max(Frame.Point(U1, V1, 0).Z, Math.Max(Frame.Point(U0, V1, 0).Z, Frame.Point(U1, V0, 0).Z)));
}
