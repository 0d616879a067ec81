using Clickscape.Data.Classes;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Benchmarks.Evaluation;

/// <summary>Generated scenes: ~40 GT instances of random benchmark classes, predictions that perturb them.</summary>
public static class SyntheticInstanceScenes
{
    public static IReadOnlyList<InstanceScene> Generate(int sceneCount, int vertexCount, int predictionsPerScene, int seed)
    {
        var scenes = new InstanceScene[sceneCount];
        Parallel.For(0, sceneCount, s =>
        {
            var rng = new Random(seed + s);
            var ids = ScanNetBenchmark.Instance18Ids;
            var gt = new int[vertexCount];
            var instances = new List<(int First, int Count, int Label)>();
            var v = 0;
            var next = 1;
            while (v < vertexCount)
            {
                var size = Math.Min(vertexCount - v, 500 + rng.Next(6000));
                var roll = rng.Next(10);
                if (roll < 3)
                {
                    // Wall, floor or unannotated: void for instance evaluation.
                    Array.Fill(gt, roll == 0 ? 0 : (roll * 1000) + next++, v, size);
                }
                else
                {
                    var label = ids[rng.Next(ids.Count)];
                    Array.Fill(gt, (label * 1000) + next++, v, size);
                    instances.Add((v, size, label));
                }
                v += size;
            }
            var preds = new List<PredictedInstance>(predictionsPerScene);
            for (var p = 0; p < predictionsPerScene; p++)
            {
                var (first, count, label) = instances[rng.Next(instances.Count)];
                var start = Math.Clamp(first + rng.Next(-count / 4, count / 4), 0, vertexCount - 1);
                var length = Math.Clamp(count + rng.Next(-count / 3, count / 3), 1, vertexCount - start);
                if (rng.Next(6) == 0)
                    label = ids[rng.Next(ids.Count)];
                preds.Add(new PredictedInstance(Enumerable.Range(start, length).ToArray(), label, rng.NextDouble()));
            }
            scenes[s] = new InstanceScene($"scene{s:0000}_00", gt, preds);
        });
        return scenes;
    }
}
