using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.IO;
using Clickscape.Data.Synthetic.Parts;
using Clickscape.Models.PartFusion;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Optim;
using Clickscape.Tensors.Threading;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Methods.Parts;
using Clickscape.Training.Randomness;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape bench parts [--variant V] [--threads N] [--steps K] [--json F]</c>: the speeds of the part fusion method
/// (BENCHMARKS.md): the clustering of one 10 000-point shape (Eq. 7 + mean-shift per class, bandwidth 0.1; the issue's
/// bar is 100 ms) on outputs that put every point at its fine-level instance centre, a training step per shape (batch 8,
/// the default <c>parts</c> network and SGD) and inference per shape (network + clustering of every level), on
/// generated hard shapes.
/// </summary>
internal static class BenchPartsCommand
{
    public static Command Create()
    {
        var variant = new Option<string>("--variant") { Description = "Network variant (default fusion-cross).", DefaultValueFactory = _ => "fusion-cross" };
        var threads = new ThreadsOption();
        var steps = new Option<int>("--steps") { Description = "Timed repetitions after one warm-up.", DefaultValueFactory = _ => 5 };
        var json = new Option<string?>("--json") { Description = "Also write the JSON result to this file." };
        var command = new Command("parts", "Time clustering, a training step and inference of the part fusion method per 10 000-point shape.") { variant, threads, steps, json };
        CommandAction.Set(command, (parse, output) =>
        {
            int t = threads.Count(parse), k = parse.GetValue(steps);
            if (k < 1) throw new UsageException($"--steps {k}: expected at least one timed repetition");
            if (PartFusionOptions.Parse(parse.GetValue(variant)!) is null)
                throw new UsageException($"--variant {parse.GetValue(variant)}: expected one of {string.Join(", ", PartFusionOptions.VariantNames)}");
            using var computeThreads = ComputeThreads.Use(t);
            var text = Run(parse.GetValue(variant)!, t, k).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            output.WriteLine(text);
            if (parse.GetValue(json) is { } path) AtomicFile.WriteAllText(path, text + "\n");
            return 0;
        });
        return command;
    }

    private static JsonObject Run(string variant, int threads, int steps)
    {
        var dir = Directory.CreateTempSubdirectory("clickscape-bench-parts-").FullName;
        try
        {
            const int batch = 8;
            PartShapeGenerator.WriteDataset(dir, batch, 11, hard: true);
            var sources = SceneDataset.Open(dir).Scenes;
            var shapes = sources.Select(s => PartNetShape.Load(s.Path)).ToList();
            var prepared = sources.Select(s => PreparedScene.Prepare(s, null, PartsMethod.VoxelSize, requireLabels: false)).ToList();

            // clustering: every point at its fine-level instance centre, region offsets to the class's region centre
            var shape = shapes[0];
            var scene = prepared[0];
            var classes = PartLabels.Vocabulary(shapes, PartNetLevels.Default).Select(c => (IReadOnlyList<string>)c).ToList();
            var labels = PartLabels.Of(shape, classes);
            var fine = labels.Class[^1];
            int c = classes[^1].Count, n = scene.PointCount;
            var probabilities = new float[(long)n * c];
            for (int i = 0; i < n; i++)
            {
                for (int m = 0; m < c; m++) probabilities[i * c + m] = 0.1f / c;
                probabilities[i * c + fine[i]] += 0.9f;
            }
            var (oi, os, _) = PartTargets.Compute(scene.Positions, fine, labels.Instance[^1]);
            var options = new PartClusteringOptions();
            int instances = PartInstanceClustering.Cluster(scene.Positions, probabilities, c, oi, os, options, threads).Count;
            var clock = Stopwatch.StartNew();
            for (int r = 0; r < steps; r++) PartInstanceClustering.Cluster(scene.Positions, probabilities, c, oi, os, options, threads);
            double clusterMs = clock.Elapsed.TotalMilliseconds / steps;

            // a training step of batch 8 and inference per shape
            var config = TrainConfig.FromJson(new PartsMethod().Configure(ConfigLoader.LoadPreset("cpu")))
                .With("method", "parts").With("model.variant", variant)
                .With("model.classes", new JsonArray(classes.Select(l => (JsonNode)new JsonArray(l.Select(p => (JsonNode)JsonValue.Create(p)!).ToArray())).ToArray()));
            var method = new PartsMethod();
            using var model = (PartFusionNet)method.CreateModel(config, 1);
            var loss = new PartLoss(new PartsLossOptions(), sources.Zip(shapes).ToDictionary(p => p.First.Name, p => PartLabels.Of(p.Second, classes)), classes);
            var optimizer = new Sgd([new ParameterGroup(model.Parameters())], 0.1f, 0.9f, 1e-4f, false);
            var samples = prepared.Select((p, j) => PartAugmentation.Apply(p, true, Xoshiro256.ForStream(1, 1, (ulong)j))).ToList();
            var trainingBatch = BatchCollator.Collate(samples, PartsMethod.VoxelSize, []);
            double Step()
            {
                var t0 = Stopwatch.GetTimestamp();
                using (TensorScope.Begin())
                {
                    optimizer.ZeroGrad();
                    loss.Compute(model, trainingBatch).Total.Backward();
                    optimizer.Step();
                }
                return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
            Step();
            double stepMs = Enumerable.Range(0, steps).Select(_ => Step()).Average();
            var clustering = PartsMethod.ClusteringOptions(config);
            PartsInference.Predict(model, prepared[0], clustering);
            clock.Restart();
            for (int r = 0; r < steps; r++) PartsInference.Predict(model, prepared[r % batch], clustering);
            double inferMs = clock.Elapsed.TotalMilliseconds / steps;
            return new JsonObject
            {
                ["benchmark"] = "parts",
                ["variant"] = variant,
                ["threads"] = threads,
                ["points_per_shape"] = n,
                ["voxels_per_batch"] = trainingBatch.VoxelCount,
                ["parameters"] = model.ParameterCount(),
                ["cluster_ms_per_shape"] = Math.Round(clusterMs, 2),
                ["cluster_instances"] = instances,
                ["train_step_ms_batch8"] = Math.Round(stepMs, 1),
                ["train_ms_per_shape"] = Math.Round(stepMs / batch, 1),
                ["inference_ms_per_shape"] = Math.Round(inferMs, 1),
                ["machine"] = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}"),
            };
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
