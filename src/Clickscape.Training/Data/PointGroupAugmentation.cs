using Clickscape.Training.Configs;
using Clickscape.Training.Randomness;

namespace Clickscape.Training.Data;

/// <summary>
/// PointGroup's training augmentation [PG:data/scannetv2_inst.py, <c>trainMerge</c>] (REFERENCE.md §2), in its order:
/// <list type="number">
/// <item>x' = x·M with M = I + N(0, σ²) (jitter), the first column negated with probability ½ (x-flip), then a
/// rotation about z by θ ~ U[0, 2π); an optional isotropic scale — these give the undistorted coordinates that
/// the input xyz features and the offset targets use;</item>
/// <item>elastic distortions (<see cref="ElasticDistortion"/>) of the coordinates that are voxelized;</item>
/// <item>a crop to at most the point budget: an axis-aligned x-y window, shrunk by 32 voxels per try (at most a tenth of
/// its side, so small scenes shrink gradually), placed
/// uniformly at random inside the room, until it holds few enough points;</item>
/// <item>colour noise: one N(0, σ²) shift per channel for the whole scene.</item>
/// </list>
/// Every draw comes from the given <see cref="Xoshiro256"/>, in a fixed order, so a sample is a pure function of the
/// scene, the configuration and the generator's state.
/// </summary>
public static class PointGroupAugmentation
{
    /// <summary>Augments <paramref name="scene"/> and crops it to <paramref name="maxPoints"/>.</summary>
    public static TrainingSample Apply(PreparedScene scene, AugmentationConfig config, float voxelSize, int maxPoints, Xoshiro256 rng)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(rng);
        int n = scene.PointCount;
        var m = new double[9] { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
        if (config.Enabled)
        {
            if (config.Jitter > 0)
                for (int i = 0; i < 9; i++) m[i] += config.Jitter * rng.NextNormal();
            if (config.FlipX && rng.NextBool())
                for (int r = 0; r < 3; r++) m[3 * r] = -m[3 * r];
            if (config.RotateZ)
            {
                double theta = rng.NextDouble() * 2 * Math.PI, c = Math.Cos(theta), s = Math.Sin(theta);
                // M ← M · Rz with Rz = [[c, s, 0], [−s, c, 0], [0, 0, 1]] (PointGroup's row-vector convention)
                var rz = new double[9] { c, s, 0, -s, c, 0, 0, 0, 1 };
                m = Multiply(m, rz);
            }
            double scale = config.Scale[0] == config.Scale[1] ? config.Scale[0] : config.Scale[0] + (config.Scale[1] - config.Scale[0]) * rng.NextDouble();
            for (int i = 0; i < 9; i++) m[i] *= scale;
        }
        var undistorted = new float[3 * n];
        var p = scene.Positions;
        for (int i = 0; i < n; i++)
        {
            double x = p[3 * i], y = p[3 * i + 1], z = p[3 * i + 2];
            undistorted[3 * i] = (float)(x * m[0] + y * m[3] + z * m[6]);
            undistorted[3 * i + 1] = (float)(x * m[1] + y * m[4] + z * m[7]);
            undistorted[3 * i + 2] = (float)(x * m[2] + y * m[5] + z * m[8]);
        }
        var distorted = (float[])undistorted.Clone();
        if (config.Enabled)
            foreach (var e in config.Elastic) ElasticDistortion.Apply(distorted, e[0], e[1], rng);

        var keep = Crop(distorted, voxelSize, maxPoints, rng);

        var shift = new float[3];
        if (config.Enabled && config.ColorNoise > 0)
            for (int c = 0; c < 3; c++) shift[c] = (float)(config.ColorNoise * rng.NextNormal());
        int k = keep.Length;
        var voxelPositions = new float[3 * k];
        var offsetPositions = new float[3 * k];
        var features = new float[6 * k];
        var semantic = new int[k];
        var instance = new int[k];
        for (int j = 0; j < k; j++)
        {
            int i = keep[j];
            for (int c = 0; c < 3; c++)
            {
                voxelPositions[3 * j + c] = distorted[3 * i + c];
                offsetPositions[3 * j + c] = undistorted[3 * i + c];
                features[6 * j + c] = scene.Colors[3 * i + c] + shift[c];
                features[6 * j + 3 + c] = undistorted[3 * i + c];
            }
            semantic[j] = scene.Semantic[i];
            instance[j] = scene.Instance[i];
        }
        return new TrainingSample(scene.Name, keep, voxelPositions, features, offsetPositions, semantic, instance);
    }

    /// <summary>PointGroup's crop: the indices of the points inside a random x-y window that holds ≤ <paramref name="maxPoints"/> points.</summary>
    internal static int[] Crop(float[] positions, float voxelSize, int maxPoints, Xoshiro256 rng)
    {
        int n = positions.Length / 3;
        if (n <= maxPoints) return Enumerable.Range(0, n).ToArray();
        float minX = float.PositiveInfinity, minY = float.PositiveInfinity, maxX = float.NegativeInfinity, maxY = float.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            minX = MathF.Min(minX, positions[3 * i]); maxX = MathF.Max(maxX, positions[3 * i]);
            minY = MathF.Min(minY, positions[3 * i + 1]); maxY = MathF.Max(maxY, positions[3 * i + 1]);
        }
        float side = MathF.Max(maxX - minX, maxY - minY);
        var kept = new List<int>(maxPoints);
        int emptyTries = 0;
        while (true)
        {
            // an empty window (a placement in a hole of the room) is re-placed at the same size, a few times
            if (kept.Count > 0 || emptyTries == 0 || emptyTries > 8) side = MathF.Max(side - MathF.Min(32 * voxelSize, 0.1f * side), voxelSize);
            float x0 = minX + MathF.Max(0, maxX - minX - side) * (float)rng.NextDouble();
            float y0 = minY + MathF.Max(0, maxY - minY - side) * (float)rng.NextDouble();
            kept.Clear();
            for (int i = 0; i < n; i++)
            {
                float x = positions[3 * i] - x0, y = positions[3 * i + 1] - y0;
                if (x >= 0 && x < side && y >= 0 && y < side) kept.Add(i);
            }
            if (kept.Count <= maxPoints && kept.Count > 0) return kept.ToArray();
            emptyTries = kept.Count == 0 ? emptyTries + 1 : 0;
            if (side <= voxelSize && (kept.Count > 0 || emptyTries > 8))
            {
                // a window of one voxel still holds too many points (a degenerate, dense scan): keep the first ones
                return kept.Take(maxPoints).ToArray();
            }
        }
    }

    private static double[] Multiply(double[] a, double[] b)
    {
        var c = new double[9];
        for (int r = 0; r < 3; r++)
            for (int col = 0; col < 3; col++)
                c[3 * r + col] = a[3 * r] * b[col] + a[3 * r + 1] * b[3 + col] + a[3 * r + 2] * b[6 + col];
        return c;
    }
}
