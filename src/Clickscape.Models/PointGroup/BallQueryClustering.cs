namespace Clickscape.Models.PointGroup;

/// <summary>
/// PointGroup's clustering step (Jiang et al., "PointGroup: Dual-Set Point Grouping for 3D Instance Segmentation",
/// CVPR 2020, Algorithm 1; REFERENCE.md §2 Grouping): breadth-first search from every unvisited point through its
/// ball-query neighbours (distance ≤ radius) that carry the same label, keeping clusters of at least
/// <c>minPoints</c> points.
/// </summary>
/// <remarks>
/// <para>Definition. Seeds are taken in index order; a point belongs to the first cluster that reaches it. Expanding
/// a point p takes the unvisited points of p's label within the radius (d² ≤ r², float32), at most
/// <c>maxNeighbours</c> of them (0 = no cap), lowest indices first. Without the cap binding, the clusters are
/// exactly the connected components of the same-label radius graph.</para>
/// <para>The cap differs from PointGroup's on purpose. PointGroup's ball query returns the first 1000 points within
/// the radius in index order, visited ones and those of other classes included, to bound a GPU buffer. Where
/// offset-shifted points collapse onto an instance centre (thousands per ball), every point's capped ball is then the
/// same 1000 lowest-index points, and the cluster is cut to those 1000. Our query counts only the points the search
/// can still take, so the cap bounds what one expansion adds without cutting dense clusters; it changes a cluster
/// only when a point is within the radius of a single saturated point and of no later one.</para>
/// <para>Work and memory. Points are binned into cubic cells of side r, per (cell, label); each bin keeps a list of
/// its unvisited points (swap-removed when visited), so an expansion scans only the unvisited same-label points in the
/// 27 cells around p, and a region whose points are all visited costs nothing more. No neighbour rows are
/// materialised, so memory stays O(N) however dense the balls are. (<see cref="Geometry.Neighbors.VoxelHashGrid"/>
/// answers static radius queries; this search needs the shrinking unvisited lists.) Label sentinel: a negative
/// label joins no cluster, as <see cref="Geometry.Scenes.Labels.Noise"/> in other clusterings.</para>
/// </remarks>
public static class BallQueryClustering
{
    /// <summary>
    /// Clusters of <paramref name="positions"/> (x, y, z per point): each an ascending array of point indices,
    /// in order of their seed (lowest index).
    /// </summary>
    /// <param name="positions">x, y, z per point.</param>
    /// <param name="labels">Label per point (predicted class); negative = never clustered.</param>
    /// <param name="radius">Ball-query radius (PointGroup: 0.03 m).</param>
    /// <param name="maxNeighbours">Cap on the points one expansion adds, 0 = none (PointGroup: 1000).</param>
    /// <param name="minPoints">Smallest cluster kept (PointGroup: 50).</param>
    public static List<int[]> Cluster(ReadOnlySpan<float> positions, ReadOnlySpan<int> labels, float radius, int maxNeighbours, int minPoints)
    {
        if (positions.Length != 3L * labels.Length)
            throw new ArgumentException($"{positions.Length} position values for {labels.Length} labels, expected 3 per point", nameof(positions));
        if (!(radius > 0) || float.IsInfinity(radius))
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "radius must be a finite number > 0");
        ArgumentOutOfRangeException.ThrowIfNegative(maxNeighbours);
        var bins = new Bins(positions, labels, radius);
        int n = labels.Length;
        float r2 = radius * radius;
        var clusters = new List<int[]>();
        var queue = new int[n];
        var candidates = new List<int>();
        for (int seed = 0; seed < n; seed++)
        {
            if (labels[seed] < 0 || bins.IsVisited(seed))
                continue;
            int head = 0, tail = 0;
            bins.Remove(seed);
            queue[tail++] = seed;
            while (head < tail)
            {
                int p = queue[head++];
                float x = positions[3 * p], y = positions[3 * p + 1], z = positions[3 * p + 2];
                candidates.Clear();
                bins.CollectUnvisited(p, x, y, z, r2, candidates);
                int take = candidates.Count;
                if (maxNeighbours > 0 && take > maxNeighbours)
                {
                    candidates.Sort();
                    take = maxNeighbours;
                }
                for (int t = 0; t < take; t++)
                {
                    bins.Remove(candidates[t]);
                    queue[tail++] = candidates[t];
                }
            }
            if (tail >= Math.Max(minPoints, 1))
            {
                var members = queue.AsSpan(0, tail).ToArray();
                Array.Sort(members);
                clusters.Add(members);
            }
        }
        return clusters;
    }

    /// <summary>
    /// Points binned per (cell of side r, label), each bin a run of slots whose first <c>_live[b]</c> hold its
    /// unvisited points (positions copied beside them, so a scan reads one contiguous run).
    /// </summary>
    private sealed class Bins
    {
        private readonly int[] _binOf;        // point → bin, −1 for negative labels
        private readonly int[] _start;        // bin → first slot
        private readonly int[] _live;         // bin → unvisited points in its run
        private readonly int[] _slotPoint;    // slot → point
        private readonly float[] _slotXyz;    // slot → x, y, z
        private readonly int[] _slotOf;       // point → slot, −1 once visited
        private readonly int[] _neighbourStart; // bin → its same-label neighbour bins (27 cells, itself included), compressed rows
        private readonly int[] _neighbours;

        public Bins(ReadOnlySpan<float> positions, ReadOnlySpan<int> labels, float radius)
        {
            int n = labels.Length;
            float inverse = 1f / radius;
            _binOf = new int[n];
            var index = new Dictionary<(long Cell, int Label), int>();
            var cells = new List<(int X, int Y, int Z, int Label)>();
            for (int i = 0; i < n; i++)
            {
                if (labels[i] < 0)
                {
                    _binOf[i] = -1;
                    continue;
                }
                int cx = Cell(positions[3 * i], inverse), cy = Cell(positions[3 * i + 1], inverse), cz = Cell(positions[3 * i + 2], inverse);
                var key = (Key(cx, cy, cz), labels[i]);
                if (!index.TryGetValue(key, out int bin))
                {
                    bin = cells.Count;
                    index[key] = bin;
                    cells.Add((cx, cy, cz, labels[i]));
                }
                _binOf[i] = bin;
            }

            // Counting sort of the points into their bins' runs (index order within a run).
            int bins = cells.Count;
            _start = new int[bins + 1];
            _live = new int[bins];
            for (int i = 0; i < n; i++)
            {
                if (_binOf[i] >= 0)
                    _live[_binOf[i]]++;
            }
            for (int b = 0; b < bins; b++)
                _start[b + 1] = _start[b] + _live[b];
            int slots = _start[bins];
            _slotPoint = new int[slots];
            _slotXyz = new float[3 * slots];
            _slotOf = new int[n];
            var fill = _start.AsSpan(0, bins).ToArray();
            for (int i = 0; i < n; i++)
            {
                int b = _binOf[i];
                if (b < 0)
                {
                    _slotOf[i] = -1;
                    continue;
                }
                int s = fill[b]++;
                _slotPoint[s] = i;
                _slotOf[i] = s;
                _slotXyz[3 * s] = positions[3 * i];
                _slotXyz[3 * s + 1] = positions[3 * i + 1];
                _slotXyz[3 * s + 2] = positions[3 * i + 2];
            }

            // Same-label bins of the 27 cells around each bin, each listed once (far-away cells can alias in the
            // packed key; aliasing only adds candidates that the distance test rejects).
            _neighbourStart = new int[bins + 1];
            var neighbours = new List<int>();
            var row = new List<int>(27);
            for (int b = 0; b < bins; b++)
            {
                var (cx, cy, cz, label) = cells[b];
                row.Clear();
                for (int dx = -1; dx <= 1; dx++)
                {
                    for (int dy = -1; dy <= 1; dy++)
                    {
                        for (int dz = -1; dz <= 1; dz++)
                        {
                            if (index.TryGetValue((Key(cx + dx, cy + dy, cz + dz), label), out int other) && !row.Contains(other))
                                row.Add(other);
                        }
                    }
                }
                neighbours.AddRange(row);
                _neighbourStart[b + 1] = neighbours.Count;
            }
            _neighbours = [.. neighbours];
        }

        public bool IsVisited(int point) => _slotOf[point] < 0;

        /// <summary>Appends the unvisited points within √r2 of (x, y, z) in the bins around <paramref name="point"/>'s bin.</summary>
        public void CollectUnvisited(int point, float x, float y, float z, float r2, List<int> result)
        {
            int bin = _binOf[point];
            var xyz = _slotXyz;
            for (int t = _neighbourStart[bin]; t < _neighbourStart[bin + 1]; t++)
            {
                int b = _neighbours[t];
                int end = _start[b] + _live[b];
                for (int s = _start[b]; s < end; s++)
                {
                    float dx = xyz[3 * s] - x, dy = xyz[3 * s + 1] - y, dz = xyz[3 * s + 2] - z;
                    if (dx * dx + dy * dy + dz * dz <= r2)
                        result.Add(_slotPoint[s]);
                }
            }
        }

        /// <summary>Marks <paramref name="point"/> visited: the last unvisited slot of its bin moves into its slot.</summary>
        public void Remove(int point)
        {
            int b = _binOf[point];
            int s = _slotOf[point];
            int last = _start[b] + --_live[b];
            int moved = _slotPoint[last];
            _slotPoint[s] = moved;
            _slotOf[moved] = s;
            _slotXyz[3 * s] = _slotXyz[3 * last];
            _slotXyz[3 * s + 1] = _slotXyz[3 * last + 1];
            _slotXyz[3 * s + 2] = _slotXyz[3 * last + 2];
            _slotPoint[last] = point;
            _slotOf[point] = -1;
        }

        // Saturating float → int (NaN → 0 in .NET), then 21 bits per axis packed into one key.
        private static int Cell(float v, float inverse) => (int)MathF.Floor(v * inverse);

        private static long Key(int x, int y, int z) =>
            ((long)(x & 0x1F_FFFF) << 42) | ((long)(y & 0x1F_FFFF) << 21) | (long)(z & 0x1F_FFFF);
    }
}
