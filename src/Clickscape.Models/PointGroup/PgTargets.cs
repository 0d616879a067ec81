using Clickscape.Geometry.Scenes;
namespace Clickscape.Models.PointGroup;

/// <summary>
/// Per-voxel training targets of <see cref="PgUNetLoss"/>: semantic class (<see cref="Labels.Ignore"/> = −100: ignored), instance id (negative =
/// stuff / no instance) and the ground-truth offset from the voxel centre to its instance centroid (N × 3, zero for
/// stuff), as perf-ref/unet_step.py's <c>make_data</c> produces and <c>--dump</c> writes.
/// </summary>
public sealed class PgTargets
{
    /// <summary>Wraps the arrays (not copied) after checking their lengths.</summary>
    public PgTargets(int[] semantic, int[] instance, float[] offset)
    {
        ArgumentNullException.ThrowIfNull(semantic);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(offset);
        if (instance.Length != semantic.Length || offset.Length != 3L * semantic.Length)
            throw new ArgumentException($"PointGroup targets: {semantic.Length} semantic labels, {instance.Length} instance ids and {offset.Length} offset values; expected N, N and N × 3");
        Semantic = semantic;
        Instance = instance;
        Offset = offset;
        var rows = new List<int>();
        for (int i = 0; i < instance.Length; i++)
            if (instance[i] >= 0) rows.Add(i);
        InstanceRows = rows.ToArray();
        InstanceOffsets = new float[3 * InstanceRows.Length];
        for (int j = 0; j < InstanceRows.Length; j++) offset.AsSpan(3 * InstanceRows[j], 3).CopyTo(InstanceOffsets.AsSpan(3 * j, 3));
    }

    /// <summary>Voxels N.</summary>
    public int Count => Semantic.Length;

    /// <summary>Semantic class per voxel.</summary>
    public int[] Semantic { get; }

    /// <summary>Instance id per voxel (negative = none).</summary>
    public int[] Instance { get; }

    /// <summary>Ground-truth offsets, N × 3.</summary>
    public float[] Offset { get; }

    /// <summary>Rows with an instance (id ≥ 0), ascending.</summary>
    public int[] InstanceRows { get; }

    /// <summary>Ground-truth offsets of <see cref="InstanceRows"/>, M × 3.</summary>
    public float[] InstanceOffsets { get; }
}
