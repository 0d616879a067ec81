namespace Clickscape.Geometry.Scenes;

/// <summary>
/// The label sentinels of every layer, named once, and the conversions between them. A scene stores NYU40-style
/// ids where 0 means "nobody annotated this point" (<see cref="Unlabelled"/>) and instance ids 1..K where 0 means
/// "no instance" (<see cref="NoInstance"/>); loss targets are class indices 0..C−1 with <see cref="Ignore"/> (−100,
/// PyTorch's <c>ignore_index</c>) for points the loss skips; clusterings return cluster ids 0..K−1 with
/// <see cref="Noise"/> (−1) for points in no cluster.
/// </summary>
public static class Labels
{
    /// <summary>Semantic label of an unannotated point in a <see cref="Scene"/> (ScanNet's nyu40 0).</summary>
    public const int Unlabelled = Scene.Unlabelled;

    /// <summary>Instance id of a point that belongs to no instance in a <see cref="Scene"/>.</summary>
    public const int NoInstance = Scene.NoInstance;

    /// <summary>A loss target the loss skips (semantic and instance targets alike).</summary>
    public const int Ignore = -100;

    /// <summary>A point that a clustering put in no cluster.</summary>
    public const int Noise = -1;

    /// <summary>
    /// Scene class ids → loss targets: the index of each id in <paramref name="classIds"/> (the trained classes,
    /// in head order), or <see cref="Ignore"/> for <see cref="Unlabelled"/> and every id not trained.
    /// </summary>
    public static int[] ToTargets(ReadOnlySpan<int> sceneLabels, IReadOnlyList<int> classIds)
    {
        ArgumentNullException.ThrowIfNull(classIds);
        var index = new Dictionary<int, int>(classIds.Count);
        for (int c = 0; c < classIds.Count; c++)
        {
            if (classIds[c] == Unlabelled) throw new ArgumentException("Labels.ToTargets: class id 0 is the unlabelled sentinel and cannot be trained", nameof(classIds));
            if (!index.TryAdd(classIds[c], c)) throw new ArgumentException($"Labels.ToTargets: class id {classIds[c]} appears twice", nameof(classIds));
        }
        var targets = new int[sceneLabels.Length];
        for (int i = 0; i < targets.Length; i++) targets[i] = index.TryGetValue(sceneLabels[i], out int c) ? c : Ignore;
        return targets;
    }

    /// <summary>Loss targets (or predicted class indices) → scene class ids; <see cref="Ignore"/> and out-of-range indices → <see cref="Unlabelled"/>.</summary>
    public static int[] FromTargets(ReadOnlySpan<int> targets, IReadOnlyList<int> classIds)
    {
        ArgumentNullException.ThrowIfNull(classIds);
        var labels = new int[targets.Length];
        for (int i = 0; i < labels.Length; i++) labels[i] = targets[i] >= 0 && targets[i] < classIds.Count ? classIds[targets[i]] : Unlabelled;
        return labels;
    }

    /// <summary>Scene instance ids (1..K, <see cref="NoInstance"/>) → instance targets (0..K−1, <see cref="Ignore"/> for no instance).</summary>
    public static int[] ToInstanceTargets(ReadOnlySpan<int> instanceIds)
    {
        var targets = new int[instanceIds.Length];
        for (int i = 0; i < targets.Length; i++) targets[i] = instanceIds[i] > NoInstance ? instanceIds[i] - 1 : Ignore;
        return targets;
    }

    /// <summary>Cluster ids (0..K−1, <see cref="Noise"/>) → scene instance ids (1..K, <see cref="NoInstance"/> for noise).</summary>
    public static int[] FromClusters(ReadOnlySpan<int> clusters)
    {
        var ids = new int[clusters.Length];
        for (int i = 0; i < ids.Length; i++) ids[i] = clusters[i] >= 0 ? clusters[i] + 1 : NoInstance;
        return ids;
    }
}
