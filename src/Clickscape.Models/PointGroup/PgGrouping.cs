namespace Clickscape.Models.PointGroup;

/// <summary>
/// PointGroup's dual-set point grouping at test time (Jiang et al., "PointGroup: Dual-Set Point Grouping for 3D
/// Instance Segmentation", CVPR 2020, §3.2–3.4; REFERENCE.md §2 Grouping).
/// </summary>
/// <remarks>
/// <para>Steps: (1) each point's class is the argmax of its probabilities (ties → lower class index); points of
/// <c>stuffClasses</c> (wall, floor) are never grouped. (2) <see cref="BallQueryClustering"/> over the remaining
/// points, once on the original coordinates P and once on the offset-shifted coordinates Q = P + O, each keeping
/// clusters of at least <see cref="PgGroupingOptions.MinClusterPoints"/>; the proposals are the clusters of P
/// followed by those of Q. (3) Each proposal gets its class by majority vote of the predicted classes of its points
/// (ties → lower class index) and a score. (4) Proposals scoring ≤ <see cref="PgGroupingOptions.ScoreThreshold"/>
/// are dropped, (5) <see cref="PointSetNms"/> at <see cref="PgGroupingOptions.NmsIou"/>, (6) instances with fewer
/// than <see cref="PgGroupingOptions.MinInstancePoints"/> points are dropped — the order of PointGroup's test
/// script.</para>
/// <para><b>Score — our choice, not PointGroup's.</b> PointGroup scores proposals with a trained ScoreNet; we have
/// none, so a proposal's score is the mean, over its points, of the softmax probability of its majority class.
/// It lies in [1/C, 1] for a pure cluster, so the 0.09 threshold only drops proposals the semantic head is unsure
/// of. Our point filter keeps ≥ <see cref="PgGroupingOptions.MinInstancePoints"/> (PointGroup: &gt; 100), so every
/// instance we output is one the ScanNet evaluation (min region 100 vertices) scores.</para>
/// <para>Deterministic: no randomness, and the two clusterings are independent of the thread they run on.</para>
/// </remarks>
public static class PgGrouping
{
    /// <summary>
    /// positions N×3 (metres), offsets N×3 (predicted offsets to instance centre), probabilities N×C (softmax of the
    /// semantic head), stuffClasses: class indices never grouped (wall, floor). Runs BFS over same-predicted-class
    /// points within Radius on the original and on the offset-shifted coordinates, scores clusters, NMS, class by
    /// majority vote; returns instances sorted by descending score (ties: clusters of the original coordinates
    /// first, then by lowest point index).
    /// </summary>
    public static IReadOnlyList<PgInstance> Group(ReadOnlySpan<float> positions, ReadOnlySpan<float> offsets, ReadOnlySpan<float> probabilities,
        int classes, IReadOnlySet<int> stuffClasses, PgGroupingOptions options)
    {
        ArgumentNullException.ThrowIfNull(stuffClasses);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (positions.Length % 3 != 0)
            throw new ArgumentException($"PointGroup grouping: {positions.Length} position values, expected 3 per point", nameof(positions));
        int n = positions.Length / 3;
        if (offsets.Length != positions.Length)
            throw new ArgumentException($"PointGroup grouping: {offsets.Length} offset values for {n} points, expected {3 * n}", nameof(offsets));
        if (probabilities.Length != (long)n * classes)
            throw new ArgumentException($"PointGroup grouping: {probabilities.Length} probabilities for {n} points × {classes} classes, expected {(long)n * classes}", nameof(probabilities));
        Validate(options);

        // (1) Predicted classes; the grouped subset keeps index order, so the ball query's cap sees the same order.
        var predicted = PgClusterScore.Argmax(probabilities, classes);
        var objects = new List<int>(n);
        for (int i = 0; i < n; i++)
        {
            if (!stuffClasses.Contains(predicted[i]))
                objects.Add(i);
        }
        int m = objects.Count;
        var original = new float[3 * m];
        var shifted = new float[3 * m];
        var labels = new int[m];
        for (int j = 0; j < m; j++)
        {
            int i = objects[j];
            for (int a = 0; a < 3; a++)
            {
                original[3 * j + a] = positions[3 * i + a];
                shifted[3 * j + a] = positions[3 * i + a] + offsets[3 * i + a];
            }
            labels[j] = predicted[i];
        }

        // (2) The two sets, independently (in parallel when a core is free).
        List<int[]> setP = [], setQ = [];
        Parallel.Invoke(
            () => setP = BallQueryClustering.Cluster(original, labels, options.Radius, options.MaxNeighbours, options.MinClusterPoints),
            () => setQ = BallQueryClustering.Cluster(shifted, labels, options.Radius, options.MaxNeighbours, options.MinClusterPoints));

        // (3) + (4) Class, score and the score filter; cluster members go back to scan point indices (still ascending).
        var proposals = new List<int[]>();
        var proposalClasses = new List<int>();
        var scores = new List<float>();
        foreach (var cluster in setP.Concat(setQ))
        {
            var points = new int[cluster.Length];
            for (int t = 0; t < points.Length; t++)
                points[t] = objects[cluster[t]];
            var (cls, score) = PgClusterScore.MajorityMeanProbability(points, predicted, probabilities, classes);
            if (!(score > options.ScoreThreshold))
                continue;
            proposals.Add(points);
            proposalClasses.Add(cls);
            scores.Add(score);
        }

        // (5) NMS, (6) the point filter.
        var kept = PointSetNms.Suppress(proposals, scores.ToArray(), options.NmsIou, n);
        var instances = new List<PgInstance>(kept.Length);
        foreach (int k in kept)
        {
            if (proposals[k].Length >= options.MinInstancePoints)
                instances.Add(new PgInstance(proposalClasses[k], scores[k], proposals[k]));
        }
        return instances;
    }

    private static void Validate(PgGroupingOptions o)
    {
        if (!(o.Radius > 0) || float.IsInfinity(o.Radius))
            throw new ArgumentOutOfRangeException(nameof(o), o.Radius, "PgGroupingOptions.Radius must be a finite number > 0");
        if (o.MaxNeighbours < 0)
            throw new ArgumentOutOfRangeException(nameof(o), o.MaxNeighbours, "PgGroupingOptions.MaxNeighbours must be ≥ 0 (0 = no cap)");
        if (o.MinClusterPoints < 0 || o.MinInstancePoints < 0)
            throw new ArgumentOutOfRangeException(nameof(o), "PgGroupingOptions.MinClusterPoints and MinInstancePoints must be ≥ 0");
        if (float.IsNaN(o.ScoreThreshold) || float.IsNaN(o.NmsIou))
            throw new ArgumentOutOfRangeException(nameof(o), "PgGroupingOptions.ScoreThreshold and NmsIou must be numbers");
    }
}
