using Clickscape.Data.Formats.SemanticKitti;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Formats.SemanticKitti;

public class SemanticKittiScanTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1001)]
    public void RoundTrip_PositionsLabelsInstancesRemission(int n)
    {
        var scene = TestScenes.Random(n + 3, n, faces: false, maxLabel: 259, maxInstance: 0);
        var rng = new Random(n);
        // Instances 1..K, each with one class (as SemanticKITTI cars).
        var classOf = new[] { 0, 10, 10, 20, 30, 252 };
        for (int i = 0; i < n; i++)
        {
            int k = rng.Next(6);
            scene.InstanceIds![i] = k;
            if (k != 0) scene.SemanticLabels![i] = classOf[k];
        }
        // Renumber to the compact 1..K order the reader produces (ascending instance id).
        var remission = Enumerable.Range(0, n).Select(i => (float)rng.NextDouble()).ToArray();
        var dir = TestScenes.TempDir();
        SemanticKittiScan.Save(Path.Combine(dir, "000007.bin"), Path.Combine(dir, "000007.label"), scene, remission);
        var sweep = SemanticKittiScan.LoadWithRemission(Path.Combine(dir, "000007.bin"));
        Assert.Equal(scene.Positions, sweep.Scene.Positions);
        Assert.Equal(scene.SemanticLabels, sweep.Scene.SemanticLabels);
        var present = scene.InstanceIds!.Where(k => k != 0).Distinct().Order().ToList();
        Assert.Equal(scene.InstanceIds!.Select(k => k == 0 ? 0 : present.IndexOf(k) + 1), sweep.Scene.InstanceIds);
        Assert.Equal(remission, sweep.Remission);
        Assert.Equal("semantickitti", sweep.Scene.Classes!.Name);
    }

    [Fact]
    public void SharedInstanceIdAcrossClasses_BecomesTwoInstances()
    {
        var scene = new Scene("s", new float[9]) { SemanticLabels = [10, 30, 10], InstanceIds = [1, 1, 0] };
        var dir = TestScenes.TempDir();
        SemanticKittiScan.Save(Path.Combine(dir, "a.bin"), Path.Combine(dir, "a.label"), scene);
        Assert.Equal(new[] { 1, 2, 0 }, SemanticKittiScan.Load(Path.Combine(dir, "a.bin")).InstanceIds);
    }

    [Fact]
    public void WrongSizes_Throw()
    {
        var dir = TestScenes.TempDir();
        File.WriteAllBytes(Path.Combine(dir, "a.bin"), new byte[17]);
        Assert.Contains("whole number of points", Assert.Throws<DataFormatException>(() => SemanticKittiScan.Load(Path.Combine(dir, "a.bin"))).Message, StringComparison.Ordinal);
        File.WriteAllBytes(Path.Combine(dir, "b.bin"), new byte[32]);
        File.WriteAllBytes(Path.Combine(dir, "b.label"), new byte[12]);
        Assert.Contains("3 labels for 2 points", Assert.Throws<DataFormatException>(() => SemanticKittiScan.Load(Path.Combine(dir, "b.bin"))).Message, StringComparison.Ordinal);
    }
}

/// <summary>Attack: converting an unlabelled scene to .bin left the .label of an earlier conversion beside it.</summary>
public class SemanticKittiStaleLabelTests
{
    [Fact]
    public void SavingWithoutLabels_RemovesAStaleLabelFile()
    {
        var dir = TestScenes.TempDir();
        var bin = Path.Combine(dir, "000001.bin");
        var label = Path.Combine(dir, "000001.label");
        SemanticKittiScan.Save(bin, label, TestScenes.Random(1, 8, faces: false, maxLabel: 5, maxInstance: 3));
        Assert.True(File.Exists(label));
        var unlabelled = new Clickscape.Geometry.Scenes.Scene("plain", new float[3 * 8]);
        SemanticKittiScan.Save(bin, label, unlabelled);
        Assert.False(File.Exists(label));
        Assert.Null(SemanticKittiScan.Load(bin).SemanticLabels);
    }

    [Fact]
    public void IdsBeyond16Bits_AreADataFormatError_BeforeAnythingIsWritten()
    {
        var dir = TestScenes.TempDir();
        var bin = Path.Combine(dir, "000002.bin");
        var label = Path.Combine(dir, "000002.label");
        SemanticKittiScan.Save(bin, label, TestScenes.Random(2, 4, faces: false, maxLabel: 5, maxInstance: 3));
        byte[] binBefore = File.ReadAllBytes(bin), labelBefore = File.ReadAllBytes(label);
        var big = new Clickscape.Geometry.Scenes.Scene("big", new float[3 * 2]) { SemanticLabels = [1, 70000] };
        var e = Assert.Throws<DataFormatException>(() => SemanticKittiScan.Save(bin, label, big));
        Assert.Contains("point 1: semantic 70000", e.Message, StringComparison.Ordinal);
        Assert.Equal(binBefore, File.ReadAllBytes(bin));
        Assert.Equal(labelBefore, File.ReadAllBytes(label));
    }
}
