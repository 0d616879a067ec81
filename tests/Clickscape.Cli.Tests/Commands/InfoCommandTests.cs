using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Cli.Tests.Commands;

public sealed class InfoCommandTests : CommandTest
{
    /// <summary>A scene of <paramref name="n"/> points: instance k (1..3) has class classes[k-1]; the rest is floor.</summary>
    private static Scene Labelled(int n, int[] classes, int seed)
    {
        var rng = new Random(seed);
        var scene = new Scene("s", Enumerable.Range(0, 3 * n).Select(_ => (float)rng.NextDouble()).ToArray())
        {
            SemanticLabels = new int[n],
            InstanceIds = new int[n],
        };
        for (int i = 0; i < n; i++)
        {
            int k = i % (classes.Length + 1);
            scene.InstanceIds[i] = k;
            scene.SemanticLabels[i] = k == 0 ? 2 : classes[k - 1];
        }
        return scene;
    }

    [Fact]
    public void ScanNetDataset_ListsEveryScene_AndSummarisesInstanceClasses()
    {
        var scans = Path.Combine(Dir, "scans");
        ScanNetSceneWriter.Write(scans, "scene0000_00", Labelled(40, [5, 5, 7], 1), Enumerable.Range(0, 40).ToArray());
        ScanNetSceneWriter.Write(scans, "scene0001_00", Labelled(30, [33], 2), Enumerable.Range(0, 30).ToArray());
        var (code, output, error) = Run("info", Dir);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("scene0000_00  [scannet]", output, StringComparison.Ordinal);
        Assert.Contains("scene0001_00  [scannet]", output, StringComparison.Ordinal);
        Assert.Contains("  points     40", output, StringComparison.Ordinal);
        Assert.Contains("  instances  3", output, StringComparison.Ordinal);
        Assert.Matches(@"\n\s+5\s+chair\s+20\s+2\n", output);
        Assert.Contains("dataset: 2 scenes, 70 points", output, StringComparison.Ordinal);
        Assert.Contains("ScanNet instance classes present: 3 of 18", output, StringComparison.Ordinal);
        Assert.Matches(@"\n\s+33\s+toilet\s+1\s+15\s+1\n", output);
    }

    [Fact]
    public void SinglePlyFile_PrintsPointsAndFaces()
    {
        var path = Path.Combine(Dir, "m.ply");
        PlyScene.Save(path, new Scene("m", new float[12]) { Faces = [0, 1, 2, 1, 2, 3] });
        var (code, output, _) = Run("info", path);
        Assert.Equal(0, code);
        Assert.Contains("m  [ply]", output, StringComparison.Ordinal);
        Assert.Contains("  points     4", output, StringComparison.Ordinal);
        Assert.Contains("  faces      2", output, StringComparison.Ordinal);
        Assert.Contains("(no labels)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void BadFile_OneLineErrorAndExitCode1_OtherScenesStillListed()
    {
        File.WriteAllText(Path.Combine(Dir, "bad.ply"), "ply\nformat ascii 1.0\nelement vertex 5\nproperty float x\nend_header\n1\n");
        PlyScene.Save(Path.Combine(Dir, "good.ply"), new Scene("good", new float[6]));
        var (code, output, error) = Run("info", Dir);
        Assert.Equal(1, code);
        Assert.Contains("good  [ply]", output, StringComparison.Ordinal);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("bad.ply: PLY body truncated", error, StringComparison.Ordinal);
        Assert.Contains("1 of 2 scenes could not be read", error, StringComparison.Ordinal);

        var (code2, _, error2) = Run("info", Path.Combine(Dir, "bad.ply"));
        Assert.Equal(1, code2);
        Assert.Single(error2.Trim().Split('\n'));
    }

    [Fact]
    public void MissingPathOrEmptyFolder_Fails()
    {
        Assert.Equal(1, Run("info", Path.Combine(Dir, "nope")).Code);
        var empty = Directory.CreateDirectory(Path.Combine(Dir, "empty")).FullName;
        var (code, _, error) = Run("info", empty);
        Assert.Equal(1, code);
        Assert.Contains("no scenes found", error, StringComparison.Ordinal);
    }
}
