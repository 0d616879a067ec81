using System.CommandLine;
using System.Globalization;
using Clickscape.Training.Configs;
using Clickscape.Training.Methods.ClickSeg;
using Clickscape.Training.Methods.SegGroup;
using Clickscape.Training.Prediction;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape pseudo-label RUN --data DIR|SCENE --clicks DIR [--split train] --out OUT [--layers L] [--every-layer] [--segments DIR] [--threads N] [--shard i/n]</c>: dense pseudo
/// labels for the clicked scans from a run of <c>weak</c>, <c>clickseg-base</c> or <c>clickseg</c>
/// (<see cref="ClickSegPseudoLabeler"/>) or of <c>seggroup</c> (<see cref="SegGroupPseudoLabeler"/>; <c>--layers L</c>
/// writes its labels after L grouping layers, 0 = the seg-level labels, for the layer-wise table), in <c>predict</c>'s layout (<c>OUT/semantic/</c>, <c>OUT/instance/</c> + masks),
/// which <c>train --method full --labels OUT</c> reads.
/// </summary>
internal static class PseudoLabelCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder of weak, clickseg-base, clickseg or seggroup (checkpoints/best or last) or a checkpoint file." };
        var data = new Option<string>("--data") { Description = "Dataset folder, scene folder or scene file.", Required = true };
        var clicks = new Option<string>("--clicks") { Description = "Click sets, DIR/<scene>.json (a run's own are in RUN/clicks).", Required = true };
        var split = new Option<string>("--split") { Description = "Split to label ('all' = every scene; ignored for a single scene).", DefaultValueFactory = _ => "train" };
        var outDir = new Option<string>("--out") { Description = "Output folder: instance/ and semantic/.", Required = true };
        var threads = new ThreadsOption();
        var segments = new Option<string?>("--segments") { Description = "Folder of <scene>.<k>.segs.json over-segmentations the clicks are expanded over (default: beside each scene; ScanNet meshes without one use the Segmentator)." };
        var everyLayer = new Option<bool>("--every-layer") { Description = "seggroup: also write the labels after 0, 1, … layers to OUT/layers/<l>/ in the same pass." };
        var layers = new Option<int?>("--layers") { Description = "seggroup: write the labels after this many grouping layers (0 = seg-level labels; unlabelled points stay 0) instead of the final ones." };
        var shard = new ShardOption();
        var columns = new ColumnsOption();
        var loss = new JsonObjectOption("--loss", "JSON object (inline, or a file) merged over the run's loss section for labelling, e.g. '{\"assignment\": \"nearest\"}' or '{\"spatial_term\": false}' (the weights stay the run's).");
        var command = new Command("pseudo-label", "Dense pseudo labels for clicked scans from a trained click method (ScanNet formats, for train --labels).")
        {
            run, data, clicks, split, outDir, threads, layers, everyLayer, segments, shard, columns, loss,
        };
        CommandAction.Set(command, (parse, output) =>
        {
            using var computeThreads = threads.Use(parse);
            try
            {
                var part = shard.Get(parse);
                using var predictor = Predictor.Open(parse.GetValue(run)!, loss: loss.Get(parse));
                IReadOnlyList<string> names;
                Action<string> skip = s => output.WriteLine($"{s}: no click set, skipped");
                Action<string> done = s => output.WriteLine($"{s}: complete, skipped");
                if (predictor.Method is SegGroupMethod)
                {
                    names = SegGroupPseudoLabeler.LabelDataset(predictor, parse.GetValue(data)!, parse.GetValue(clicks)!, parse.GetValue(split), parse.GetValue(outDir)!, parse.GetValue(layers),
                        (p, time) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Scene}: {p.Semantic.Length} points, {p.Instances.Count} instances, {time.TotalSeconds:F2} s")),
                        skip, part, done, parse.GetValue(everyLayer), parse.GetValue(segments), columns.Text(parse));
                }
                else
                {
                    if (parse.GetValue(layers) is not null || parse.GetValue(everyLayer)) throw new UsageException($"--layers, --every-layer: only seggroup runs have grouping layers (the run trains '{predictor.Method.Name}')");
                    names = ClickSegPseudoLabeler.LabelDataset(predictor, parse.GetValue(data)!, parse.GetValue(clicks)!, parse.GetValue(split), parse.GetValue(outDir)!,
                        p => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Scene}: {p.Semantic.Length} points, {p.Instances.Count} instances")),
                        skip, part, done, columns.Text(parse), parse.GetValue(segments));
                }
                if (names.Count == 0 && part is null) throw new UsageException($"--clicks {parse.GetValue(clicks)}: no click set for any scene of the split");
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
}
