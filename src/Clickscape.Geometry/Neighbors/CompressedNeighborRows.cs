namespace Clickscape.Geometry.Neighbors;

/// <summary>
/// Batched fixed-radius queries in compressed-row form, shared by every neighbour index (<see cref="KdTree"/>,
/// <see cref="VoxelHashGrid"/>): the neighbours of query q are <c>Indices[Offsets[q]..Offsets[q + 1]]</c>.
/// </summary>
internal static class CompressedNeighborRows
{
    /// <summary>
    /// Runs <paramref name="search"/>(x, y, z, result) for every query (in parallel blocks, each query's row
    /// filled independently, so the output does not depend on the thread count) and packs the rows.
    /// </summary>
    public static (int[] Offsets, int[] Indices) Collect(ReadOnlySpan<float> queries, int threads, Action<float, float, float, List<int>> search)
    {
        if (queries.Length % 3 != 0)
            throw new ArgumentException($"queries hold {queries.Length} floats, expected a multiple of 3", nameof(queries));
        int q = queries.Length / 3;
        var rows = new int[q][];
        var query = queries.ToArray();
        KdTree.ForEachBlock(q, threads, (from, to) =>
        {
            var list = new List<int>();
            for (int i = from; i < to; i++)
            {
                list.Clear();
                search(query[3 * i], query[3 * i + 1], query[3 * i + 2], list);
                rows[i] = [.. list];
            }
        });
        var offsets = new int[q + 1];
        for (int i = 0; i < q; i++)
            offsets[i + 1] = checked(offsets[i] + rows[i].Length);
        var indices = new int[offsets[q]];
        for (int i = 0; i < q; i++)
            rows[i].CopyTo(indices, offsets[i]);
        return (offsets, indices);
    }
}
