using Clickscape.Data.Formats.Npy;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.SemanticKitti;
using Clickscape.Data.Formats.Text;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Cli.Tests.Commands;

public sealed class ConvertCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("clickscape-convert-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        return Program.Run(args, output, error);
    }

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
        var ply = Path.Combine(_dir, "src.ply");
        PlyScene.Save(ply, scene, new PlyWriteOptions { Labels = true, Instances = true });

        Assert.Equal(0, Run("convert", ply, Path.Combine(_dir, "a.ply"), "--ascii"));
        var a = PlyScene.Load(Path.Combine(_dir, "a.ply"));
        Assert.Equal(PlyFormat.Ascii, PlyReader.Read(Path.Combine(_dir, "a.ply")).Format);
        Assert.Equal(scene.Positions, a.Positions);
        Assert.Equal(scene.Colors, a.Colors);
        Assert.Equal(scene.Faces, a.Faces);
        Assert.Equal(scene.SemanticLabels, a.SemanticLabels);
        Assert.Equal(scene.InstanceIds, a.InstanceIds);

        Assert.Equal(0, Run("convert", ply, Path.Combine(_dir, "b.npy")));
        var b = NpyScene.Load(Path.Combine(_dir, "b.npy"));
        Assert.Equal(scene.Positions, b.Positions);
        Assert.Equal(scene.Colors, b.Colors);

        Assert.Equal(0, Run("convert", Path.Combine(_dir, "b.npy"), Path.Combine(_dir, "c.xyz")));
        var c = TextPointCloud.Load(Path.Combine(_dir, "c.xyz"));
        Assert.Equal(scene.Positions, c.Positions);
        Assert.Null(c.Colors);

        Assert.Equal(0, Run("convert", ply, Path.Combine(_dir, "d.txt")));
        Assert.Equal(scene.Colors, TextPointCloud.Load(Path.Combine(_dir, "d.txt")).Colors);

        Assert.Equal(0, Run("convert", ply, Path.Combine(_dir, "e.bin")));
        var e = SemanticKittiScan.Load(Path.Combine(_dir, "e.bin"));
        Assert.Equal(scene.Positions, e.Positions);
        Assert.Equal(scene.SemanticLabels, e.SemanticLabels);
    }

    [Fact]
    public void UnsupportedOutputOrBadInput_ExitCode1_NoOutputFile()
    {
        var ply = Path.Combine(_dir, "src.ply");
        PlyScene.Save(ply, Source(5));
        Assert.Equal(1, Run("convert", ply, Path.Combine(_dir, "x.obj")));
        File.WriteAllText(Path.Combine(_dir, "bad.ply"), "not a ply");
        Assert.Equal(1, Run("convert", Path.Combine(_dir, "bad.ply"), Path.Combine(_dir, "y.npy")));
        Assert.False(File.Exists(Path.Combine(_dir, "y.npy")));
        Assert.False(File.Exists(Path.Combine(_dir, "x.obj")));
    }
}
