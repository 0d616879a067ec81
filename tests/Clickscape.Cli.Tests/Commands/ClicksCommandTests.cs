using Clickscape.Data.Clicks;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.Synthetic.Scenes;

namespace Clickscape.Cli.Tests.Commands;

public class ClicksCommandTests : CommandTest
{
    [Theory]
    [InlineData("1t1c")]
    [InlineData("maxseg")]
    public void SimulateWritesOneValidClickFilePerScene(string policy)
    {
        var data = Path.Combine(Dir, "data");
        SceneGenerator.WriteDataset(data, 1, 5, SceneSize.Small);
        var outDir = Path.Combine(Dir, "clicks");
        var stderr = new StringWriter();
        int code = Program.Run(["clicks", "simulate", data, "--policy", policy, "--out", outDir, "--seed", "2"], new StringWriter(), stderr);
        Assert.True(code == 0, stderr.ToString());

        var scene = ScanNetScene.Load(ScanNetScene.SceneFolders(data)[0]);
        var set = ClickSet.Load(Path.Combine(outDir, $"{scene.Name}.json"));
        Assert.Null(set.Validate(scene));
        Assert.Equal(policy, set.Policy);
        Assert.Equal(scene.InstanceIds!.Where(i => i > 0).Distinct().Count(), set.Clicks.Count);
        Assert.All(set.Clicks, c => Assert.Equal(c.Object, scene.InstanceIds![c.Point]));
    }

    [Fact]
    public void UnknownPolicyAndMissingFolderAreOneLineErrors()
    {
        var stderr = new StringWriter();
        Assert.Equal(1, Program.Run(["clicks", "simulate", Dir, "--policy", "3t1c", "--out", Dir], new StringWriter(), stderr));
        Assert.Contains("unknown click policy '3t1c'", stderr.ToString());

        stderr = new StringWriter();
        Assert.Equal(1, Program.Run(["clicks", "simulate", Path.Combine(Dir, "nope"), "--out", Dir], new StringWriter(), stderr));
        Assert.Contains("no such dataset folder", stderr.ToString());
        Assert.Single(stderr.ToString().Trim().Split('\n'));
    }
}
