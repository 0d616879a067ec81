namespace Clickscape.Geometry.Segmentation;

/// <summary>The argument checks every point-cloud over-segmentation makes at its public boundary.</summary>
internal static class SegmentationInput
{
    /// <summary>Checks that positions, colours and normals describe the same points; returns the point count.</summary>
    public static int Validate(ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors, float[]? normals)
    {
        if (positions.Length % 3 != 0)
            throw new ArgumentException($"positions hold {positions.Length} floats, expected a multiple of 3 (x y z per point)", nameof(positions));
        int n = positions.Length / 3;
        if (!colors.IsEmpty && colors.Length != 3 * n)
            throw new ArgumentException($"colors hold {colors.Length} bytes for {n} points, expected 3 per point", nameof(colors));
        if (normals is not null && normals.Length != 3 * n)
            throw new ArgumentException($"normals hold {normals.Length} floats for {n} points, expected 3 per point", nameof(normals));
        return n;
    }
}
