namespace Clickscape.Tensors.Ops;

/// <summary>
/// Source rows grouped by target row in compressed-sparse-row form: the rows r with index[r] = t are
/// <c>Rows[Offsets[t] .. Offsets[t+1]]</c>, in increasing order of r (a stable counting sort).
/// </summary>
/// <remarks>
/// This is what makes scatter-add and segment reductions deterministic and race-free: each thread owns a
/// range of TARGET rows and sums its sources in a fixed order, so results are bit-identical for any thread
/// count. Negative indices mean "no target" and are skipped.
/// </remarks>
internal sealed class RowGroups
{
    private RowGroups(int[] offsets, int[] rows)
    {
        Offsets = offsets;
        Rows = rows;
    }

    internal int[] Offsets { get; }

    internal int[] Rows { get; }

    internal int Count(int target) => Offsets[target + 1] - Offsets[target];

    internal static RowGroups Build(ReadOnlySpan<int> index, int targets, string op)
    {
        var offsets = new int[targets + 1];
        for (int r = 0; r < index.Length; r++)
        {
            int t = index[r];
            if (t < 0) continue;
            if (t >= targets) throw new ArgumentOutOfRangeException(nameof(index), $"{op}: index[{r}] = {t} is outside [0, {targets})");
            offsets[t + 1]++;
        }
        for (int t = 0; t < targets; t++) offsets[t + 1] += offsets[t];
        var rows = new int[offsets[targets]];
        var cursor = offsets.AsSpan(0, targets).ToArray();
        for (int r = 0; r < index.Length; r++)
        {
            int t = index[r];
            if (t >= 0) rows[cursor[t]++] = r;
        }
        return new RowGroups(offsets, rows);
    }
}
