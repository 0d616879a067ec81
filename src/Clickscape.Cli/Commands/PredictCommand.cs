using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Clickscape.Tensors.Threading;
using Clickscape.Training.Configs;
using Clickscape.Training.Prediction;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape predict RUN --data DIR [--split val] --out OUT [--threads N] [--shard i/n]</c>: labels every scene of a split (or a
/// single scene folder / file) with the run's best checkpoint (else its last), writing <c>OUT/instance/</c>
/// (<c>&lt;scene&gt;.txt</c> + mask files, ScanNet format) and <c>OUT/semantic/</c> (<c>&lt;scene&gt;.txt</c>, one nyu40 id
/// per point), the formats <c>evaluate</c> and <c>train --labels</c> read.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (checkpoints/best or last) or a checkpoint file." };
        var data = new Option<string>("--data") { Description = "Dataset folder, scene folder or scene file.", Required = true };
        var split = new Option<string>("--split") { Description = "Split to label ('all' = every scene; ignored for a single scene).", DefaultValueFactory = _ => "val" };
        var outDir = new Option<string>("--out") { Description = "Output folder: instance/ and semantic/.", Required = true };
        var threads = new Option<int?>("--threads") { Description = "Compute threads." };
        var shard = new ShardOption();
        var inference = new Option<string?>("--inference") { Description = "JSON object merged over the run's inference section, e.g. '{\"lambda\": 0}' (parts) or '{\"grouping\": {\"radius\": 0.05}}' (full)." };
        var command = new Command("predict", "Label scenes with a trained run (ScanNet instance and semantic formats; parts: level-k folders).") { run, data, split, outDir, threads, shard, inference };
        CommandAction.Set(command, (parse, output) =>
        {
            int previousThreads = ComputeThreads.Count;
            if (parse.GetValue(threads) is int t)
            {
                if (t < 1) throw new UsageException($"--threads {t}: expected ≥ 1");
                ComputeThreads.Count = t;
            }
            try
            {
                using var predictor = Predictor.Open(parse.GetValue(run)!);
                if (parse.GetValue(inference) is { } text)
                {
                    JsonObject overrides;
                    try
                    {
                        overrides = JsonNode.Parse(text) as JsonObject ?? throw new UsageException($"--inference {text}: expected a JSON object");
                    }
                    catch (System.Text.Json.JsonException e)
                    {
                        throw new UsageException($"--inference {text}: not valid JSON ({e.Message.Split('\n')[0]})", e);
                    }
                    predictor.OverrideInference(overrides);
                }
                var names = predictor.PredictDataset(parse.GetValue(data)!, parse.GetValue(split), parse.GetValue(outDir)!, p =>
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Scene}: {p.Semantic.Length} points, {p.Instances.Count} instances")),
                    shard.Get(parse), name => output.WriteLine($"{name}: complete, skipped"));
                output.WriteLine($"{names.Count} scenes → {Path.GetFullPath(parse.GetValue(outDir)!)}");
                return 0;
            }
            catch (ConfigException e)
            {
                throw new UsageException(e.Message, e);
            }
            finally
            {
                ComputeThreads.Count = previousThreads;
            }
        });
        return command;
    }
}
