using Clickscape.Data.Classes;
using Clickscape.Data.Synthetic.Scenes;

namespace Clickscape.Benchmarks.Models.PointGroup;

/// <summary>
/// A scan shaped like <see cref="Clickscape.Models.PointGroup.PgGrouping"/>'s input at predict time: a generated
/// large room (scene 0 of seed 20260 at <see cref="SceneSize.Large"/>; with its first vertices repeated with a
/// 1 mm shift up to exactly <c>points</c>) and the outputs of a good network faked from its ground truth —
/// probabilities a softmax over the 20 ScanNet classes with the true class's logit 4 above N(0, 1) noise, and
/// offsets to the instance centroid plus N(0, σ²) noise per axis.
/// </summary>
internal sealed class PgGroupingBenchScan
{
    public float[] Positions { get; private init; } = [];
    public float[] Offsets { get; private init; } = [];
    public float[] Probabilities { get; private init; } = [];
    public int Count => Positions.Length / 3;
    public const int Classes = 20;

    /// <summary>Wall and floor: class indices 0 and 1 of the 20 ScanNet classes.</summary>
    public static readonly IReadOnlySet<int> Stuff = new HashSet<int> { 0, 1 };

    public static PgGroupingBenchScan Create(int points, float offsetNoise, int seed = 1)
    {
        var scene = SceneGenerator.Generate(20260, 0, SceneSize.Large).Scene;
        int source = scene.PointCount;
        var instanceIds = scene.InstanceIds!;
        var semantic = scene.SemanticLabels!;
        var rng = new Random(seed);
        var classIndex = new Dictionary<int, int>();
        for (int c = 0; c < ScanNetBenchmark.Semantic20Ids.Count; c++)
            classIndex[ScanNetBenchmark.Semantic20Ids[c]] = c;

        // Instance centroids of the source scene.
        int instances = instanceIds.Max() + 1;
        var sum = new double[3 * instances];
        var count = new int[instances];
        for (int i = 0; i < source; i++)
        {
            int k = instanceIds[i];
            count[k]++;
            for (int a = 0; a < 3; a++) sum[3 * k + a] += scene.Positions[3 * i + a];
        }

        var positions = new float[3 * points];
        var offsets = new float[3 * points];
        var probabilities = new float[points * Classes];
        Span<float> logits = stackalloc float[Classes];
        for (int i = 0; i < points; i++)
        {
            int s = i % source;
            float shift = i < source ? 0f : 0.001f * (i / source);
            int k = instanceIds[s];
            for (int a = 0; a < 3; a++)
            {
                positions[3 * i + a] = scene.Positions[3 * s + a] + shift;
                float centre = (float)(sum[3 * k + a] / count[k]) + shift;
                offsets[3 * i + a] = k == 0 ? 0f : centre - positions[3 * i + a] + offsetNoise * Gaussian(rng);
            }
            int truth = classIndex.GetValueOrDefault(semantic[s], Classes - 1);
            float max = float.MinValue;
            for (int c = 0; c < Classes; c++)
            {
                logits[c] = Gaussian(rng) + (c == truth ? 4f : 0f);
                max = Math.Max(max, logits[c]);
            }
            float z = 0;
            for (int c = 0; c < Classes; c++) z += logits[c] = MathF.Exp(logits[c] - max);
            for (int c = 0; c < Classes; c++) probabilities[i * Classes + c] = logits[c] / z;
        }
        return new PgGroupingBenchScan { Positions = positions, Offsets = offsets, Probabilities = probabilities };
    }

    private static float Gaussian(Random rng) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
}
