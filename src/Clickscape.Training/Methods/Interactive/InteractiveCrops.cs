using Clickscape.Training.Randomness;

namespace Clickscape.Training.Methods.Interactive;

/// <summary>
/// The object crops and the training clicks of interactive 3D object segmentation, as InterObject3D makes them
/// (Kontogianni et al., §III-A "Simulating user clicks during training"; REFERENCE.md §5): per object a square x-y crop
/// of the scene (full height) centred on the midpoint of the object's box; positive clicks uniformly at random on the
/// object, negative clicks uniformly at random among the non-object points inside the object's x-y box enlarged by a
/// margin on every side.
/// </summary>
public static class InteractiveCrops
{
    /// <summary>The reference's crop side, metres.</summary>
    public const float ReferenceSide = 5f;

    /// <summary>
    /// Indices (ascending) of the points of <paramref name="positions"/> inside the <paramref name="side"/> × <paramref name="side"/>
    /// x-y square centred on the x-y box midpoint of the points where <paramref name="objectMask"/> is set.
    /// </summary>
    public static int[] Crop(ReadOnlySpan<float> positions, ReadOnlySpan<bool> objectMask, float side = ReferenceSide)
    {
        var (x0, y0, x1, y1) = Box(positions, objectMask);
        float cx = 0.5f * (x0 + x1), cy = 0.5f * (y0 + y1), h = 0.5f * side;
        var kept = new List<int>();
        for (int i = 0; i < objectMask.Length; i++)
        {
            if (MathF.Abs(positions[3 * i] - cx) <= h && MathF.Abs(positions[3 * i + 1] - cy) <= h) kept.Add(i);
        }
        return [.. kept];
    }

    /// <summary>The x-y box (min x, min y, max x, max y) of the object's points; an empty object is an error.</summary>
    public static (float X0, float Y0, float X1, float Y1) Box(ReadOnlySpan<float> positions, ReadOnlySpan<bool> objectMask)
    {
        if (positions.Length != 3 * objectMask.Length) throw new ArgumentException($"{positions.Length / 3} positions for a mask of {objectMask.Length} points");
        float x0 = float.PositiveInfinity, y0 = float.PositiveInfinity, x1 = float.NegativeInfinity, y1 = float.NegativeInfinity;
        for (int i = 0; i < objectMask.Length; i++)
        {
            if (!objectMask[i]) continue;
            x0 = MathF.Min(x0, positions[3 * i]);
            x1 = MathF.Max(x1, positions[3 * i]);
            y0 = MathF.Min(y0, positions[3 * i + 1]);
            y1 = MathF.Max(y1, positions[3 * i + 1]);
        }
        if (x0 > x1) throw new ArgumentException("the object has no points", nameof(objectMask));
        return (x0, y0, x1, y1);
    }

    /// <summary>
    /// Training clicks on the object <paramref name="objectMask"/>: k ~ U{1..<paramref name="maxPositive"/>} positive points
    /// drawn uniformly (with replacement) from the object and m ~ U{1..<paramref name="maxNegative"/>} negative points from the
    /// non-object points inside the object's x-y box enlarged by <paramref name="margin"/> × its extent per side (none when
    /// that region is empty or <paramref name="maxNegative"/> is 0).
    /// </summary>
    public static (int[] Positive, int[] Negative) TrainingClicks(ReadOnlySpan<float> positions, ReadOnlySpan<bool> objectMask, Xoshiro256 rng,
        int maxPositive = 5, int maxNegative = 15, float margin = 0.2f)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var (x0, y0, x1, y1) = Box(positions, objectMask);
        float mx = margin * (x1 - x0), my = margin * (y1 - y0);
        var inside = new List<int>();
        var around = new List<int>();
        for (int i = 0; i < objectMask.Length; i++)
        {
            if (objectMask[i]) inside.Add(i);
            else if (positions[3 * i] >= x0 - mx && positions[3 * i] <= x1 + mx && positions[3 * i + 1] >= y0 - my && positions[3 * i + 1] <= y1 + my) around.Add(i);
        }
        var positive = new int[1 + rng.NextInt(maxPositive)];
        for (int k = 0; k < positive.Length; k++) positive[k] = inside[rng.NextInt(inside.Count)];
        if (around.Count == 0 || maxNegative == 0) return (positive, []);
        var negative = new int[1 + rng.NextInt(maxNegative)];
        for (int k = 0; k < negative.Length; k++) negative[k] = around[rng.NextInt(around.Count)];
        return (positive, negative);
    }
}
