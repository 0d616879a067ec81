using Clickscape.Data.Datasets;
using Clickscape.Data.Synthetic.Images;
using Clickscape.Models.Solo;
using Clickscape.Training.Configs;
using Clickscape.Training.Methods.PointWssis;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Methods.PointWssis;

public sealed class PointWssisPipelineTests(Xunit.Abstractions.ITestOutputHelper output) : TempFolder
{
    private ImageDataset Synth(int count, int size = 64)
    {
        var root = Path.Combine(Dir, "images");
        ImageDatasetWriter.Write(root, count, seed: 3, width: size, height: size);
        return ImageDataset.Open(root);
    }

    [Fact]
    public void ImageSample_ResizesPixelsAndMasksAndPointsAreCentroids()
    {
        var dataset = Synth(2, 96);
        var image = dataset.Split(ImageDataset.AllSplit)[0];
        var sample = ImageSample.Load(dataset, image, 64, PointWssisPipeline.ClassIndex(dataset));
        Assert.Equal(3 * 64 * 64, sample.Pixels.Length);
        Assert.Equal(dataset.Annotations(image).Count(), sample.Instances.Count);
        Assert.Equal(sample.Instances.Count, sample.Points.Count);
        // normalized: the mean over the image is within the normalized range of [0, 1] pixels
        Assert.InRange(sample.Pixels.Average(), -2.2, 2.7);
        for (int i = 0; i < sample.Instances.Count; i++)
        {
            Assert.Equal(sample.Instances[i].ClassIndex, sample.Points[i].ClassIndex);
            Assert.InRange(sample.Points[i].X, 0, 64);
            Assert.InRange(sample.Points[i].Y, 0, 64);
        }
        // the resized mask keeps the object's share of the image within a few pixels' worth
        var a = dataset.Annotations(image).First();
        double share = a.Area / (96.0 * 96.0), resized = sample.Instances[0].Mask.Count(v => v != 0) / (64.0 * 64.0);
        Assert.InRange(resized, share - 0.02, share + 0.02);
    }

    [Fact]
    public void Quality_OfTheHiddenMasksThemselvesIsPerfect_AndOfEmptyMasksZero()
    {
        var dataset = Synth(4);
        var classIndex = PointWssisPipeline.ClassIndex(dataset);
        var samples = dataset.Split(ImageDataset.AllSplit).Select(i => ImageSample.Load(dataset, i, 64, classIndex)).ToList();
        var perfect = samples.Select(s => s.Instances.Select((inst, k) => new PointWssisPipeline.PseudoMask(k, inst.ClassIndex, 0.9f, inst.Mask, [])).ToList()).ToList();
        var q = PointWssisPipeline.Quality("gt", samples, perfect, 64);
        Assert.Equal(1.0, q.Ap, 6);
        var empty = samples.Select(s => s.Instances.Select((inst, k) => new PointWssisPipeline.PseudoMask(k, inst.ClassIndex, 0.9f, new byte[64 * 64], [])).ToList()).ToList();
        Assert.Equal(0.0, PointWssisPipeline.Quality("empty", samples, empty, 64).Ap, 6);
    }

    [Fact]
    public void Options_RejectBadValuesAndUnknownKeysByName()
    {
        Assert.Contains("full_fraction", Assert.Throws<ConfigException>(() => PointWssisOptions.Parse("""{"full_fraction": 0}""", "x")).Message);
        Assert.Contains("level_selection", Assert.Throws<ConfigException>(() => PointWssisOptions.Parse("""{"level_selection": "best"}""", "x")).Message);
        Assert.Contains("scale_min", Assert.Throws<ConfigException>(() => PointWssisOptions.Parse("""{"scale_min": 1.5, "scale_max": 1.2}""", "x")).Message);
        Assert.Contains("teacher_stepz", Assert.Throws<ConfigException>(() => PointWssisOptions.Parse("""{"teacher_stepz": 3}""", "x")).Message);
        var o = PointWssisOptions.Parse("""{"level_selection": "all-levels", "teacher_steps": 7}""", "x");
        Assert.Equal((LevelSelection.AllLevels, 7), (o.Selection, o.TeacherSteps));
        Assert.Equal(o, PointWssisOptions.Parse(o.ToJson(), "round trip"));
    }

    /// <summary>The whole pipeline on 8 tiny images with a few steps per stage: every model and the quality of every
    /// pseudo-label variant are written, one adaptive pseudo label per point, and the students predict COCO results
    /// whose masks have the images' own size.</summary>
    [Fact]
    public void EndToEnd_WritesModelsQualityAndPredictions()
    {
        var dataset = Synth(10);
        var run = Path.Combine(Dir, "run");
        var options = new PointWssisOptions { InputSize = 64, BatchSize = 2, TeacherSteps = 3, StudentSteps = 2, RefineSteps = 2, RefineBatchSize = 4, RefineCropSize = 32, FullFraction = 0.25, CompareRough = true, Seed = 5, ScaleMin = 0.8, ScaleMax = 1.25 };
        var lines = new List<string>();
        var outcome = PointWssisPipeline.Run(dataset.Root, run, options, lines.Add);
        Assert.Equal((2, 6), (outcome.FullImages, outcome.PointImages)); // 8 train images (2 are val)
        Assert.Equal(["teacher", "refine", "student", "student-rough"], outcome.Models);
        foreach (var m in outcome.Models) Assert.True(File.Exists(PointWssisPipeline.ModelPath(run, m)), m);
        Assert.Equal(["point adaptive", "point single-level", "point all-levels", "point ground-truth-size", "point adaptive + MaskRefineNet"], outcome.Quality.Select(q => q.Variant));
        int points = dataset.Split("train").Sum(i => dataset.Annotations(i).Count()) - 0;
        var adaptive = outcome.Quality[0];
        Assert.InRange(adaptive.Labels, 1, points);
        Assert.Equal(3 * adaptive.Labels, outcome.Quality[2].Labels); // all levels: one per level per point
        Assert.True(File.Exists(Path.Combine(run, "quality.json")));
        var log = Clickscape.Training.Engine.RunLog.Read(Path.Combine(run, "log.jsonl"));
        Assert.Equal(3 + 2 + 2 + 2, log.Count(e => (string?)e["kind"] == "step"));
        Assert.True(PointWssisPredictor.IsRun(run));
        var results = PointWssisPredictor.Predict(run, "student", dataset.Root, "val");
        var val = dataset.Split("val").ToDictionary(i => i.Id);
        Assert.All(results, r => Assert.Equal((val[r.ImageId].Height, val[r.ImageId].Width), (r.Mask.Height, r.Mask.Width)));
        Assert.Throws<Clickscape.Data.IO.DataFormatException>(() => PointWssisPipeline.Run(dataset.Root, run, options, lines.Add)); // a run folder is not overwritten
    }

    /// <summary>The semi-supervised baseline (Table 5's U rows): pseudo labels are the teacher's own detections above τ,
    /// the points unused, no MaskRefineNet; its quality is measured like the point variants'.</summary>
    [Fact]
    public void UnlabelledBaseline_UsesTheTeachersDetectionsAboveTau()
    {
        var dataset = Synth(6);
        var run = Path.Combine(Dir, "semi");
        var options = new PointWssisOptions { InputSize = 64, BatchSize = 2, TeacherSteps = 2, StudentSteps = 1, RefineSteps = 1, FullFraction = 0.5, PseudoLabels = "unlabelled", UnlabelledThreshold = 0.0f };
        var outcome = PointWssisPipeline.Run(dataset.Root, run, options, _ => { });
        Assert.Equal("unlabelled tau 0", outcome.Quality[^1].Variant);
        Assert.Equal(["teacher", "student"], outcome.Models); // no refiner for unlabelled pseudo labels
    }

    /// <summary><c>teacher_from</c>: a run that reuses an earlier run's teacher trains no teacher step, measures exactly the
    /// earlier run's pseudo-label quality from it, saves the same teacher weights; a teacher of another split is refused
    /// by name.</summary>
    [Fact]
    public void TeacherFrom_ReusesTheEarlierTeacher_AndRefusesAnotherSplit()
    {
        var dataset = Synth(8);
        var first = Path.Combine(Dir, "first");
        var options = new PointWssisOptions { InputSize = 64, BatchSize = 2, TeacherSteps = 3, StudentSteps = 0, Refine = false, FullFraction = 0.5, Seed = 2 };
        var a = PointWssisPipeline.Run(dataset.Root, first, options, _ => { });
        var second = Path.Combine(Dir, "second");
        var b = PointWssisPipeline.Run(dataset.Root, second, options with { TeacherFrom = first, TeacherSteps = 1 }, _ => { });
        Assert.Equal(a.Quality, b.Quality);
        Assert.DoesNotContain(Clickscape.Training.Engine.RunLog.Read(Path.Combine(second, "log.jsonl")), e => (string?)e["stage"] == "teacher");
        Assert.Equal(File.ReadAllBytes(PointWssisPipeline.ModelPath(first, "teacher")), File.ReadAllBytes(PointWssisPipeline.ModelPath(second, "teacher")));
        var e = Assert.Throws<ConfigException>(() => PointWssisPipeline.Run(dataset.Root, Path.Combine(Dir, "third"), options with { TeacherFrom = first, FullFraction = 0.25 }, _ => { }));
        Assert.Contains("full_fraction 0.5", e.Message);
        Assert.Throws<Clickscape.Data.IO.DataFormatException>(() => PointWssisPipeline.Run(dataset.Root, Path.Combine(Dir, "fourth"), options with { TeacherFrom = Path.Combine(Dir, "nothing") }, _ => { }));
    }

    /// <summary><c>--full-fraction 1</c> is the fully supervised reference: the teacher trains on every image, and the run
    /// stops there (no point images to pseudo-label), with an empty quality list rather than AP over no masks.</summary>
    [Fact]
    public void FullFractionOne_TrainsOnlyTheTeacherOnEveryImage()
    {
        var dataset = Synth(6);
        var run = Path.Combine(Dir, "full");
        var outcome = PointWssisPipeline.Run(dataset.Root, run, new PointWssisOptions { InputSize = 64, BatchSize = 2, TeacherSteps = 2, StudentSteps = 3, FullFraction = 1 }, _ => { });
        Assert.Equal((dataset.Split("train").Count, 0), (outcome.FullImages, outcome.PointImages));
        Assert.Equal(["teacher"], outcome.Models);
        Assert.Empty(outcome.Quality);
        Assert.Equal("[]", File.ReadAllText(Path.Combine(run, "quality.json")).Trim());
    }

    /// <summary>The JPEG photos of the labelme VOC sample go through the whole pipeline (21 categories, no splits: every
    /// image is a training image).</summary>
    [SkippableFact]
    public void RealSample_JpegImagesTrainEndToEnd()
    {
        var folder = Clickscape.Testing.RealData.Locate("coco/labelme_voc2011", output);
        var run = Path.Combine(Dir, "voc");
        var options = new PointWssisOptions { InputSize = 64, BatchSize = 2, TeacherSteps = 1, StudentSteps = 1, RefineSteps = 1, RefineBatchSize = 2, RefineCropSize = 32, FullFraction = 0.34 };
        var outcome = PointWssisPipeline.Run(folder, run, options, output.WriteLine);
        Assert.Equal((1, 2), (outcome.FullImages, outcome.PointImages));
        var results = PointWssisPredictor.Predict(run, "teacher", folder, ImageDataset.AllSplit);
        Assert.All(results, r => Assert.Contains((r.Mask.Width, r.Mask.Height), new[] { (500, 338), (500, 375) }));
    }
}
