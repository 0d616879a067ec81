using Clickscape.Geometry.Scenes;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Training.Data;

/// <summary>
/// Collates samples into one <see cref="TrainingBatch"/>: each sample's voxel positions are shifted to start at the
/// origin and voxelized with its batch index (<see cref="Voxelizer"/>), features are averaged per voxel, and the
/// point labels become voxel targets: the semantic class is the majority of the voxel's labelled points (ties → the
/// smaller class index), the instance the majority of all its points (no instance counts as a candidate), and the
/// offset target is the instance's centroid minus the voxel's mean point, both over undistorted coordinates
/// (PointGroup's offsets, REFERENCE.md §2).
/// </summary>
public static class BatchCollator
{
    /// <summary>Collates <paramref name="samples"/> with the trained classes <paramref name="classIds"/> (nyu40 ids in head order).</summary>
    public static TrainingBatch Collate(IReadOnlyList<TrainingSample> samples, float voxelSize, IReadOnlyList<int> classIds)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(classIds);
        if (samples.Count == 0) throw new ArgumentException("batch: no samples");
        int total = samples.Sum(s => s.PointCount);
        var positions = new float[3 * total];
        var features = new float[6 * total];
        var batch = new int[total];
        var pointStart = new int[samples.Count + 1];
        var semantic = new int[total];
        var instance = new int[total];
        var undistorted = new float[3 * total];
        int at = 0, instanceBase = 0;
        for (int b = 0; b < samples.Count; b++)
        {
            var s = samples[b];
            pointStart[b] = at;
            PreparedScene.ShiftToOrigin(s.VoxelPositions).CopyTo(positions, 3 * at);
            s.Features.CopyTo(features, 6 * at);
            s.OffsetPositions.CopyTo(undistorted, 3 * at);
            var targets = Labels.ToTargets(s.Semantic, classIds);
            // instance ids 1..K of this sample → batch-unique 0..; NoInstance → Ignore
            var local = new Dictionary<int, int>();
            for (int i = 0; i < s.PointCount; i++)
            {
                batch[at + i] = b;
                semantic[at + i] = targets[i];
                int id = s.Instance[i];
                if (id == Labels.NoInstance) { instance[at + i] = Labels.Ignore; continue; }
                if (!local.TryGetValue(id, out int index)) local[id] = index = instanceBase + local.Count;
                instance[at + i] = index;
            }
            instanceBase += local.Count;
            at += s.PointCount;
        }
        pointStart[^1] = total;
        var v = Voxelizer.Voxelize(positions, features, 6, voxelSize, batch);
        int voxels = v.Coords.Count;

        // instance centroids over undistorted points
        var centroid = new double[3 * instanceBase];
        var count = new int[instanceBase];
        for (int i = 0; i < total; i++)
        {
            int k = instance[i];
            if (k < 0) continue;
            count[k]++;
            for (int c = 0; c < 3; c++) centroid[3 * k + c] += undistorted[3 * i + c];
        }
        for (int k = 0; k < instanceBase; k++)
            for (int c = 0; c < 3; c++) centroid[3 * k + c] /= count[k];

        var voxelSemantic = new int[voxels];
        var voxelInstance = new int[voxels];
        var offset = new float[3 * voxels];
        var votes = new Dictionary<int, int>();
        for (int j = 0; j < voxels; j++)
        {
            int p0 = v.VoxelPointStart[j], p1 = v.VoxelPointStart[j + 1];
            voxelSemantic[j] = Majority(v.VoxelPoints.AsSpan(p0, p1 - p0), semantic, votes, skipIgnore: true);
            int k = Majority(v.VoxelPoints.AsSpan(p0, p1 - p0), instance, votes, skipIgnore: false);
            voxelInstance[j] = k;
            if (k < 0) continue;
            double mx = 0, my = 0, mz = 0;
            for (int q = p0; q < p1; q++)
            {
                int i = v.VoxelPoints[q];
                mx += undistorted[3 * i]; my += undistorted[3 * i + 1]; mz += undistorted[3 * i + 2];
            }
            int np = p1 - p0;
            offset[3 * j] = (float)(centroid[3 * k] - mx / np);
            offset[3 * j + 1] = (float)(centroid[3 * k + 1] - my / np);
            offset[3 * j + 2] = (float)(centroid[3 * k + 2] - mz / np);
        }
        return new TrainingBatch(samples, v.Coords, v.Features, voxelSemantic, voxelInstance, offset, v.PointToVoxel, pointStart);
    }

    /// <summary>The most frequent value of <paramref name="labels"/> over <paramref name="points"/> (ties → smallest);
    /// with <paramref name="skipIgnore"/>, <see cref="Labels.Ignore"/> only when every point is ignored.</summary>
    private static int Majority(ReadOnlySpan<int> points, int[] labels, Dictionary<int, int> votes, bool skipIgnore)
    {
        votes.Clear();
        foreach (int i in points)
        {
            int l = labels[i];
            if (skipIgnore && l == Labels.Ignore) continue;
            votes[l] = votes.GetValueOrDefault(l) + 1;
        }
        int best = Labels.Ignore, bestCount = 0;
        foreach (var (label, c) in votes)
            if (c > bestCount || (c == bestCount && label < best)) (best, bestCount) = (label, c);
        return best;
    }
}
