using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Evaluation.PartNet;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Evaluation.Tests.Formats;

/// <summary>Attack: prediction folders that escaped the containment check, hid a scene, or sized tables by a huge label.</summary>
public sealed class PredictionFolderAttackTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("clickscape-predattack-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A mask path that is a symlink to a file outside the folder passed the textual check and its
    /// first line was echoed in the error; now the real path is checked and the target is never read.</summary>
    [Fact]
    public void SymlinkedMaskOutsideTheFolder_IsRefused_WithoutReadingIt()
    {
        if (OperatingSystem.IsWindows()) return;
        var pred = Path.Combine(_root, "pred");
        Directory.CreateDirectory(Path.Combine(pred, "pred_mask"));
        var secret = Path.Combine(_root, "secret.txt");
        File.WriteAllText(secret, "hunter2-password\n");
        File.CreateSymbolicLink(Path.Combine(pred, "pred_mask", "a.txt"), secret);
        File.WriteAllText(Path.Combine(pred, "scene0000_00.txt"), "pred_mask/a.txt 5 0.9\n");
        var e = Assert.Throws<DataFormatException>(() => ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(pred, "scene0000_00.txt")));
        Assert.Contains("outside the prediction folder", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);

        // A symlink that stays inside the folder is fine.
        File.WriteAllText(Path.Combine(pred, "pred_mask", "b.txt"), "1\n0\n");
        File.CreateSymbolicLink(Path.Combine(pred, "pred_mask", "c.txt"), Path.Combine(pred, "pred_mask", "b.txt"));
        File.WriteAllText(Path.Combine(pred, "scene0000_00.txt"), "pred_mask/c.txt 5 0.9\n");
        Assert.Single(ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(pred, "scene0000_00.txt")));
    }

    /// <summary>A folder named <c>scene.txt</c> in the prediction folder was skipped in silence, and with it a scene.</summary>
    [Fact]
    public void FolderNamedLikeAPredictionFile_IsAnError()
    {
        var pred = Path.Combine(_root, "pred");
        var gt = Path.Combine(_root, "gt");
        Directory.CreateDirectory(Path.Combine(pred, "scene0001_00.txt"));
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(gt, "scene0000_00.txt"), [0, 1001]);
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(pred, "scene0000_00.txt"), [0, 1]);
        var e = Assert.Throws<DataFormatException>(() => ScanNetFolders.SceneNames(pred, gt));
        Assert.Contains("scene0001_00.txt: is a folder", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A prediction labelled 2·10⁹ made every per-class table 2·10⁹ long; classes are now the labels present.</summary>
    [Fact]
    public void HugePartLabel_CostsOneClass_NotTwoBillion()
    {
        var gt = Path.Combine(_root, "pngt");
        var pred = Path.Combine(_root, "pnpred");
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(gt, "3763.txt"), [1001, 1001, 3001, 3001, 0, 0]);
        ScanNetEvaluationFiles.WriteInstancePredictions(pred, "3763", 6,
        [
            new ScanNetPredictedMask([0, 1], 1, 0.9),
            new ScanNetPredictedMask([2, 3], 2_000_000_000, 0.8),
        ]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (shapes, classCount, labelIds) = PartNetFolders.Load(pred, gt);
        var result = new PartInstanceAp { LabelIds = labelIds }.Evaluate(shapes, classCount);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(3, classCount);
        Assert.Equal([1, 3, 2_000_000_000], labelIds);
        Assert.True(allocated < 16 << 20, $"{allocated} bytes");
        Assert.Equal(1.0, result.ClassAp[0][1], 6); // label 1: found
        Assert.Equal(0.0, result.ClassAp[1][1], 6); // label 3: has GT, predicted under another label
        Assert.True(double.IsNaN(result.ClassAp[2][1])); // label 2·10⁹: no GT
        Assert.Contains(result.Notes, n => n.StartsWith("part 2000000000:", StringComparison.Ordinal));
    }

    /// <summary>Instance ids beyond int32 saturated to int.MaxValue, merging distinct instances into one.</summary>
    [Fact]
    public void S3disInstanceIdsBeyondInt32_AreErrors_NotSaturated()
    {
        var pred = Path.Combine(_root, "s3pred");
        var gt = Path.Combine(_root, "s3gt");
        Directory.CreateDirectory(pred);
        Directory.CreateDirectory(gt);
        File.WriteAllText(Path.Combine(gt, "office_1.txt"), "0 0 0 1 1\n0 0 0 1 2\n");
        File.WriteAllText(Path.Combine(pred, "office_1.txt"), "0 0 0 1 3000000000\n0 0 0 1 4000000000\n");
        var e = Assert.Throws<DataFormatException>(() => Clickscape.Evaluation.S3dis.S3disFolders.Load(pred, gt));
        Assert.Contains("does not fit a 32-bit id", e.Message, StringComparison.Ordinal);
    }
}
