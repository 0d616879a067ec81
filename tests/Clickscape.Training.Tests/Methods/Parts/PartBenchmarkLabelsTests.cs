using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Synthetic.Parts;
using Clickscape.Geometry.Scenes;
using Clickscape.Testing;
using Clickscape.Training.Configs;
using Clickscape.Training.Methods.Parts;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Methods.Parts;

/// <summary>The run's classes and training labels on PartNet's benchmark levels (<see cref="PartNetRelease"/>).</summary>
public sealed class PartBenchmarkLabelsTests : TempFolder
{
    private static string[] Paths(string list) => list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[1]).ToArray();

    [Fact]
    public void Vocabulary_IsEachListedCategorysLinesInOrder_ThenTheOtherShapesPaths()
    {
        var root = Path.Combine(Dir, "a");
        PartNetRelease.Write(root);
        // a third category the stats do not list keeps its depth levels
        var tableDir = Path.Combine(root, "data", PartShapeGenerator.AnnoId(1));
        PartNetShapeWriter.Write(tableDir, PartShapeGenerator.ToPartNet(PartShapeGenerator.Generate(2, 1), PartShapeGenerator.AnnoId(1)));
        var dataset = SceneDataset.Open(root);
        var benchmark = dataset.LoadPartNetBenchmark();
        Assert.NotNull(benchmark);
        var shapes = dataset.Scenes.Select(s => PartLabels.LoadLevels(s, benchmark, 3)).ToList();
        var vocabulary = PartLabels.Vocabulary(shapes, benchmark, 3);
        var table = PartLabels.Vocabulary([shapes.Single(s => s.Shape.Category == "Table").Shape], 3);
        string[] chair1 = Paths(PartNetRelease.ChairLevel1), chair3 = Paths(PartNetRelease.ChairLevel3), lamp1 = Paths(PartNetRelease.LampLevel1);
        Assert.Equal([.. chair1, .. lamp1, .. table[0]], vocabulary[0]);
        Assert.Equal([.. chair1, .. lamp1, .. table[1]], vocabulary[1]); // Chair level 2 and Lamp levels 2, 3 copy level 1
        Assert.Equal([.. chair3, .. lamp1, .. table[2]], vocabulary[2]);

        // the chair's labels: class index = line index (label − 1); "other" points are ignored
        var (chair, levels) = shapes.Single(s => s.Shape.Category == "Chair");
        var labels = PartLabels.Of(levels, PartLabels.RootOf(chair), vocabulary.Select(v => (IReadOnlyList<string>)v).ToList());
        for (int k = 0; k < 3; k++)
        {
            for (int i = 0; i < chair.PointCount; i++)
            {
                var path = levels.Paths[k][i];
                Assert.Equal(path is null ? Labels.Ignore : Array.IndexOf(k == 2 ? chair3 : chair1, path), labels.Class[k][i]);
            }
        }
        Assert.Contains(Labels.Ignore, labels.Class[0]);
        // a category's logits are its own lines: the chair's bias opens exactly its 4 level-1 classes
        var bias = PartLabels.CategoryBias(vocabulary.Select(v => (IReadOnlyList<string>)v).ToList(), PartLabels.RootOf(chair));
        Assert.Equal(Enumerable.Range(0, vocabulary[0].Length).Select(i => i < chair1.Length ? 0f : -1e4f), bias[0]);
    }

    [Fact]
    public void ACategoryWithMoreLevelFilesThanTheRun_IsAConfigError()
    {
        var root = Path.Combine(Dir, "b");
        PartNetRelease.Write(root);
        File.WriteAllText(Path.Combine(root, "stats", PartNetBenchmark.LabelIdsFolderName, "Chair-level-4.txt"), "1 chair/chair_back leaf\n");
        var benchmark = SceneDataset.Open(root).LoadPartNetBenchmark();
        var e = Assert.Throws<ConfigException>(() => PartsMethod.CheckLevels(benchmark, ["Lamp", "Chair"], 3));
        Assert.Contains("Chair-level-4.txt", e.Message, StringComparison.Ordinal);
        Assert.Contains("model.levels to 4", e.Message, StringComparison.Ordinal);
        PartsMethod.CheckLevels(benchmark, ["Lamp"], 3); // the lamp has one level
        PartsMethod.CheckLevels(benchmark, ["Chair"], 4);
    }
}
