using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Clickscape.Training.Configs;
using Clickscape.Training.Methods.PointWssis;
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
        var threads = new ThreadsOption();
        var shard = new ShardOption();
        var columns = new ColumnsOption();
        var inference = new JsonObjectOption("--inference", "JSON object (inline, or a file) merged over the run's inference section, e.g. '{\"bandwidth\": 0.4}' (clickseg), '{\"lambda\": 0}' (parts) or '{\"grouping\": {\"radius\": 0.05}}' (full).");
        var model = new Option<string>("--model") { Description = "PointWSSIS runs: teacher | student | student-rough (writes OUT as a COCO results JSON).", DefaultValueFactory = _ => "student" };
        var command = new Command("predict", "Label scenes with a trained run (ScanNet instance and semantic formats; parts: level-k folders), or images with a PointWSSIS run (COCO results JSON).") { run, data, split, outDir, threads, shard, columns, inference, model };
        CommandAction.Set(command, (parse, output) =>
        {
            using var computeThreads = threads.Use(parse);
            try
            {
                if (PointWssisPredictor.IsRun(parse.GetValue(run)!))
                    return PredictImages(parse.GetValue(run)!, parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(split)!, parse.GetValue(outDir)!, output);
                using var predictor = Predictor.Open(parse.GetValue(run)!, inference: inference.Get(parse));
                var names = predictor.PredictDataset(parse.GetValue(data)!, parse.GetValue(split), parse.GetValue(outDir)!, p =>
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Scene}: {p.Semantic.Length} points, {p.Instances.Count} instances")),
                    shard.Get(parse), name => output.WriteLine($"{name}: complete, skipped"), columns.Text(parse));
                output.WriteLine($"{names.Count} scenes → {Path.GetFullPath(parse.GetValue(outDir)!)}");
                return 0;
            }
            catch (ConfigException e)
            {
                throw new UsageException(e.Message, e);
            }
        });
        return command;
    }

    /// <summary>PointWSSIS: COCO results JSON of the split's images.</summary>
    private static int PredictImages(string run, string model, string data, string split, string outFile, TextWriter output)
    {
        int images = 0;
        var results = PointWssisPredictor.Predict(run, model, data, split, (_, _) => images++);
        PointWssisPredictor.Write(outFile, results);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{images} images, {results.Count} instances ({model}) → {Path.GetFullPath(outFile)}"));
        return 0;
    }
}
