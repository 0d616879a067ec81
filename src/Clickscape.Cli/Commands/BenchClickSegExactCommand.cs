using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clickscape.Data;
using Clickscape.Data.Classes;
using Clickscape.Data.Clicks;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Evaluation.ScanNet;
using Clickscape.Geometry.Scenes;
using Clickscape.Models.ClickSeg;
using Clickscape.Tensors.Threading;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Methods;
using Clickscape.Training.Methods.ClickSeg;
using Clickscape.Training.Prediction;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape bench clickseg-exact RUN --scene SCENE [--max-points N] [--clicks FILE] [--threads T] [--json F]</c>: what the
/// tractable forms of ClickSeg's three N² pieces cost against the formulas over all point pairs
/// (<see cref="ClickSegExactForms"/>), on a crop of a labelled scene small enough for the exact forms: the
/// <c>--max-points</c> points nearest the centre of the scene's bounding box in x, y by max(|dx|, |dy|) (a square column
/// of full height, spatially contiguous so voxels keep the scene's density; ties by point order; the whole scene when it
/// is smaller). The network runs once on the crop's voxels; then per piece both forms on its outputs:
/// <list type="number">
/// <item>Eq. 6 fusion: over all N points vs within the class-agnostic mean-shift clusters of voxels
/// (<see cref="ClickSegInference.FuseInClusters"/>). Argmax agreement per point, mIoU of each.</item>
/// <item>Instance grouping: mean-shift with every point a seed vs the sampled voxel mean-shift
/// (<see cref="ClickSegInference.InstanceClusters"/>), both from the same fused classes (ours, the production
/// fusion), so only the grouping differs. AP50 and instances of each.</item>
/// <item>PSEUDO_GEN: seeded k-means under Eq. 5 over the points vs over the voxels (<see cref="ClickPseudoLabels"/>, as
/// <see cref="ClickSegPseudoLabeler"/> labels), with the clicks of <c>--clicks</c> (those inside the crop) or 1t1c seed 1
/// simulated on the crop's ground truth. Point agreement of the instances, AP50 and mIoU of each.</item>
/// </list>
/// Times exclude the network; ours is the median of 3 after a warm-up, the exact form one run.
/// </summary>
internal static class BenchClickSegExactCommand
{
    /// <summary>One piece's numbers, exact form vs ours (percent; null where the piece has no such number).</summary>
    internal sealed record Row(string Piece, double? Agreement, double? Ap50Exact, double? Ap50Ours, double? MiouExact, double? MiouOurs,
        int? InstancesExact, int? InstancesOurs, double ExactMs, double OursMs);

    public static Command Create()
    {
        var run = new Argument<string>("RUN") { Description = "A clickseg run folder (best, else last checkpoint) or checkpoint file." };
        var scene = new Option<string>("--scene") { Description = "A labelled scene file or folder (semantic and instance ground truth).", Required = true };
        var maxPoints = new Option<int>("--max-points") { Description = "Points of the crop the exact N² forms run on.", DefaultValueFactory = _ => 6000 };
        var clicks = new Option<string?>("--clicks") { Description = "The scene's click set (clickscape.clicks/1; default: 1t1c, seed 1, simulated on the crop's ground truth)." };
        var threads = new ThreadsOption();
        var json = new Option<string?>("--json") { Description = "Also write the JSON result to this file." };
        var command = new Command("clickseg-exact", "Measure ClickSeg's tractable Eq. 6 fusion, mean-shift and PSEUDO_GEN against the exact N² forms on a small crop.")
        {
            run, scene, maxPoints, clicks, threads, json,
        };
        CommandAction.Set(command, (parse, output) =>
        {
            int n = parse.GetValue(maxPoints), t = threads.Count(parse);
            if (n < 1) throw new UsageException($"--max-points {n}: expected at least 1 point");
            using var computeThreads = ComputeThreads.Use(t);
            JsonObject result;
            try
            {
                result = Measure(parse.GetValue(run)!, parse.GetValue(scene)!, n, parse.GetValue(clicks), t);
            }
            catch (ConfigException e)
            {
                throw new UsageException(e.Message);
            }
            output.Write(Table(result));
            if (parse.GetValue(json) is { } path) AtomicFile.WriteAllText(path, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            return 0;
        });
        return command;
    }

    /// <summary>The crop: indices (ascending) of the <paramref name="maxPoints"/> points nearest the bounding-box centre in x, y by max(|dx|, |dy|), ties by index.</summary>
    internal static int[] Crop(Scene scene, int maxPoints)
    {
        int n = scene.PointCount;
        if (n <= maxPoints) return [.. Enumerable.Range(0, n)];
        var (min, max) = scene.Bounds();
        float cx = 0.5f * (min.X + max.X), cy = 0.5f * (min.Y + max.Y);
        var p = scene.Positions;
        var distance = new float[n];
        for (int i = 0; i < n; i++) distance[i] = MathF.Max(MathF.Abs(p[3 * i] - cx), MathF.Abs(p[3 * i + 1] - cy));
        return [.. Enumerable.Range(0, n).OrderBy(i => distance[i]).ThenBy(i => i).Take(maxPoints).Order()];
    }

    private static JsonObject Measure(string runPath, string scenePath, int maxPoints, string? clicksPath, int threads)
    {
        using var predictor = Predictor.Open(runPath);
        if (predictor.Method is not ClickSegMethod { Variant: ClickSegVariant.Click } method)
            throw new UsageException($"{runPath}: the run trains '{predictor.Method.Name}'; bench clickseg-exact measures clickseg runs (Eq. 5 with learned σ, Eq. 6 fusion)");
        var net = (ClickSegNet)predictor.Model;
        var loss = ClickSegMethod.LossOptions(predictor.Config);
        var inference = ClickSegMethod.InferenceOptions(predictor.Config);
        var classIds = method.ClassIds;

        var source = SceneDataset.Open(scenePath).SingleScene();
        var full = source.Load();
        if (full.SemanticLabels is null || full.InstanceIds is null)
            throw new DataFormatException(source.Path, $"scene '{source.Name}' has no semantic and instance labels; the bench scores both forms against the ground truth");
        var keep = Crop(full, maxPoints);
        var crop = full.Slice(keep);
        var scene = PreparedScene.Prepare(new SceneSource(source.Name, source.Path, source.Format, () => crop), null, predictor.Config.Data.VoxelSize, requireLabels: true);
        var (clickSet, clickSource) = Clicks(full, crop, keep, clicksPath);
        var positive = clickSet.Clicks.Where(c => c.Positive).ToList();
        if (positive.Count == 0)
            throw new DataFormatException(clicksPath ?? source.Path, $"no positive click inside the {crop.PointCount}-point crop of '{source.Name}' (expected at least one for PSEUDO_GEN)");

        long t0 = Stopwatch.GetTimestamp();
        var o = VoxelOutputs.Of(net, scene);
        double networkMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        var terms = ClickSegInference.TermsOf(net, ClickSegVariant.Click, loss);
        int n = scene.PointCount, c = o.Classes;
        var voxelPositions = o.ShiftedPositions();
        var rows = ClickSegExactForms.PointRows(o, scene.PointToVoxel, scene.Positions);
        var pointPositions = rows.ShiftedPositions();
        var (x, dims) = ClickSegInference.MeanShiftSpace(o, voxelPositions, terms);

        // (a) Eq. 6
        var (fusedOurs, fuseOursMs) = Timed(() => ClickSegInference.FuseInClusters(o, voxelPositions, x, dims, terms, classIds, inference), 3);
        var (fusedExact, fuseExactMs) = Timed(() => ClickSegExactForms.Fuse(rows, pointPositions, terms, inference.Gamma, threads), 1);
        var semanticOurs = new int[n];
        var semanticExact = new int[n];
        int agree = 0;
        for (int p = 0; p < n; p++)
        {
            semanticOurs[p] = classIds[System.Numerics.Tensors.TensorPrimitives.IndexOfMax(fusedOurs.AsSpan(scene.PointToVoxel[p] * c, c))];
            semanticExact[p] = classIds[System.Numerics.Tensors.TensorPrimitives.IndexOfMax(fusedExact.AsSpan(p * c, c))];
            if (semanticOurs[p] == semanticExact[p]) agree++;
        }
        var fusion = new Row("(a) Eq. 6 fusion", Percent(agree, n), null, null, Miou(scene, semanticExact), Miou(scene, semanticOurs), null, null, fuseExactMs, fuseOursMs);

        // (b) instance grouping, both from our fused classes
        var (clustersOurs, groupOursMs) = Timed(() => ClickSegInference.InstanceClusters(x, dims, fusedOurs, c, terms, classIds, inference.Bandwidth, ClickSegInference.MeanShiftSample), 3);
        var fusedPoints = new float[n * c];
        for (int p = 0; p < n; p++) Array.Copy(fusedOurs, scene.PointToVoxel[p] * c, fusedPoints, p * c, c);
        var (clustersExact, groupExactMs) = Timed(() => ClickSegExactForms.MeanShiftInstances(rows, pointPositions, fusedPoints, terms, classIds, inference.Bandwidth), 1);
        var groupedOurs = ClickSegInference.Assemble(scene.Name, scene.PointToVoxel, o.Counts, fusedOurs, c, clustersOurs, classIds, inference);
        var groupedExact = ClickSegInference.Assemble(scene.Name, [.. Enumerable.Range(0, n)], rows.Counts, fusedPoints, c, clustersExact, classIds, inference);
        var grouping = new Row("(b) mean-shift", null, Ap50(scene, groupedExact), Ap50(scene, groupedOurs), null, null,
            groupedExact.Instances.Count, groupedOurs.Instances.Count, groupExactMs, groupOursMs);

        // (c) PSEUDO_GEN
        var seeds = ClickSegPseudoLabeler.Seeds(positive);
        var (seedPoints, seedInstance) = (seeds.Points, seeds.Instance);
        var seedVoxels = seedPoints.Select(p => scene.PointToVoxel[p]).ToArray();
        bool kMeans = loss.Assignment == "kmeans";
        var (assignedOurs, pseudoOursMs) = Timed(() => ClickPseudoLabels.Assign(o.Embedding, o.EmbeddingDims, voxelPositions, o.Probabilities, c,
            seedVoxels, seedInstance, terms, kMeans, maxIterations: loss.KMeansIterations, threads: threads), 3);
        var (assignedExact, pseudoExactMs) = Timed(() => ClickSegExactForms.PseudoInstances(rows, pointPositions, seedPoints, seedInstance, terms,
            kMeans, loss.KMeansIterations, threads), 1);
        var pseudoOurs = PseudoLabels(scene.Name, scene.PointToVoxel, assignedOurs, seeds);
        var pseudoExact = PseudoLabels(scene.Name, [.. Enumerable.Range(0, n)], assignedExact, seeds);
        int same = 0;
        for (int p = 0; p < n; p++) if (pseudoOurs.Instance[p] == pseudoExact.Instance[p]) same++;
        var pseudo = new Row("(c) PSEUDO_GEN", Percent(same, n), Ap50(scene, pseudoExact.Labels), Ap50(scene, pseudoOurs.Labels),
            Miou(scene, pseudoExact.Labels.Semantic), Miou(scene, pseudoOurs.Labels.Semantic), pseudoExact.Labels.Instances.Count, pseudoOurs.Labels.Instances.Count,
            pseudoExactMs, pseudoOursMs);

        var result = new JsonObject
        {
            ["benchmark"] = "clickseg-exact",
            ["checkpoint"] = predictor.CheckpointPath,
            ["scene"] = source.Name,
            ["scene_points"] = full.PointCount,
            ["points"] = n,
            ["crop"] = n == full.PointCount ? "the whole scene" : $"crop: the {n} points nearest the bounding-box centre by max(|dx|, |dy|), full height",
            ["voxels"] = o.Count,
            ["voxel_size"] = predictor.Config.Data.VoxelSize,
            ["point_pairs"] = (long)n * n,
            ["threads"] = threads,
            ["sigma_e"] = Math.Round(terms.SigmaE, 4),
            ["sigma_p"] = Math.Round(terms.SigmaP, 4),
            ["bandwidth"] = inference.Bandwidth,
            ["gamma"] = inference.Gamma,
            ["assignment"] = loss.Assignment,
            ["clicks"] = positive.Count,
            ["objects_clicked"] = seeds.LabelOf.Count,
            ["clicks_from"] = clickSource,
            ["network_ms"] = Math.Round(networkMs, 1),
            ["units"] = "agreement, AP50, mIoU in percent; times in ms (exact: one run; ours: median of 3 after a warm-up)",
            ["grouping_input"] = "both groupings start from ours' fused classes (the production Eq. 6), so row (b) differs in the mean-shift only",
            ["rows"] = new JsonArray([.. new[] { fusion, grouping, pseudo }.Select(Json)]),
            ["peak_rss_mib"] = Number(BenchStatistics.PeakRssMiB(), 1),
            ["load_average"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "",
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        };
        return result;
    }

    /// <summary>The click set of the crop: <paramref name="path"/>'s clicks inside it (re-indexed), else 1t1c seed 1 simulated on the crop's ground truth.</summary>
    private static (ClickSet Set, string From) Clicks(Scene full, Scene crop, int[] keep, string? path)
    {
        if (path is null)
            return (ClickSimulator.Simulate(crop, new ClickSimulator.Options(ClickPolicy.OneThingOneClick, 1)), "1t1c, seed 1, simulated on the crop's ground truth");
        var set = ClickSet.Load(path);
        if (set.Validate(full) is { } problem) throw new DataFormatException(path, problem);
        var index = new int[full.PointCount];
        Array.Fill(index, -1);
        for (int j = 0; j < keep.Length; j++) index[keep[j]] = j;
        var inside = set.Clicks.Where(c => index[c.Point] >= 0).Select(c => c with { Point = index[c.Point] }).ToList();
        return (new ClickSet(set.Scene, set.Policy, set.Seed, inside), $"{path} ({inside.Count} of {set.Clicks.Count} clicks inside the crop)");
    }

    /// <summary>
    /// The dense pseudo labels of an assignment of rows (voxels, or points with <paramref name="pointToRow"/> the identity) as
    /// <see cref="ClickSegPseudoLabeler.Label"/> writes them: every point the object of its row, a clicked point its own click's
    /// (<see cref="ClickSegPseudoLabeler.Dense"/>). Also returns the per-point object index.
    /// </summary>
    internal static (int[] Instance, ScenePrediction Labels) PseudoLabels(string scene, int[] pointToRow, ClickAssignmentResult result, ClickSegPseudoLabeler.ClickSeeds seeds)
    {
        var instance = new int[pointToRow.Length];
        for (int p = 0; p < instance.Length; p++) instance[p] = result.Instance[pointToRow[p]];
        for (int j = 0; j < seeds.Points.Length; j++) instance[seeds.Points[j]] = seeds.Instance[j];
        return (instance, ClickSegPseudoLabeler.Dense(scene, instance, pointToRow, result.Similarity, seeds.LabelOf));
    }

    /// <summary>Runs <paramref name="work"/>: once when <paramref name="repeat"/> is 1, else a warm-up and the median of <paramref name="repeat"/> timed runs.</summary>
    private static (T Result, double Ms) Timed<T>(Func<T> work, int repeat)
    {
        var result = repeat > 1 ? work() : default!;
        var times = new List<double>();
        for (int r = 0; r < repeat; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            result = work();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        return (result, BenchStatistics.Median(times));
    }

    private static double Ap50(PreparedScene scene, ScenePrediction prediction) =>
        100 * new InstanceAp().Evaluate([new InstanceScene(scene.Name, scene.InstanceGroundTruth(),
            [.. prediction.Instances.Select(m => new PredictedInstance(m.Vertices, m.LabelId, m.Confidence))])]).Ap50;

    private static double Miou(PreparedScene scene, int[] semantic) => 100 * new SemanticIou().Evaluate([(scene.Semantic, semantic)]).MeanIou;

    private static double Percent(int count, int total) => 100.0 * count / Math.Max(1, total);

    private static JsonValue? Number(double? value, int digits) => value is { } v && double.IsFinite(v) ? JsonValue.Create(Math.Round(v, digits)) : null;

    private static JsonObject Json(Row row) => new()
    {
        ["piece"] = row.Piece,
        ["agreement"] = Number(row.Agreement, 2),
        ["ap50_exact"] = Number(row.Ap50Exact, 2),
        ["ap50_ours"] = Number(row.Ap50Ours, 2),
        ["miou_exact"] = Number(row.MiouExact, 2),
        ["miou_ours"] = Number(row.MiouOurs, 2),
        ["instances_exact"] = row.InstancesExact,
        ["instances_ours"] = row.InstancesOurs,
        ["exact_ms"] = Number(row.ExactMs, 1),
        ["ours_ms"] = Number(row.OursMs, 1),
    };

    /// <summary>The result as a header line and a Markdown table, one row per piece (– where a piece has no such number, n/a where it is undefined, e.g. no ground-truth instance).</summary>
    internal static string Table(JsonObject result)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"clickseg-exact: {result["scene"]}, {result["points"]} of {result["scene_points"]} points ({result["crop"]}); {result["voxels"]} voxels, ")
          .Append(CultureInfo.InvariantCulture,
            $"{result["threads"]} thread(s), σ_e {result["sigma_e"]}, σ_p {result["sigma_p"]}, bandwidth {result["bandwidth"]}, γ {result["gamma"]}, network {result["network_ms"]} ms\n")
          .Append(CultureInfo.InvariantCulture, $"clicks: {result["clicks"]} on {result["objects_clicked"]} objects ({result["clicks_from"]}); (b) groups ours' fused classes in both forms\n\n")
          .Append("| piece | agreement % | AP50 exact | AP50 ours | mIoU exact | mIoU ours | instances exact | instances ours | exact ms | ours ms |\n")
          .Append("|---|---|---|---|---|---|---|---|---|---|\n");
        string Cell(JsonObject row, string key, bool has) => !has ? "–" : row[key] is { } v ? v.ToJsonString() : "n/a";
        foreach (var node in result["rows"]!.AsArray())
        {
            var row = node!.AsObject();
            string piece = (string)row["piece"]!;
            bool fusion = piece.StartsWith("(a)", StringComparison.Ordinal), grouping = piece.StartsWith("(b)", StringComparison.Ordinal);
            sb.Append(CultureInfo.InvariantCulture, $"| {piece} | {Cell(row, "agreement", !grouping)} | {Cell(row, "ap50_exact", !fusion)} | {Cell(row, "ap50_ours", !fusion)} | ")
              .Append(CultureInfo.InvariantCulture, $"{Cell(row, "miou_exact", !grouping)} | {Cell(row, "miou_ours", !grouping)} | {Cell(row, "instances_exact", !fusion)} | {Cell(row, "instances_ours", !fusion)} | ")
              .Append(CultureInfo.InvariantCulture, $"{Cell(row, "exact_ms", true)} | {Cell(row, "ours_ms", true)} |\n");
        }
        return sb.ToString();
    }
}
