using Clickscape.Data.Datasets;

namespace Clickscape.Data.Tests.Datasets;

public sealed class ShardSpecTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static Func<string, string?> Environment(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Shards_PartitionTheItems_RoundRobinOnSortedIds()
    {
        var ids = Enumerable.Range(0, 23).Select(i => $"scene{(i * 7) % 23:D4}_00").ToList(); // listed out of order
        var shards = Enumerable.Range(0, 4).Select(i => new ShardSpec(i, 4).Select(ids, s => s)).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), shards.SelectMany(s => s).Order(StringComparer.Ordinal)); // every id once
        Assert.Equal([6, 6, 6, 5], shards.Select(s => s.Count));                                                  // sizes differ by ≤ 1
        Assert.Equal(["scene0000_00", "scene0004_00", "scene0008_00"], shards[0].Order(StringComparer.Ordinal).Take(3));
        foreach (var s in shards) Assert.Equal(ids.Where(s.Contains), s);                                          // listing order kept
    }

    [Fact]
    public void Assignment_DoesNotDependOnTheListingOrder()
    {
        var ids = Enumerable.Range(0, 10).Select(i => $"s{i}").ToList();
        var reversed = Enumerable.Reverse(ids).ToList();
        var shard = new ShardSpec(1, 3);
        Assert.Equal(shard.Select(ids, s => s).Order(), shard.Select(reversed, s => s).Order());
    }

    [Fact]
    public void Whole_IsEverything()
    {
        var ids = new[] { "b", "a" };
        Assert.Same(ids, ShardSpec.Whole.Select(ids, s => s));
    }

    [Theory]
    [InlineData("2/5", 2, 5)]
    [InlineData("0/1", 0, 1)]
    public void Parse_IndexOverCount(string text, int index, int count)
    {
        var s = ShardSpec.Parse(text, NoEnvironment);
        Assert.Equal((index, count), (s.Index, s.Count));
        Assert.Equal(text, s.ToString());
    }

    [Fact]
    public void Parse_Auto_ReadsKubernetesThenSlurm()
    {
        Assert.Equal(3, ShardSpec.Parse("auto/4", Environment(("JOB_COMPLETION_INDEX", "3"), ("SLURM_ARRAY_TASK_ID", "1"))).Index);
        Assert.Equal(1, ShardSpec.Parse("auto/4", Environment(("SLURM_ARRAY_TASK_ID", "1"))).Index);
        // an array --array=1-4 counts from its minimum
        var slurm = ShardSpec.Parse("auto", Environment(("SLURM_ARRAY_TASK_ID", "4"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "4")));
        Assert.Equal((3, 4), (slurm.Index, slurm.Count));
    }

    [Theory]
    [InlineData("auto/4", "", "neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID is set")]
    [InlineData("auto/4", "7", "outside 0..3")]
    [InlineData("auto", "1", "SLURM_ARRAY_TASK_COUNT is not set")]
    [InlineData("auto/4", "x", "JOB_COMPLETION_INDEX='x': expected an integer")]
    [InlineData("3/3", "", "expected 0 ≤ i < n")]
    [InlineData("-1/3", "", "is not a non-negative integer")]
    [InlineData("1/2/3", "", "expected i/n")]
    [InlineData("", "", "expected i/n")]
    public void Parse_BadText_SaysWhatWasExpected(string text, string index, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ShardSpec.Parse(text, Environment(("JOB_COMPLETION_INDEX", index))));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
