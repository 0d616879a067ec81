namespace Clickscape.Geometry.Neighbors;

/// <summary>
/// A uniform grid of cubic cells, hashed by integer cell coordinates, for fixed-radius neighbour queries: with
/// the cell size at least the radius, every neighbour of a point lies in the 3 × 3 × 3 cells around its cell.
/// </summary>
/// <remarks>
/// Points are sorted by cell (a stable counting sort on the hashed cell order) so a cell is a contiguous run
/// in index order; a dictionary maps each occupied cell to its run. Distances are squared Euclidean in
/// float32 (dx² + dy² + dz²), a neighbour is at d² ≤ r², and results are in index order.
/// </remarks>
public sealed class VoxelHashGrid
{
    private readonly float[] _xyz;
    private readonly int[] _order;      // points grouped by cell, index order within a cell
    private readonly Dictionary<long, (int Start, int End)> _cells = [];
    private readonly float _inverseCell;

    /// <summary>Builds the grid over <paramref name="positions"/> with cubic cells of side <paramref name="cellSize"/>.</summary>
    public VoxelHashGrid(ReadOnlySpan<float> positions, float cellSize)
    {
        if (positions.Length % 3 != 0)
            throw new ArgumentException($"positions hold {positions.Length} floats, expected a multiple of 3 (x y z per point)", nameof(positions));
        if (!(cellSize > 0) || float.IsInfinity(cellSize))
            throw new ArgumentOutOfRangeException(nameof(cellSize), cellSize, "cell size must be a finite number > 0");
        CellSize = cellSize;
        _inverseCell = 1f / cellSize;
        _xyz = positions.ToArray();
        int n = _xyz.Length / 3;
        var keys = new long[n];
        var counts = new Dictionary<long, int>();
        for (int i = 0; i < n; i++)
        {
            keys[i] = Key(Cell(_xyz[3 * i]), Cell(_xyz[3 * i + 1]), Cell(_xyz[3 * i + 2]));
            counts[keys[i]] = counts.GetValueOrDefault(keys[i]) + 1;
        }
        int offset = 0;
        foreach (var (key, count) in counts)
        {
            _cells[key] = (offset, offset);
            offset += count;
        }
        _order = new int[n];
        for (int i = 0; i < n; i++)
        {
            var (start, end) = _cells[keys[i]];
            _order[end] = i;
            _cells[keys[i]] = (start, end + 1);
        }
    }

    /// <summary>Side of a cell.</summary>
    public float CellSize { get; }

    /// <summary>Number of points.</summary>
    public int Count => _order.Length;

    /// <summary>Number of occupied cells.</summary>
    public int CellCount => _cells.Count;

    private int Cell(float v) => (int)MathF.Floor(v * _inverseCell);

    // 21 bits per axis (±1 M cells) packed into one key; the neighbours of a cell never alias another cell
    // within that range.
    private static long Key(int x, int y, int z) =>
        ((long)(x & 0x1F_FFFF) << 42) | ((long)(y & 0x1F_FFFF) << 21) | (long)(z & 0x1F_FFFF);

    /// <summary>
    /// Appends the indices of all points within <paramref name="radius"/> (≤ <see cref="CellSize"/>) of
    /// (x, y, z) to <paramref name="result"/>, in index order.
    /// </summary>
    public void Radius(float x, float y, float z, float radius, List<int> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (radius > CellSize)
            throw new ArgumentOutOfRangeException(nameof(radius), radius, $"radius must be at most the cell size {CellSize}");
        float r2 = radius * radius;
        int cx = Cell(x), cy = Cell(y), cz = Cell(z);
        int before = result.Count;
        for (int i = -1; i <= 1; i++)
        {
            for (int j = -1; j <= 1; j++)
            {
                for (int k = -1; k <= 1; k++)
                {
                    if (!_cells.TryGetValue(Key(cx + i, cy + j, cz + k), out var run))
                        continue;
                    for (int t = run.Start; t < run.End; t++)
                    {
                        int p = _order[t];
                        float dx = _xyz[3 * p] - x, dy = _xyz[3 * p + 1] - y, dz = _xyz[3 * p + 2] - z;
                        if (dx * dx + dy * dy + dz * dz <= r2)
                            result.Add(p);
                    }
                }
            }
        }
        result.Sort(before, result.Count - before, null);
    }

    /// <summary>Neighbours within <paramref name="radius"/> of every query, as compressed rows in index order (see <see cref="KdTree.Radius(ReadOnlySpan{float}, float, int)"/>).</summary>
    public (int[] Offsets, int[] Indices) Radius(ReadOnlySpan<float> queries, float radius, int threads = 0) =>
        CompressedNeighborRows.Collect(queries, threads, (x, y, z, list) => Radius(x, y, z, radius, list));
}
