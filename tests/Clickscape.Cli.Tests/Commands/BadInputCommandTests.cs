using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.SemanticKitti;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Cli.Tests.Commands;

/// <summary>The failures found under attack (issue 9), end to end through the command line: one-line errors, exit 1.</summary>
public sealed class BadInputCommandTests : CommandTest
{
    private static void AssertOneLineError((int Code, string Out, string Err) run, string expected)
    {
        Assert.Equal(1, run.Code);
        Assert.Equal("", run.Out); // no help text
        var line = run.Err.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "info", "a.ply", "--bogus" }, "Unrecognized command or argument '--bogus'")]
    [InlineData(new[] { "render", "a.ply", "--out", "a.png", "--width", "wide" }, "wide")]
    [InlineData(new[] { "evaluate", "--pred", "p" }, "'--gt' is required")]
    [InlineData(new[] { "no-such-command" }, "no-such-command")]
    public void ParseErrors_AreOneLine_WithoutHelp(string[] args, string expected)
    {
        var run = Run(args);
        AssertOneLineError(run, expected);
        Assert.Contains("--help'", run.Err, StringComparison.Ordinal);
    }

    /// <summary>Every command that computes shares one <c>--threads</c> option, so each refuses a bad count alike, before any work.</summary>
    [Theory]
    [InlineData("predict", "run", "--data", "d", "--out", "o")]
    [InlineData("pseudo-label", "run", "--data", "d", "--clicks", "c", "--out", "o")]
    [InlineData("interactive", "evaluate", "--data", "d")]
    [InlineData("bench", "parts")]
    [InlineData("bench", "interactive")]
    public void ThreadCountZero_IsOneLineError(params string[] args)
    {
        AssertOneLineError(Run([.. args, "--threads", "0"]), "--threads 0: expected a positive thread count");
    }

    /// <summary>Found while attacking: "@/dev/zero" was read as a response file until the process died (8 GB).</summary>
    [Fact]
    public void ResponseFiles_AreNotRead()
    {
        var file = Path.Combine(Dir, "args.rsp");
        File.WriteAllText(file, "--version\n");
        AssertOneLineError(Run("info", "@" + file), "no such file or folder");
        if (File.Exists("/dev/zero")) AssertOneLineError(Run("info", "@/dev/zero"), "no such file or folder");
    }

    [Fact]
    public void HelpStillPrintsHelp()
    {
        var (code, output, _) = Run("info", "--help");
        Assert.Equal(0, code);
        Assert.Contains("Description", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TokensOfTheInput_AreCleanedInErrors()
    {
        var path = Path.Combine(Dir, "evil.xyz");
        File.WriteAllText(path, "0 0 0\n1 1 \u001b[2J\u001b]0;owned\u0007" + new string('9', 200_000) + "x\n");
        var run = Run("info", path);
        Assert.Equal(1, run.Code);
        Assert.DoesNotContain('\u001b', run.Err);
        Assert.DoesNotContain('\u0007', run.Err);
        Assert.True(run.Err.Length < 2000, $"{run.Err.Length} characters of error");
    }

    [Fact]
    public void ArgumentTokens_AreCleanedInErrors()
    {
        var run = Run("info", Path.Combine(Dir, "no\u001b[31mfile.ply"));
        Assert.Equal(1, run.Code);
        Assert.DoesNotContain('\u001b', run.Err);
        Assert.Contains("\\x1B[31m", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderToJpg_IsRefused_NotPngBytesUnderAJpgName()
    {
        var ply = Path.Combine(Dir, "a.ply");
        PlyScene.Save(ply, new Scene("a", [0, 0, 0, 1, 1, 1]));
        var jpg = Path.Combine(Dir, "x.jpg");
        AssertOneLineError(Run("render", ply, "--out", jpg), "render writes PNG");
        Assert.False(File.Exists(jpg));
        Assert.Equal(0, Run("render", ply, "--out", Path.Combine(Dir, "x.PNG"), "--width", "64").Code);
    }

    [Fact]
    public void ConvertToBin_DoesNotLeaveTheLabelsOfAnEarlierConversion()
    {
        var labelled = Path.Combine(Dir, "labelled.ply");
        PlyScene.Save(labelled, new Scene("l", [0, 0, 0, 1, 1, 1]) { SemanticLabels = [3, 4], InstanceIds = [1, 2] }, new PlyWriteOptions { Labels = true, Instances = true });
        var plain = Path.Combine(Dir, "plain.ply");
        PlyScene.Save(plain, new Scene("p", [5, 5, 5, 6, 6, 6]));
        var bin = Path.Combine(Dir, "out.bin");
        Assert.Equal(0, Run("convert", labelled, bin).Code);
        Assert.Equal(new[] { 3, 4 }, SemanticKittiScan.Load(bin).SemanticLabels);
        Assert.Equal(0, Run("convert", plain, bin).Code);
        Assert.False(File.Exists(Path.ChangeExtension(bin, ".label")));
        Assert.Null(SemanticKittiScan.Load(bin).SemanticLabels);
    }

    [Fact]
    public void WriteErrors_NameTheTarget_NotTheTemporaryFile()
    {
        var ply = Path.Combine(Dir, "a.ply");
        PlyScene.Save(ply, new Scene("a", [0, 0, 0, 1, 1, 1]));
        var target = Path.Combine(Dir, "out.xyz");
        Directory.CreateDirectory(target);
        var run = Run("convert", ply, target);
        AssertOneLineError(run, target + ": cannot write");
        Assert.DoesNotContain(".tmp", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Neighbors_HaveAnUpperBound()
    {
        var ply = Path.Combine(Dir, "cloud.ply");
        PlyScene.Save(ply, new Scene("cloud", Enumerable.Range(0, 30).Select(i => (float)i).ToArray()));
        AssertOneLineError(Run("oversegment", ply, "--neighbors", "2000000000"), "expected an integer 1..256");
    }

    [Fact]
    public async Task Fifo_IsRefused_NotWaitedOn()
    {
        if (OperatingSystem.IsWindows()) return;
        var fifo = Path.Combine(Dir, "pipe.ply");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
            mkfifo.WaitForExit();
        var run = Task.Run(() => Run("info", fifo));
        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))) == run, "info waited on a FIFO");
        AssertOneLineError(await run, "FIFO");
    }

    [Fact]
    public void OneBadPartNetShape_DoesNotAbortTheListing()
    {
        void Shape(string name, string tree, string pts, string labels)
        {
            var dir = Path.Combine(Dir, "partnet", name, "point_sample");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "..", "result.json"), tree);
            File.WriteAllText(Path.Combine(dir, "pts-10000.txt"), pts);
            File.WriteAllText(Path.Combine(dir, "label-10000.txt"), labels);
        }
        Shape("100", """{"id":"x","name":"chair"}""", "0 0 0\n", "0\n");
        Shape("200", "[]", "", "");
        Shape("300", """{"id":1,"name":"chair","children":[{"id":2,"name":"leg"}]}""", "0 0 0\n1 1 1\n", "2\n2\n");
        var (code, output, error) = Run("info", Path.Combine(Dir, "partnet"));
        Assert.Equal(1, code);
        Assert.Contains("300  [partnet]", output, StringComparison.Ordinal);
        Assert.Contains("integer 'id', found String", error, StringComparison.Ordinal);
        Assert.Contains("the part tree is empty", error, StringComparison.Ordinal);
        Assert.Contains("2 of 3 scenes could not be read", error, StringComparison.Ordinal);
    }

    /// <summary>A configuration with a key written twice in one object is a one-line error naming the file — for the scene
    /// trainers' configs, PointWSSIS's and inline JSON options alike — not a crash when the object is first read.</summary>
    [Fact]
    public void ConfigWithADuplicateKey_IsAOneLineError()
    {
        var config = Path.Combine(Dir, "twice.json");
        File.WriteAllText(config, """{ "train": {"epochs": 1}, "train": {"epochs": 2} }""");
        AssertOneLineError(Run("train", "--method", "full", "--data", Dir, "--out", Path.Combine(Dir, "run1"), "--config", config), "twice.json");
        var images = Path.Combine(Dir, "twice-images.json");
        File.WriteAllText(images, """{ "student_steps": 1, "student_steps": 0 }""");
        var run = Run("train", "--method", "pointwssis", "--data", Dir, "--out", Path.Combine(Dir, "run2"), "--config", images);
        AssertOneLineError(run, "twice-images.json");
        Assert.Contains("student_steps", run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Dir, "run2")));
    }
}
