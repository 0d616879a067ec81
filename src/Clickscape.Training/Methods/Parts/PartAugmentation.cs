using Clickscape.Training.Data;
using Clickscape.Training.Randomness;

namespace Clickscape.Training.Methods.Parts;

/// <summary>
/// The training augmentation of Sun et al. (§4.1.1; REFERENCE.md §6): a uniform scale in [0.75, 1.25], a rotation
/// whose pitch, yaw and roll are each below 10°, and a translation along each axis in [−0.125, 0.125]:
/// x' = R·(s·x) + t with R = Rz(γ)·Ry(β)·Rx(α). Every point is kept (shapes are 10 000 points); the features are
/// r, g, b (0: PartNet samples carry none) and the augmented x, y, z.
/// </summary>
public static class PartAugmentation
{
    /// <summary>Scale range.</summary>
    public const double MinScale = 0.75, MaxScale = 1.25;

    /// <summary>Largest rotation angle per axis, radians (10°).</summary>
    public const double MaxAngle = 10 * Math.PI / 180;

    /// <summary>Largest translation per axis.</summary>
    public const double MaxTranslation = 0.125;

    /// <summary>The augmented sample of <paramref name="scene"/> (unchanged when <paramref name="enabled"/> is false).</summary>
    public static TrainingSample Apply(PreparedScene scene, bool enabled, Xoshiro256 rng)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(rng);
        if (!enabled) return TrainingSample.Plain(scene);
        double s = MinScale + (MaxScale - MinScale) * rng.NextDouble();
        double a = Angle(rng), b = Angle(rng), g = Angle(rng);
        var t = new double[3];
        for (int c = 0; c < 3; c++) t[c] = MaxTranslation * (2 * rng.NextDouble() - 1);
        var r = Rotation(a, b, g);
        int n = scene.PointCount;
        var p = scene.Positions;
        var q = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            double x = s * p[3 * i], y = s * p[3 * i + 1], z = s * p[3 * i + 2];
            for (int c = 0; c < 3; c++) q[3 * i + c] = (float)(r[3 * c] * x + r[3 * c + 1] * y + r[3 * c + 2] * z + t[c]);
        }
        var features = new float[6 * n];
        for (int i = 0; i < n; i++)
        {
            scene.Colors.AsSpan(3 * i, 3).CopyTo(features.AsSpan(6 * i, 3));
            q.AsSpan(3 * i, 3).CopyTo(features.AsSpan(6 * i + 3, 3));
        }
        return new TrainingSample(scene.Name, Enumerable.Range(0, n).ToArray(), q, features, q, scene.Semantic, scene.Instance);
    }

    private static double Angle(Xoshiro256 rng) => MaxAngle * (2 * rng.NextDouble() - 1);

    /// <summary>Rz(γ)·Ry(β)·Rx(α), row-major 3 × 3.</summary>
    internal static double[] Rotation(double alpha, double beta, double gamma)
    {
        double ca = Math.Cos(alpha), sa = Math.Sin(alpha), cb = Math.Cos(beta), sb = Math.Sin(beta), cg = Math.Cos(gamma), sg = Math.Sin(gamma);
        return
        [
            cg * cb, cg * sb * sa - sg * ca, cg * sb * ca + sg * sa,
            sg * cb, sg * sb * sa + cg * ca, sg * sb * ca - cg * sa,
            -sb, cb * sa, cb * ca,
        ];
    }
}
