using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Optim;
using Clickscape.Training.Engine;

namespace Clickscape.Training.Methods.PointWssis;

/// <summary>
/// The optimization loop of one PointWSSIS stage (teacher, MaskRefineNet, student): seeded epoch shuffles of the
/// stage's examples into batches, Adam with linear warm-up then cosine decay, gradient clipping at norm 10, one
/// <c>{"kind":"step","stage":…}</c> line per step in the run log. It reuses the engine's optimizer, schedules and the
/// run log; what it does not share with <see cref="Trainer"/> is the scene data path (cache, voxelization, ScanNet
/// evaluation), which images do not have.
/// </summary>
public static class ImageStageTrainer
{
    /// <summary>Trains <paramref name="model"/> for <paramref name="steps"/> steps over <paramref name="examples"/>
    /// examples; <paramref name="loss"/> turns a batch of example indices (and the stage's random stream, for
    /// augmentation) into the loss terms, first the total. Returns the total of every step.</summary>
    public static IReadOnlyList<float> Train(string stage, Module model, int examples, int steps, int batchSize, float learningRate, long seed,
        Func<int[], Random, IReadOnlyList<(string Name, Tensor Value)>> loss, RunLog? log, Action<string> message)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(message);
        if (examples < 1) throw new ArgumentException($"{stage}: nothing to train on (0 examples)");
        using var optimizer = new Adam(model.Parameters(), learningRate);
        var schedule = new WarmupSchedule(new CosineSchedule(learningRate, steps, learningRate * 0.01f), Math.Min(50, steps / 10));
        var order = new Random(unchecked((int)seed * 7919 + stage.Length));
        var augment = new Random(unchecked((int)seed * 104729 + stage[0]));
        var queue = new Queue<int>();
        var totals = new List<float>(steps);
        var clock = Stopwatch.StartNew();
        model.Train();
        for (int step = 0; step < steps; step++)
        {
            var batch = new int[Math.Min(batchSize, examples)];
            for (int i = 0; i < batch.Length; i++)
            {
                if (queue.Count == 0)
                    foreach (int k in Enumerable.Range(0, examples).OrderBy(_ => order.Next())) queue.Enqueue(k);
                batch[i] = queue.Dequeue();
            }
            float lr = schedule.At(step);
            optimizer.LearningRate = lr;
            List<(string Name, double Value)> values;
            using (TensorScope.Begin())
            {
                optimizer.ZeroGrad();
                var terms = loss(batch, augment);
                terms[0].Value.Backward();
                GradientClipping.ClipNorm(optimizer.Parameters, 10f);
                optimizer.Step();
                values = terms.Select(t => (t.Name, (double)t.Value.Item())).ToList();
            }
            if (!double.IsFinite(values[0].Value))
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{stage}: training diverged (loss {values[0].Value} at step {step + 1}); lower the learning rate"));
            totals.Add((float)values[0].Value);
            var entry = new JsonObject { ["kind"] = "step", ["stage"] = stage, ["step"] = step + 1, ["lr"] = RunLog.Number(lr) };
            foreach (var (name, value) in values) entry[name] = RunLog.Number(value);
            entry["time_s"] = RunLog.Number(clock.Elapsed.TotalSeconds);
            log?.Write(entry);
            if ((step + 1) % 50 == 0 || step + 1 == steps)
                message(string.Create(CultureInfo.InvariantCulture,
                    $"{stage}: step {step + 1}/{steps} {string.Join(" ", values.Select(v => $"{v.Name} {v.Value:F4}"))} ({clock.Elapsed.TotalSeconds:F0} s)"));
        }
        model.Eval();
        return totals;
    }
}
