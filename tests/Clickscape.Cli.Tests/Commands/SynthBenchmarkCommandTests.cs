using Clickscape.Data.Formats.ScanNet;

namespace Clickscape.Cli.Tests.Commands;

public sealed class SynthBenchmarkCommandTests : CommandTest
{
    [Fact]
    public void Writes_the_ScanNet_layout_with_disjoint_splits()
    {
        var (code, output, error) = Run("synth", "benchmark", "--out", Dir, "--rooms", "5");
        Assert.True(code == 0, error);
        Assert.Contains("seed 2026", output, StringComparison.Ordinal);
        var ids = Enumerable.Range(0, 5).Select(i => $"scene{i:D4}_00").ToArray();
        Assert.Equal(ids, Directory.GetDirectories(Path.Combine(Dir, "scans")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var id in ids)
        {
            var sceneDir = Path.Combine(Dir, "scans", id);
            Assert.Equal(
                [$"{id}.aggregation.json", $"{id}_vh_clean_2.0.010000.segs.json", $"{id}_vh_clean_2.labels.ply", $"{id}_vh_clean_2.ply"],
                Directory.GetFiles(sceneDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.InRange(ScanNetScene.Load(sceneDir).PointCount, 20_000, 40_000);
        }
        var train = ScanNetSplits.Read(ScanNetSplits.PathOf(Dir, "train"));
        var val = ScanNetSplits.Read(ScanNetSplits.PathOf(Dir, "val"));
        Assert.Equal(["scene0004_00"], val);
        Assert.Empty(train.Intersect(val));
        Assert.Equal(ids, train.Concat(val).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Two_runs_write_the_same_bytes()
    {
        var a = Path.Combine(Dir, "a");
        var b = Path.Combine(Dir, "b");
        Assert.Equal(0, Run("synth", "benchmark", "--out", a, "--rooms", "2").Code);
        Assert.Equal(0, Run("synth", "benchmark", "--out", b, "--rooms", "2").Code);
        var files = Directory.GetFiles(a, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2 * 4 + 2, files.Count);
        Assert.Equal(files, Directory.GetFiles(b, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(b, f)).Order(StringComparer.Ordinal));
        foreach (var file in files)
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, file)), File.ReadAllBytes(Path.Combine(b, file)));
    }

    [Fact]
    public void Help_states_the_seed_and_size_and_hides_the_testing_option()
    {
        var (code, output, _) = Run("synth", "benchmark", "--help");
        Assert.Equal(0, code);
        Assert.Contains("seed 2026", output, StringComparison.Ordinal);
        Assert.Contains("150 small rooms", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--rooms", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--seed", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("151")]
    public void Rooms_out_of_range_is_a_one_line_error(string rooms)
    {
        var (code, _, error) = Run("synth", "benchmark", "--out", Dir, "--rooms", rooms);
        Assert.Equal(1, code);
        Assert.Contains("--rooms", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}
