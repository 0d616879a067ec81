using System.Globalization;

namespace Clickscape.Data.Datasets;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> of a per-scan job (<c>--shard i/n</c>): the deterministic split
/// that lets a Slurm job array or a Kubernetes indexed Job run one command over a dataset on n machines with no
/// coordinator. Round-robin on the ordinal-sorted stable scene ids: the scene at position p of the sorted ids
/// belongs to shard p mod n — every shard computes the same assignment from the listing alone, shard sizes differ by
/// at most one, and the shards' union is the whole listing with no scene twice. Outputs are one file set per scene,
/// so they merge by file.
/// </summary>
/// <remarks>
/// Round-robin rather than a hash of the id: a hash balances only in expectation (64 shards of ScanNet's 1 513 scans
/// would differ by ±20 %), and the position rule needs no more than the listing every shard already reads. It assumes
/// the listing does not change while the shards run; re-running every shard after a change completes what moved,
/// since a re-run skips the scenes whose outputs are complete.
/// </remarks>
public sealed record ShardSpec
{
    /// <summary>The environment variables <c>auto</c> reads the index from, in order: a Kubernetes indexed Job, a Slurm array.</summary>
    public static IReadOnlyList<string> IndexVariables { get; } = ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"];

    /// <summary>The shard of a single run: everything.</summary>
    public static ShardSpec Whole { get; } = new(0, 1);

    /// <summary>Shard <paramref name="index"/> of <paramref name="count"/>.</summary>
    public ShardSpec(int index, int count)
    {
        if (count < 1) throw new ArgumentException($"shard count {count}: expected ≥ 1");
        if (index < 0 || index >= count) throw new ArgumentException($"shard index {index}: expected 0..{count - 1} for {count} shards");
        Index = index;
        Count = count;
    }

    /// <summary>The shard's index, 0-based.</summary>
    public int Index { get; }

    /// <summary>The number of shards.</summary>
    public int Count { get; }

    /// <summary>
    /// Parses <c>i/n</c> (0 ≤ i &lt; n), <c>auto/n</c> (i from <c>JOB_COMPLETION_INDEX</c>, else
    /// <c>SLURM_ARRAY_TASK_ID</c> − <c>SLURM_ARRAY_TASK_MIN</c>) or <c>auto</c> (also n from
    /// <c>SLURM_ARRAY_TASK_COUNT</c>); <paramref name="environment"/> looks variables up. Bad text or a missing
    /// variable is an <see cref="ArgumentException"/> naming what was expected.
    /// </summary>
    public static ShardSpec Parse(string text, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(environment);
        var parts = text.Split('/');
        if (parts.Length > 2 || parts[0].Length == 0)
            throw new ArgumentException($"--shard '{text}': expected i/n (e.g. 0/4), auto/n or auto");
        int count;
        if (parts.Length == 2) count = ParseInt(parts[1], text, "n");
        else if (parts[0] == "auto") count = FromEnvironment("SLURM_ARRAY_TASK_COUNT", environment)
            ?? throw new ArgumentException($"--shard auto: SLURM_ARRAY_TASK_COUNT is not set; give the count as auto/n");
        else throw new ArgumentException($"--shard '{text}': expected i/n (e.g. 0/4), auto/n or auto");
        if (count < 1) throw new ArgumentException($"--shard '{text}': expected n ≥ 1");

        int index;
        if (parts[0] == "auto")
        {
            int? found = FromEnvironment("JOB_COMPLETION_INDEX", environment);
            if (found is null && FromEnvironment("SLURM_ARRAY_TASK_ID", environment) is int task)
                found = task - (FromEnvironment("SLURM_ARRAY_TASK_MIN", environment) ?? 0);
            index = found ?? throw new ArgumentException($"--shard {text}: neither {string.Join(" nor ", IndexVariables)} is set (run it in a Kubernetes indexed Job or a Slurm array, or give i/n)");
            if (index < 0 || index >= count)
                throw new ArgumentException($"--shard {text}: the job's index {index} is outside 0..{count - 1} (a Slurm array must be contiguous, e.g. --array=0-{count - 1})");
        }
        else
        {
            index = ParseInt(parts[0], text, "i");
            if (index >= count) throw new ArgumentException($"--shard '{text}': expected 0 ≤ i < n");
        }
        return new ShardSpec(index, count);
    }

    /// <summary>The items of this shard, in their given order: those whose id is at a position ≡ <see cref="Index"/> (mod <see cref="Count"/>) of the ordinal-sorted ids.</summary>
    public IReadOnlyList<T> Select<T>(IReadOnlyList<T> items, Func<T, string> id)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(id);
        if (Count == 1) return items;
        var sorted = Enumerable.Range(0, items.Count).OrderBy(i => id(items[i]), StringComparer.Ordinal).ToArray();
        var mine = new bool[items.Count];
        for (int p = Index; p < sorted.Length; p += Count) mine[sorted[p]] = true;
        return items.Where((_, i) => mine[i]).ToList();
    }

    /// <summary>The scenes of this shard (by <see cref="SceneSource.Name"/>, the stable scene id).</summary>
    public IReadOnlyList<SceneSource> Select(IReadOnlyList<SceneSource> scenes) => Select(scenes, s => s.Name);

    /// <summary><c>i/n</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    private static int ParseInt(string s, string text, string what) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new ArgumentException($"--shard '{text}': {what} '{s}' is not a non-negative integer (expected i/n, e.g. 0/4)");

    private static int? FromEnvironment(string name, Func<string, string?> environment)
    {
        if (environment(name) is not { Length: > 0 } value) return null;
        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new ArgumentException($"environment variable {name}='{value}': expected an integer");
    }
}
