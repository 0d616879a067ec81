using System.Globalization;

namespace Clickscape.Cli.Tests.Commands;

public sealed class OversegmentQualityBenchTests : CommandTest
{
    [Fact]
    public void Prints_and_writes_one_row_per_setting_with_purity_and_recall_in_range()
    {
        var data = Path.Combine(Dir, "rooms");
        var (code, _, error) = Run("synth", "scenes", "--size", "small", "--count", "1", "--out", data);
        Assert.True(code == 0, error);
        var md = Path.Combine(Dir, "curve.md");
        (code, var output, error) = Run("bench", "oversegment-quality", data, "--method", "region-merging", "--values", "20,60", "--markdown", md);
        Assert.True(code == 0, error);
        Assert.Contains("| segments K | segments / scene | purity | boundary recall | ms / scene |", output);
        var rows = File.ReadAllLines(md).Where(l => l.StartsWith("| 20 ", StringComparison.Ordinal) || l.StartsWith("| 60 ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, rows.Length);
        foreach (var row in rows)
        {
            var cells = row.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(cells[0], cells[1]); // region merging makes exactly K segments on a room
            Assert.InRange(double.Parse(cells[2], CultureInfo.InvariantCulture), 0.5, 1);
            Assert.InRange(double.Parse(cells[3], CultureInfo.InvariantCulture), 0, 1);
        }
        // More segments are at least as pure.
        Assert.True(double.Parse(rows[1].Split('|')[3], CultureInfo.InvariantCulture) >= double.Parse(rows[0].Split('|')[3], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Local_mesh_and_the_second_pass_surface_graph_are_benchmarked()
    {
        var data = Path.Combine(Dir, "rooms");
        Assert.Equal(0, Run("synth", "scenes", "--size", "small", "--count", "1", "--scan-like", "--depth-noise", "0.001", "--out", data).Code);
        var (code, output, error) = Run("bench", "oversegment-quality", data, "--method", "local-mesh", "--values", "0.01");
        Assert.True(code == 0, error);
        Assert.Contains("local-mesh", output);
        Assert.Contains("| 0.01 / 20 (default) |", output);
        (code, output, error) = Run("bench", "oversegment-quality", data, "--method", "surface-graph", "--values", "0.03",
            "--option", "PropagateOrientation=false", "--option", "RefinementPasses=0");
        Assert.True(code == 0, error);
        Assert.Contains("| 0.03 / 60 (default) |", output);
        (code, _, error) = Run("synth", "scenes", "--count", "1", "--depth-noise", "0.001", "--out", Path.Combine(Dir, "plain"));
        Assert.Equal(1, code);
        Assert.StartsWith("error: --depth-noise: only with --scan-like", error);
    }

    [Fact]
    public void Unknown_method_and_unlabelled_scans_are_one_line_errors()
    {
        var data = Path.Combine(Dir, "rooms");
        Assert.Equal(0, Run("synth", "scenes", "--size", "small", "--count", "1", "--out", data).Code);
        var (code, _, error) = Run("bench", "oversegment-quality", data, "--method", "slic");
        Assert.Equal(1, code);
        Assert.StartsWith("error: --method slic", error);
        Assert.Single(error.Trim().Split('\n'));

        var cloud = Path.Combine(Dir, "cloud.ply");
        Data.Formats.Ply.PlyScene.Save(cloud, new Geometry.Scenes.Scene("cloud", [0, 0, 0, 1, 0, 0, 0, 1, 0]));
        (code, _, error) = Run("bench", "oversegment-quality", cloud);
        Assert.Equal(1, code);
        Assert.Contains("no instance labels", error);
    }
}
