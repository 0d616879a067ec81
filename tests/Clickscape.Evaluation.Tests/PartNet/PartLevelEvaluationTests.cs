using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Evaluation.PartNet;

namespace Clickscape.Evaluation.Tests.PartNet;

/// <summary>Every level against the shapes themselves: perfect predictions score 1, missing levels are not scored, classes match by path.</summary>
public sealed class PartLevelEvaluationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("clickscape-partlevels-").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    // chair: back(1) ─ bar(2), bar(3); seat(4) (a leaf at the coarse level: middle and fine copy it)
    private static PartNetShape Chair(string id) => new(id, "Chair",
        [new PartNetNode(0, "chair", "Chair", children:
        [
            new PartNetNode(1, "back", "Back", children: [new PartNetNode(2, "bar", "Bar", ["a"]), new PartNetNode(3, "bar", "Bar", ["b"])]),
            new PartNetNode(4, "seat", "Seat", ["c"]),
        ])],
        Enumerable.Range(0, 36).Select(i => (float)i).ToArray(), [2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]);

    // a flat shape: every part right under the root, so only the coarse level exists
    private static PartNetShape Flat(string id) => new(id, "Scissors",
        [new PartNetNode(0, "scissors", "Scissors", children: [new PartNetNode(1, "blade", "Blade", ["a"]), new PartNetNode(2, "blade", "Blade", ["b"])])],
        new float[18], [1, 1, 1, 2, 2, 2]);

    private Dictionary<string, string> WriteShapes(params PartNetShape[] shapes)
    {
        var folders = new Dictionary<string, string>();
        foreach (var s in shapes)
        {
            var dir = Path.Combine(_dir, "gt", s.AnnoId);
            PartNetShapeWriter.Write(dir, s);
            folders[s.AnnoId] = dir;
        }
        return folders;
    }

    /// <summary>Writes the ground truth of every level as the prediction (confidence 1), labels from <paramref name="classes"/>.</summary>
    private string WritePerfect(IReadOnlyList<PartNetShape> shapes, string[][] classes)
    {
        var pred = Path.Combine(_dir, "pred");
        foreach (var shape in shapes)
        {
            var nodes = PartNetLevels.Nodes(shape);
            for (int k = 0; k < 3; k++)
            {
                var label = nodes[k].Select(id => Array.IndexOf(classes[k], shape.Find(id)!.Path) + 1).ToArray();
                var masks = nodes[k].Distinct().Select(id => new ScanNetPredictedMask(
                    Enumerable.Range(0, shape.PointCount).Where(i => nodes[k][i] == id).ToArray(), label[Array.IndexOf(nodes[k], id)], 1.0)).ToList();
                PartNetPredictionLayout.Write(pred, k + 1, shape.AnnoId, shape.PointCount, label, masks, classes[k]);
            }
        }
        return pred;
    }

    private static readonly string[][] Classes =
    [
        ["chair/back", "chair/seat", "scissors/blade"],
        ["chair/back/bar", "chair/seat", "scissors/blade"],
        ["chair/back/bar", "chair/seat", "scissors/blade"],
    ];

    [Fact]
    public void PerfectPredictions_ScoreOne_AtEveryLevelThatExists()
    {
        var shapes = new[] { Chair("1"), Chair("2"), Flat("3") };
        var r = PartLevelEvaluation.Evaluate(WritePerfect(shapes, Classes), WriteShapes(shapes));
        Assert.Equal(1, r.Ap25, 6);
        Assert.Equal(1, r.Ap50, 6);
        Assert.Equal(1, r.Ap75, 6);
        Assert.Equal(1, r.MeanIou, 6);
        // the chair's parts reach depth 2: its fine level is a copy of the middle one and is not scored; the flat shape has only a coarse level
        Assert.Equal([1, 2], r.Cells.Where(c => c.Category == "Chair").Select(c => c.Level));
        Assert.Equal([1], r.Cells.Where(c => c.Category == "Scissors").Select(c => c.Level));
        Assert.Equal(["chair/back/bar", "chair/seat"], r.Cells.Single(c => c.Category == "Chair" && c.Level == 2).ClassPaths);
    }

    [Fact]
    public void ClassesMatchByPath_AndAPartThePredictionsNeverNameScoresZero()
    {
        var shapes = new[] { Chair("1") };
        var gt = WriteShapes(shapes);
        // the run knows no "chair/seat": its label list names only the back; the seat is predicted nowhere
        string[][] classes = [["chair/back"], ["chair/back/bar"], ["chair/back/bar"]];
        var pred = Path.Combine(_dir, "pred2");
        var nodes = PartNetLevels.Nodes(shapes[0]);
        for (int k = 0; k < 3; k++)
        {
            var isBack = nodes[k].Select(id => shapes[0].Find(id)!.Path.StartsWith("chair/back", StringComparison.Ordinal)).ToArray();
            var masks = nodes[k].Distinct().Where(id => shapes[0].Find(id)!.Path.StartsWith("chair/back", StringComparison.Ordinal))
                .Select(id => new ScanNetPredictedMask(Enumerable.Range(0, 12).Where(i => nodes[k][i] == id).ToArray(), 1, 1.0)).ToList();
            PartNetPredictionLayout.Write(pred, k + 1, "1", 12, isBack.Select(b => b ? 1 : 0).ToArray(), masks, classes[k]);
        }
        var r = PartLevelEvaluation.Evaluate(pred, gt);
        // two classes per level, one perfect and one never predicted: AP 0.5 at every level
        Assert.All(r.Cells, c => Assert.Equal(0.5, c.Ap50, 6));
        Assert.Equal(0.5, r.Ap50, 6);
    }
}
