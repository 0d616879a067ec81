using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Evaluation.PartNet;
using Clickscape.Testing;

namespace Clickscape.Evaluation.Tests.PartNet;

/// <summary>
/// <see cref="PartLevelEvaluation"/> on PartNet's benchmark levels (<see cref="PartNetRelease"/>): the ground truth itself
/// scores AP 1 on the levels the stats list (Chair 1 and 3, Lamp 1), "other" points are ignored, and a missing part costs.
/// </summary>
public sealed class PartNetBenchmarkEvaluationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("clickscape-partnet-benchmark-").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    private (Dictionary<string, string> Folders, PartNetBenchmark Benchmark, string[][] Classes) Release()
    {
        var root = Path.Combine(_dir, "release");
        var shapes = PartNetRelease.Write(root);
        var benchmark = PartNetBenchmark.LoadStats(Path.Combine(root, "stats"))!;
        var folders = shapes.ToDictionary(s => s.AnnoId, s => Path.Combine(root, "data", s.AnnoId));
        var classes = Enumerable.Range(1, 3).Select(k => benchmark.Categories.Values.SelectMany(c => c.ClassesAt(k)).Distinct().ToArray()).ToArray();
        return (folders, benchmark, classes);
    }

    /// <summary>The benchmark ground truth as the prediction, one mask per instance (confidence 1); <paramref name="edit"/> may change a level's masks.</summary>
    private string WritePrediction(Dictionary<string, string> folders, PartNetBenchmark benchmark, string[][] classes, string name,
        Func<string, int, List<ScanNetPredictedMask>, int[], List<ScanNetPredictedMask>>? edit = null)
    {
        var pred = Path.Combine(_dir, name);
        foreach (var (id, folder) in folders)
        {
            var shape = PartNetShape.Load(folder);
            var labels = PartNetLevels.Of(folder, shape, benchmark);
            for (int k = 0; k < 3; k++)
            {
                var label = labels.Paths[k].Select(p => p is null ? 0 : Array.IndexOf(classes[k], p) + 1).ToArray();
                Assert.All(labels.Paths[k].OfType<string>(), p => Assert.Contains(p, classes[k])); // every listed path has a class
                var masks = Enumerable.Range(0, shape.PointCount).Where(i => label[i] > 0)
                    .GroupBy(i => (label[i], labels.Instances[k][i]))
                    .Select(g => new ScanNetPredictedMask(g.ToArray(), g.Key.Item1, 1.0)).ToList();
                if (edit is not null) masks = edit(id, k + 1, masks, label);
                PartNetPredictionLayout.Write(pred, k + 1, id, shape.PointCount, label, masks, classes[k]);
            }
        }
        return pred;
    }

    [Fact]
    public void GroundTruth_ScoresOne_OnTheLevelsTheStatsList()
    {
        var (folders, benchmark, classes) = Release();
        var r = PartLevelEvaluation.Evaluate(WritePrediction(folders, benchmark, classes, "pred"), folders, benchmark);
        Assert.Equal([1, 3], r.Cells.Where(c => c.Category == "Chair").Select(c => c.Level));
        Assert.Equal([1], r.Cells.Where(c => c.Category == "Lamp").Select(c => c.Level));
        Assert.All(r.Cells, c =>
        {
            Assert.Equal(1, c.Ap25, 6);
            Assert.Equal(1, c.Ap50, 6);
            Assert.Equal(1, c.Ap75, 6);
            Assert.Equal(1, c.MeanIou, 6);
        });
        Assert.Equal(1, r.Ap50, 6);
        // the classes scored are the listed parts present: at chair level 1 back, seat and base (no head, the arms are other)
        Assert.Equal(["chair/chair_back", "chair/chair_seat", "chair/chair_base"], r.Cells.Single(c => c.Category == "Chair" && c.Level == 1).ClassPaths);
    }

    [Fact]
    public void OtherPoints_AreIgnored_AndAMissingPartCosts()
    {
        var (folders, benchmark, classes) = Release();
        // every chair mask also takes all "other" points (the arms at level 1): removed before matching, still AP 1
        var greedy = WritePrediction(folders, benchmark, classes, "greedy", (id, level, masks, label) =>
        {
            var other = Enumerable.Range(0, label.Length).Where(i => label[i] == 0).ToArray();
            Assert.True(id != PartNetRelease.Chair || level == 2 || other.Length > 0);
            return masks.Select(m => m with { Vertices = m.Vertices.Concat(other).Order().ToArray() }).ToList();
        });
        var r = PartLevelEvaluation.Evaluate(greedy, folders, benchmark);
        Assert.All(r.Cells, c => Assert.Equal(1, c.Ap50, 6));
        // the chair's fine level without one of its five legs: recall 4/5 for the leg class
        var legless = WritePrediction(folders, benchmark, classes, "legless", (id, level, masks, label) =>
        {
            if (id != PartNetRelease.Chair || level != 3) return masks;
            int leg = Array.IndexOf(classes[2], "chair/chair_base/star_leg_base/leg") + 1;
            var first = masks.First(m => m.LabelId == leg);
            return masks.Where(m => !ReferenceEquals(m, first)).ToList();
        });
        r = PartLevelEvaluation.Evaluate(legless, folders, benchmark);
        var fine = r.Cells.Single(c => c.Category == "Chair" && c.Level == 3);
        int legClass = fine.ClassPaths.ToList().IndexOf("chair/chair_base/star_leg_base/leg");
        Assert.Equal(81.0 / 101, fine.Detail.ClassAp[legClass][1], 5); // precision 1 up to recall 0.8 of 101 points
        Assert.True(fine.Ap50 < 1);
        Assert.Equal(1, r.Cells.Single(c => c.Category == "Chair" && c.Level == 1).Ap50, 6);
    }

    [Fact]
    public void WithoutTheStats_TheSameShapesAreScoredOnTheirDepthLevels()
    {
        var (folders, benchmark, classes) = Release();
        var r = PartLevelEvaluation.Evaluate(WritePrediction(folders, benchmark, classes, "pred"), folders);
        // the chair's tree reaches depth 4: depth levels 1, 2, 3 all exist
        Assert.Equal([1, 2, 3], r.Cells.Where(c => c.Category == "Chair").Select(c => c.Level));
        Assert.True(r.Ap50 < 1); // the benchmark prediction is not the depth-level truth
    }
}
