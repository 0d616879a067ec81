using Clickscape.Data.Formats.Npy;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.SemanticKitti;
using Clickscape.Data.Formats.Text;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Cli.Tests.Commands;

public sealed class ConvertCommandTests : CommandTest
{
    private static Scene Source(int n)
    {
        var rng = new Random(n);
        var scene = new Scene("src", Enumerable.Range(0, 3 * n).Select(_ => (float)(rng.NextDouble() * 10 - 5)).ToArray())
        {
            Colors = new byte[3 * n],
            SemanticLabels = Enumerable.Range(0, n).Select(_ => rng.Next(41)).ToArray(),
            InstanceIds = Enumerable.Range(0, n).Select(_ => rng.Next(9)).ToArray(),
            Faces = Enumerable.Range(0, 3 * n).Select(_ => rng.Next(n)).ToArray(),
        };
        rng.NextBytes(scene.Colors);
        return scene;
    }

    [Fact]
    public void PlyToEveryFormat_KeepsWhatTheFormatCanHold()
    {
        var scene = Source(77);
        var ply = Path.Combine(Dir, "src.ply");
        PlyScene.Save(ply, scene, new PlyWriteOptions { Labels = true, Instances = true });

        Assert.Equal(0, Run("convert", ply, Path.Combine(Dir, "a.ply"), "--ascii").Code);
        var a = PlyScene.Load(Path.Combine(Dir, "a.ply"));
        Assert.Equal(PlyFormat.Ascii, PlyReader.Read(Path.Combine(Dir, "a.ply")).Format);
        Assert.Equal(scene.Positions, a.Positions);
        Assert.Equal(scene.Colors, a.Colors);
        Assert.Equal(scene.Faces, a.Faces);
        Assert.Equal(scene.SemanticLabels, a.SemanticLabels);
        Assert.Equal(scene.InstanceIds, a.InstanceIds);

        Assert.Equal(0, Run("convert", ply, Path.Combine(Dir, "b.npy")).Code);
        var b = NpyScene.Load(Path.Combine(Dir, "b.npy"));
        Assert.Equal(scene.Positions, b.Positions);
        Assert.Equal(scene.Colors, b.Colors);

        Assert.Equal(0, Run("convert", Path.Combine(Dir, "b.npy"), Path.Combine(Dir, "c.xyz")).Code);
        var c = TextPointCloud.Load(Path.Combine(Dir, "c.xyz"));
        Assert.Equal(scene.Positions, c.Positions);
        Assert.Null(c.Colors);

        Assert.Equal(0, Run("convert", ply, Path.Combine(Dir, "d.txt")).Code);
        Assert.Equal(scene.Colors, TextPointCloud.Load(Path.Combine(Dir, "d.txt")).Colors);

        Assert.Equal(0, Run("convert", ply, Path.Combine(Dir, "e.bin")).Code);
        var e = SemanticKittiScan.Load(Path.Combine(Dir, "e.bin"));
        Assert.Equal(scene.Positions, e.Positions);
        Assert.Equal(scene.SemanticLabels, e.SemanticLabels);
    }

    [Fact]
    public void UnsupportedOutputOrBadInput_ExitCode1_NoOutputFile()
    {
        var ply = Path.Combine(Dir, "src.ply");
        PlyScene.Save(ply, Source(5));
        Assert.Equal(1, Run("convert", ply, Path.Combine(Dir, "x.obj")).Code);
        File.WriteAllText(Path.Combine(Dir, "bad.ply"), "not a ply");
        Assert.Equal(1, Run("convert", Path.Combine(Dir, "bad.ply"), Path.Combine(Dir, "y.npy")).Code);
        Assert.False(File.Exists(Path.Combine(Dir, "y.npy")));
        Assert.False(File.Exists(Path.Combine(Dir, "x.obj")));
    }
}
