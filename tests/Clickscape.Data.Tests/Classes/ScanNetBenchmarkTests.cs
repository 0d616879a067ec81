using Clickscape.Data.Classes;

namespace Clickscape.Data.Tests.Classes;

public sealed class ScanNetBenchmarkTests
{
    /// <summary>The CLASS_IDS / CLASS_LABELS of the official evaluate_semantic_label.py, copied by hand.</summary>
    [Fact]
    public void Semantic20_IdsAndNames_AreTheOfficialScriptsInOrder()
    {
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 24, 28, 33, 34, 36, 39], ScanNetBenchmark.Semantic20Ids);
        Assert.Equal(
            ["wall", "floor", "cabinet", "bed", "chair", "sofa", "table", "door", "window", "bookshelf", "picture",
             "counter", "desk", "curtain", "refrigerator", "shower curtain", "toilet", "sink", "bathtub", "otherfurniture"],
            ScanNetBenchmark.Semantic20Names);
        Assert.Equal(ScanNetBenchmark.Semantic20Names, ScanNetBenchmark.Semantic20Table.Classes.Select(c => c.Name));
    }

    /// <summary>The VALID_CLASS_IDS / CLASS_LABELS of the official evaluate_semantic_instance.py.</summary>
    [Fact]
    public void Instance18_IdsAndNames_AreTheOfficialScriptsInOrder()
    {
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 24, 28, 33, 34, 36, 39], ScanNetBenchmark.Instance18Ids);
        Assert.Equal(
            ["cabinet", "bed", "chair", "sofa", "table", "door", "window", "bookshelf", "picture", "counter", "desk",
             "curtain", "refrigerator", "shower curtain", "toilet", "sink", "bathtub", "otherfurniture"],
            ScanNetBenchmark.Instance18Names);
        Assert.Equal(ScanNetBenchmark.Instance18Names, ScanNetBenchmark.Instance18Table.Classes.Select(c => c.Name));
    }
}
