using System.Globalization;
using System.Text.Json.Nodes;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.Coco;
using Clickscape.Data.IO;
using Clickscape.Evaluation.Coco;
using Clickscape.Models.MaskRefine;
using Clickscape.Models.Solo;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Serialization;
using Clickscape.Tensors.Threading;
using Clickscape.Training.Configs;
using Clickscape.Training.Engine;

namespace Clickscape.Training.Methods.PointWssis;

/// <summary>Pseudo-label quality of one variant on the point-labelled images (mask AP against their hidden masks,
/// at network resolution) — PointWSSIS's <i>train5K</i> measurement.</summary>
public sealed record PseudoLabelQuality(string Variant, double Ap, double Ap50, double Ap75, int Labels);

/// <summary>How a run ended: the quality of each pseudo-label variant and the models written.</summary>
public sealed record PointWssisOutcome(IReadOnlyList<PseudoLabelQuality> Quality, IReadOnlyList<string> Models, int FullImages, int PointImages);

/// <summary>
/// The PointWSSIS pipeline (Kim et al., "The Devil is in the Points", CVPR 2023, Fig. 3): (1) a SOLO teacher trained on
/// the fully labelled images; (2) for every point of the point-labelled images a point-guided proposal with adaptive
/// pyramid-level selection (<see cref="PointGuidedProposals"/>); (3) MaskRefineNet trained on the teacher's rough masks
/// of the fully labelled images against their true masks, then refining the pseudo masks; (4) a student SOLO trained on
/// the full masks plus the (refined) pseudo masks. Each stage is one <see cref="ImageStageTrainer"/> loop; the run
/// folder holds <c>config.json</c>, <c>log.jsonl</c>, <c>models/{teacher,refine,student[,student-rough]}.safetensors</c>
/// and <c>quality.json</c> (pseudo-label AP of every variant: Table 2 level selections, with/without refinement).
/// </summary>
/// <remarks>Why not <see cref="Trainer"/>: its data path is scenes (cache of voxelized scans, <c>TrainingBatch</c> of
/// voxels, ScanNet AP in the evaluation hook) and its method contract is one network per run; this is three networks
/// over images. The stages reuse the engine (Adam, schedules, clipping, safetensors, the run log) and the COCO AP.</remarks>
public static class PointWssisPipeline
{
    /// <summary>The <c>--method</c> name.</summary>
    public const string MethodName = "pointwssis";

    /// <summary>The models a run can hold (<c>predict --model</c>).</summary>
    public static IReadOnlyList<string> ModelNames { get; } = ["teacher", "student", "student-rough"];

    /// <summary>The file of model <paramref name="name"/> in run <paramref name="run"/>.</summary>
    public static string ModelPath(string run, string name) => Path.Combine(run, "models", name + ".safetensors");

    /// <summary>The SOLO shape of a run's options and dataset.</summary>
    public static SoloOptions Solo(PointWssisOptions options, int classes) => new() { Classes = classes, InputSize = options.InputSize };

    /// <summary>Runs the whole pipeline on split <paramref name="split"/> of <paramref name="data"/> into <paramref name="run"/>
    /// (a dataset without splits/train.txt trains on every image when the split is <c>train</c>).</summary>
    public static PointWssisOutcome Run(string data, string run, PointWssisOptions options, Action<string> message, string split = "train")
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(message);
        options = options.Validated();
        int previousThreads = ComputeThreads.Count;
        if (options.Threads > 0) ComputeThreads.Count = options.Threads;
        try
        {
            return RunCore(data, run, options, message, split);
        }
        finally
        {
            ComputeThreads.Count = previousThreads;
        }
    }

    private static PointWssisOutcome RunCore(string data, string run, PointWssisOptions options, Action<string> message, string split)
    {
        var dataset = ImageDataset.Open(data);
        var images = split == "train" && !dataset.HasSplit(split) ? dataset.Split(ImageDataset.AllSplit) : dataset.Split(split);
        if (images.Count < 2) throw new DataFormatException(data, $"{images.Count} training image(s): PointWSSIS needs at least 2 (some fully labelled, some with points)");
        if (File.Exists(ModelPath(run, "teacher"))) throw new DataFormatException(run, "already holds a PointWSSIS run (models/teacher.safetensors); choose another --out");
        Directory.CreateDirectory(Path.Combine(run, "models"));
        AtomicFile.WriteAllText(Path.Combine(run, "config.json"), options.ToJson() + "\n");
        using var log = new RunLog(Path.Combine(run, "log.jsonl"), -1);

        var classIndex = ClassIndex(dataset);
        int size = options.InputSize;
        message($"loading {images.Count} training images at {size}×{size}");
        var samples = images.Select(i => ImageSample.Load(dataset, i, size, classIndex)).ToList();
        var shuffle = new Random(unchecked((int)options.Seed * 31 + 17));
        var order = Enumerable.Range(0, samples.Count).OrderBy(_ => shuffle.Next()).ToArray();
        int fullCount = Math.Clamp((int)Math.Round(options.FullFraction * samples.Count), 1, samples.Count - (options.FullFraction >= 1 ? 0 : 1));
        var full = order.Take(fullCount).Select(i => samples[i]).ToList();
        var pointImages = order.Skip(fullCount).Select(i => samples[i]).ToList();
        message(string.Create(CultureInfo.InvariantCulture,
            $"{full.Count} fully labelled images ({full.Sum(s => s.Instances.Count)} masks), {pointImages.Count} point-labelled ({pointImages.Sum(s => s.Points.Count)} points)"));

        // 1. teacher on the full masks
        var solo = Solo(options, classIndex.Count);
        using var teacher = new SoloNet(solo, new Random(unchecked((int)options.Seed + 1)));
        if (options.TeacherFrom is { } from)
        {
            LoadTeacher(teacher, from, options);
            message($"teacher from {from}");
        }
        else
        {
            TrainSolo("teacher", teacher, full.Select(s => (s.Pixels, s.Instances)).ToList(), options.TeacherSteps, options, log, message);
        }
        SafeTensors.Save(ModelPath(run, "teacher"), teacher);
        var models = new List<string> { "teacher" };
        if (pointImages.Count == 0)
        {
            // --full-fraction 1: the fully supervised reference; there is nothing to pseudo-label
            AtomicFile.WriteAllText(Path.Combine(run, "quality.json"), "[]\n");
            message("every image is fully labelled: the teacher is the fully supervised model; no pseudo labels, MaskRefineNet or student");
            return new PointWssisOutcome([], models, full.Count, 0);
        }

        // 2. rough pseudo labels on the point images, every level selection measured (Table 2 analogue)
        var quality = new List<PseudoLabelQuality>();
        var rough = new Dictionary<LevelSelection, List<List<PseudoMask>>>();
        foreach (var selection in Enum.GetValues<LevelSelection>())
        {
            rough[selection] = pointImages.Select(s => PointPseudoMasks(teacher, s, selection)).ToList();
            quality.Add(Quality($"point {Name(selection)}", pointImages, rough[selection], size));
        }
        var pseudo = rough[options.Selection];
        if (options.PseudoLabels == "unlabelled")
        {
            pseudo = pointImages.Select(s => UnlabelledPseudoMasks(teacher, s, options.UnlabelledThreshold)).ToList();
            quality.Add(Quality(string.Create(CultureInfo.InvariantCulture, $"unlabelled tau {options.UnlabelledThreshold}"), pointImages, pseudo, size));
        }
        foreach (var q in quality)
            message(string.Create(CultureInfo.InvariantCulture, $"pseudo labels {q.Variant}: AP {100 * q.Ap:F1} AP50 {100 * q.Ap50:F1} AP75 {100 * q.Ap75:F1} ({q.Labels} masks)"));

        // 3. MaskRefineNet on the teacher's rough masks of the full images, then the refined pseudo labels
        var refined = pseudo;
        if (options.Refine && options.PseudoLabels == "point")
        {
            using var refiner = new MaskRefineNet(classIndex.Count, new Random(unchecked((int)options.Seed + 2)));
            var examples = full.SelectMany(s => PointPseudoMasks(teacher, s, options.Selection)
                .Select(p => new RefineExample(s, p, s.Instances[p.Point].Mask))).ToList();
            var inputs = new MaskRefineInputs(options.RefineImage, options.RefineRoughMask, options.RefinePoint);
            TrainRefiner(refiner, examples, inputs, options, classIndex.Count, log, message);
            SafeTensors.Save(ModelPath(run, "refine"), refiner);
            models.Add("refine");
            refined = pointImages.Select((s, i) => Refine(refiner, s, pseudo[i], inputs, options, classIndex.Count)).ToList();
            var q = Quality($"point {Name(options.Selection)} + MaskRefineNet", pointImages, refined, size);
            quality.Add(q);
            message(string.Create(CultureInfo.InvariantCulture, $"pseudo labels {q.Variant}: AP {100 * q.Ap:F1} AP50 {100 * q.Ap50:F1} AP75 {100 * q.Ap75:F1}"));
        }
        AtomicFile.WriteAllText(Path.Combine(run, "quality.json"), QualityJson(quality).ToJsonString(PointWssisOptions.Json) + "\n");

        // 4. students on the full masks + the pseudo masks
        if (options.StudentSteps > 0)
        {
            var variants = new List<(string Name, List<List<PseudoMask>> Labels)> { ("student", refined) };
            if (options.CompareRough && !ReferenceEquals(refined, pseudo)) variants.Add(("student-rough", pseudo));
            foreach (var (name, labels) in variants)
            {
                var training = full.Select(s => (s.Pixels, s.Instances)).Concat(pointImages.Select((s, i) =>
                    (s.Pixels, (IReadOnlyList<SoloInstance>)labels[i].Where(p => p.Mask.Any(v => v != 0)).Select(p => new SoloInstance(p.ClassIndex, p.Mask)).ToList()))).ToList();
                using var student = new SoloNet(solo, new Random(unchecked((int)options.Seed + 3)));
                TrainSolo(name, student, training, options.StudentSteps, options, log, message);
                SafeTensors.Save(ModelPath(run, name), student);
                models.Add(name);
            }
        }
        return new PointWssisOutcome(quality, models, full.Count, pointImages.Count);
    }

    /// <summary>Class index (0-based, the order of annotations.json's categories) of each category id.</summary>
    public static Dictionary<long, int> ClassIndex(ImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Coco.Categories.Select((c, i) => (c.Id, i)).ToDictionary(p => p.Id, p => p.i);
    }

    private static string Name(LevelSelection s) => s switch
    {
        LevelSelection.Adaptive => "adaptive",
        LevelSelection.SingleLevel => "single-level",
        LevelSelection.AllLevels => "all-levels",
        _ => "ground-truth-size",
    };

    /// <summary>One pseudo mask at network resolution: class, score, 0/1 mask, the point it came from (−1 = none).</summary>
    internal sealed record PseudoMask(int Point, int ClassIndex, float Score, byte[] Mask, float[] Probability);

    private sealed record RefineExample(ImageSample Sample, PseudoMask Rough, byte[] Truth);

    private static void TrainSolo(string stage, SoloNet net, List<(float[] Pixels, IReadOnlyList<SoloInstance> Instances)> data, int steps,
        PointWssisOptions options, RunLog log, Action<string> message)
    {
        ImageStageTrainer.Train(stage, net, data.Count, steps, options.BatchSize, options.LearningRate, options.Seed, (batch, random) =>
        {
            var images = batch.Select(i => data[i]).ToList();
            var (pixels, instances) = options is { ScaleMin: 1, ScaleMax: 1 }
                ? PointWssisBatches.Build(images, options.InputSize, batch.Select(_ => random.Next(2) == 1).ToArray())
                : PointWssisBatches.Build(images, options.InputSize, batch.Select(_ => ImageAugmentation.Draw(random, options.InputSize, options.ScaleMin, options.ScaleMax)).ToArray());
            var output = net.Forward(pixels);
            var (total, category, mask) = SoloLoss.Compute(net, output, instances);
            return [("loss", total), ("loss_cate", category), ("loss_mask", mask)];
        }, log, message);
    }

    /// <summary>Loads the teacher of the earlier run <paramref name="from"/>, refusing one trained on another split.</summary>
    private static void LoadTeacher(SoloNet teacher, string from, PointWssisOptions options)
    {
        var configPath = Path.Combine(from, "config.json");
        var weights = ModelPath(from, "teacher");
        if (!File.Exists(configPath) || !File.Exists(weights))
            throw new DataFormatException(from, "teacher_from: expected an earlier PointWSSIS run folder (config.json and models/teacher.safetensors)");
        var earlier = PointWssisOptions.Parse(File.ReadAllText(configPath), configPath);
        if (earlier.FullFraction != options.FullFraction || earlier.Seed != options.Seed || earlier.InputSize != options.InputSize)
            throw new ConfigException(string.Create(CultureInfo.InvariantCulture,
                $"teacher_from {from}: trained with full_fraction {earlier.FullFraction}, seed {earlier.Seed}, input_size {earlier.InputSize}; this run has {options.FullFraction}, {options.Seed}, {options.InputSize} (they must be equal: they decide the split and the network)"));
        SafeTensors.LoadInto(teacher, weights);
        teacher.Eval(); // as ImageStageTrainer leaves a trained one: batch norm on its running statistics
    }

    /// <summary>Teacher forward of one image (no graph).</summary>
    private static SoloOutput Forward(SoloNet net, ImageSample sample)
    {
        using var noGrad = Tensor.NoGrad();
        var (pixels, _) = PointWssisBatches.Build([(sample.Pixels, sample.Instances)], net.Options.InputSize);
        return net.Forward(pixels);
    }

    internal static List<PseudoMask> PointPseudoMasks(SoloNet teacher, ImageSample sample, LevelSelection selection)
    {
        int size = teacher.Options.InputSize;
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        var output = Forward(teacher, sample);
        var levels = selection == LevelSelection.GroundTruthSize ? sample.Instances.Select(i => SoloTargets.LevelOfScale(teacher.Options, i.Mask)).ToList() : null;
        var proposals = PointGuidedProposals.Propose(output, 0, teacher.Options, sample.Points, selection, 0.5f, levels);
        return proposals.Select(p =>
        {
            var prob = PointWssisBatches.Upsample(p.MaskProbabilities, size, size / (int)Math.Sqrt(p.MaskProbabilities.Length));
            return new PseudoMask(p.Point, sample.Points[p.Point].ClassIndex, p.Score, prob.Select(v => v > 0.5f ? (byte)1 : (byte)0).ToArray(), prob);
        }).ToList();
    }

    internal static List<PseudoMask> UnlabelledPseudoMasks(SoloNet teacher, ImageSample sample, float threshold)
    {
        int size = teacher.Options.InputSize;
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        var output = Forward(teacher, sample);
        return SoloInference.Detect(output, 0, teacher.Options, new SoloInferenceOptions()).Where(d => d.Score >= threshold).Select(d =>
        {
            var prob = PointWssisBatches.Upsample(d.MaskProbabilities, size, size / (int)Math.Sqrt(d.MaskProbabilities.Length));
            return new PseudoMask(-1, d.ClassIndex, d.Score, prob.Select(v => v > 0.5f ? (byte)1 : (byte)0).ToArray(), prob);
        }).ToList();
    }

    private static void TrainRefiner(MaskRefineNet net, List<RefineExample> examples, MaskRefineInputs inputs, PointWssisOptions options, int classes,
        RunLog log, Action<string> message)
    {
        int crop = options.RefineCropSize, size = options.InputSize, plane = crop * crop, channels = MaskRefineNet.InputChannels(classes);
        ImageStageTrainer.Train("refine", net, examples.Count, options.RefineSteps, options.RefineBatchSize, options.RefineLearningRate, options.Seed, (batch, random) =>
        {
            var x = Tensor.Zeros(batch.Length, channels, crop, crop);
            var t = new float[batch.Length * plane];
            for (int b = 0; b < batch.Length; b++)
            {
                var e = examples[batch[b]];
                var point = e.Sample.Points[e.Rough.Point];
                var window = RefineCrop.Window(e.Rough.Probability, size, point.X, point.Y, 1 + random.NextDouble()); // enlarge U(1, 2)
                RefineCrop.Fill(x.Data.Slice(b * channels * plane, channels * plane), e.Sample.Pixels, e.Rough.Probability, size, window, point.X, point.Y,
                    point.ClassIndex, classes, crop, options.RefineSigma, inputs);
                var truth = e.Truth.Select(v => (float)v).ToArray();
                for (int i = 0; i < crop; i++)
                    for (int j = 0; j < crop; j++)
                    {
                        double sx = window.X0 + (j + 0.5) * window.Side / crop - 0.5, sy = window.Y0 + (i + 0.5) * window.Side / crop - 0.5;
                        t[b * plane + i * crop + j] = RefineCrop.Bilinear(truth, 0, size, sx, sy) > 0.5f ? 1f : 0f;
                    }
            }
            var logits = net.Forward(x);
            var loss = MaskRefineNet.SoftmaxDiceLoss(logits, Tensor.FromArray(t, batch.Length, 1, crop, crop));
            return [("loss", loss)];
        }, log, message);
    }

    /// <summary>MaskRefineNet inference (REFERENCE §7): box scale 2.0, paste back the object probability, threshold; an
    /// empty refined mask keeps the teacher's.</summary>
    internal static List<PseudoMask> Refine(MaskRefineNet net, ImageSample sample, List<PseudoMask> rough, MaskRefineInputs inputs, PointWssisOptions options, int classes)
    {
        int crop = options.RefineCropSize, size = options.InputSize, plane = crop * crop, channels = MaskRefineNet.InputChannels(classes);
        var result = new List<PseudoMask>(rough.Count);
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        foreach (var r in rough)
        {
            var point = sample.Points[r.Point];
            var window = RefineCrop.Window(r.Probability, size, point.X, point.Y, 2.0);
            var x = Tensor.Zeros(1, channels, crop, crop);
            RefineCrop.Fill(x.Data, sample.Pixels, r.Probability, size, window, point.X, point.Y, point.ClassIndex, classes, crop, options.RefineSigma, inputs);
            var logits = net.Forward(x);
            var p = new float[plane];
            for (int i = 0; i < plane; i++) p[i] = 1f / (1f + MathF.Exp(-(logits.Data[plane + i] - logits.Data[i])));
            var prob = RefineCrop.PasteBack(p, crop, window, size);
            var mask = prob.Select(v => v > 0.5f ? (byte)1 : (byte)0).ToArray();
            result.Add(mask.Any(v => v != 0) ? r with { Mask = mask, Probability = prob } : r);
        }
        return result;
    }

    /// <summary>Mask AP of pseudo labels against the hidden masks of the point-labelled images (network resolution).</summary>
    internal static PseudoLabelQuality Quality(string variant, IReadOnlyList<ImageSample> images, IReadOnlyList<List<PseudoMask>> labels, int size)
    {
        var gts = new List<CocoGroundTruth>();
        var dts = new List<CocoDetection>();
        long id = 1;
        for (int i = 0; i < images.Count; i++)
        {
            foreach (var inst in images[i].Instances)
            {
                var rle = MaskRle.Encode(inst.Mask, size, size);
                gts.Add(new CocoGroundTruth(id++, i, inst.ClassIndex, rle, rle.Area(), false));
            }
            foreach (var p in labels[i]) dts.Add(new CocoDetection(i, p.ClassIndex, MaskRle.Encode(p.Mask, size, size), p.Score));
        }
        var classes = gts.Select(g => g.CategoryId).Concat(dts.Select(d => d.CategoryId)).Distinct().ToList();
        var r = new CocoMaskAp().Evaluate(Enumerable.Range(0, images.Count).Select(i => (long)i).ToList(), classes, gts, dts);
        return new PseudoLabelQuality(variant, r.Ap, r.Ap50, r.Ap75, dts.Count);
    }

    private static JsonArray QualityJson(IEnumerable<PseudoLabelQuality> quality) =>
        [.. quality.Select(q => (JsonNode)new JsonObject { ["variant"] = q.Variant, ["ap"] = RunLog.Number(q.Ap), ["ap50"] = RunLog.Number(q.Ap50), ["ap75"] = RunLog.Number(q.Ap75), ["labels"] = q.Labels })];
}
