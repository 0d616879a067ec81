namespace Clickscape.Tensors.Sparse;

/// <summary>
/// A sparse voxel tensor: a coordinate set and one feature row per voxel (MinkowskiEngine's <c>SparseTensor</c>,
/// torchsparse's <c>SparseTensor</c>). The features are an ordinary [N, C] <see cref="Tensor"/>, so every dense
/// row-wise operation (BatchNorm, ReLU, Linear, concat) applies to them directly; only convolutions look at the
/// coordinates.
/// </summary>
public sealed class SparseTensor
{
    /// <summary>Pairs <paramref name="features"/> [N, C] with <paramref name="coords"/> (N voxels).</summary>
    public SparseTensor(SparseCoords coords, Tensor features)
    {
        ArgumentNullException.ThrowIfNull(coords);
        ArgumentNullException.ThrowIfNull(features);
        if (features.Rank != 2 || features.Dim(0) != coords.Count)
            throw new ArgumentException($"sparse tensor: features have shape {Tensor.ShapeString(features.Shape)}, expected [{coords.Count}, C] (one row per voxel)");
        Coords = coords;
        Features = features;
    }

    /// <summary>Voxel coordinates; caches kernel maps shared by every tensor on this set.</summary>
    public SparseCoords Coords { get; }

    /// <summary>Feature rows [N, C].</summary>
    public Tensor Features { get; }

    /// <summary>Number of voxels N.</summary>
    public int Count => Coords.Count;

    /// <summary>Channels C.</summary>
    public int Channels => Features.Dim(1);

    /// <summary>Voxel size relative to the finest grid.</summary>
    public int TensorStride => Coords.TensorStride;

    /// <summary>The same coordinates with other features (e.g. after BatchNorm / ReLU on <see cref="Features"/>).</summary>
    public SparseTensor WithFeatures(Tensor features) => new(Coords, features);

    /// <inheritdoc/>
    public override string ToString() => $"SparseTensor(voxels {Count}, channels {Channels}, stride {TensorStride})";
}
