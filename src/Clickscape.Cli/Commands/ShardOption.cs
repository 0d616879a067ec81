using System.CommandLine;
using Clickscape.Data.Datasets;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>--shard i/n</c> (or <c>auto/n</c>, <c>auto</c>): run only shard i of n of a per-scan command
/// (<see cref="ShardSpec"/>: round-robin on the sorted scene ids; <c>auto</c> takes i from <c>JOB_COMPLETION_INDEX</c>
/// or the Slurm array index). With the option the command is resumable: a scene whose final output file exists
/// (written last, atomically) is skipped, so a re-run of a shard finishes what a killed one left. Every per-scan
/// command adds it with one line (<c>var shard = new ShardOption();</c> in its option list) and reads it with
/// <see cref="Get"/>.
/// </summary>
internal sealed class ShardOption : Option<string?>
{
    public ShardOption()
        : base("--shard")
    {
        Description = "Process only shard i of n (i/n, 0-based; auto/n takes i from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID): "
            + "scenes at positions i, i+n, … of the sorted scene ids. Scenes whose outputs are complete are skipped (resumable).";
    }

    /// <summary>The shard given, or null without the option (the whole dataset, nothing skipped).</summary>
    public ShardSpec? Get(ParseResult parse)
    {
        if (parse.GetValue(this) is not { } text) return null;
        try
        {
            return ShardSpec.Parse(text, Environment.GetEnvironmentVariable);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message, e);
        }
    }

    /// <summary>Whether a sharded run skips the scene whose final output is <paramref name="finalFile"/> (it exists: complete).</summary>
    public static bool Complete(ShardSpec? shard, string finalFile) => shard is not null && File.Exists(finalFile);
}
