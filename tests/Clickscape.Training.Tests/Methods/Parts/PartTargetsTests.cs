using Clickscape.Data.Formats.PartNet;
using Clickscape.Geometry.Scenes;
using Clickscape.Training.Data;
using Clickscape.Training.Methods.Parts;
using Clickscape.Training.Randomness;

namespace Clickscape.Training.Tests.Methods.Parts;

/// <summary>Offset targets (instance and semantic region centres), level labels over the run's classes, the category bias and the augmentation.</summary>
public sealed class PartTargetsTests
{
    [Fact]
    public void RegionCentre_IsTheMeanOfTheInstanceCentres_EachInstanceOnce()
    {
        // class 0: instance 1 = 3 points around x = 0, instance 2 = 1 point at x = 4; class 1: one point
        float[] p = [-1, 0, 0, 0, 0, 0, 1, 0, 0, 4, 0, 0, 9, 9, 9];
        int[] cls = [0, 0, 0, 0, 1];
        int[] inst = [1, 1, 1, 2, 7];
        var (oi, os, valid) = PartTargets.Compute(p, cls, inst);
        Assert.All(valid, Assert.True);
        Assert.Equal([1f, 0, 0], oi[..3]);          // centre (0,0,0) − (−1,0,0)
        Assert.Equal([0f, 0, 0], oi[9..12]);        // a one-point instance is its own centre
        // region centre (0 + 4) / 2 = 2, not the point mean 1
        Assert.Equal([3f, 0, 0], os[..3]);
        Assert.Equal([-2f, 0, 0], os[9..12]);
        Assert.Equal([0f, 0, 0], os[12..]);
    }

    [Fact]
    public void IgnoredPoints_GetNoTarget_AndDoNotMoveTheCentres()
    {
        float[] p = [0, 0, 0, 2, 0, 0, 100, 0, 0];
        var (oi, _, valid) = PartTargets.Compute(p, [0, 0, Labels.Ignore], [1, 1, 1]);
        Assert.Equal([true, true, false], valid);
        Assert.Equal([1f, 0, 0, -1f, 0, 0, 0, 0, 0], oi);
    }

    private static PartNetShape Shape()
    {
        var root = new PartNetNode(0, "chair", "Chair", children:
        [
            new PartNetNode(1, "seat", "Seat", ["a"]),
            new PartNetNode(2, "base", "Base", children: [new PartNetNode(3, "leg", "Leg", ["b"]), new PartNetNode(4, "leg", "Leg", ["c"])]),
        ]);
        return new PartNetShape("s", "Chair", [root], new float[12], [1, 3, 4, 3]);
    }

    [Fact]
    public void Labels_CopyMissingLevels_AndIgnorePartsTheRunHasNoClassFor()
    {
        var shape = Shape();
        IReadOnlyList<IReadOnlyList<string>> classes = [["chair/base", "chair/seat"], ["chair/base/leg", "chair/seat"], ["chair/base/leg"]];
        var labels = PartLabels.Of(shape, classes);
        Assert.Equal([1, 0, 0, 0], labels.Class[0]);
        Assert.Equal([1, 0, 0, 0], labels.Class[1]);            // the seat has no middle part: the coarse one, copied
        Assert.Equal([Labels.Ignore, 0, 0, 0], labels.Class[2]); // "chair/seat" is no class of the fine level here
        Assert.Equal([1, 2, 2, 2], labels.Instance[0]);
        Assert.Equal([1, 3, 4, 3], labels.Instance[2]);
        Assert.Equal("chair", labels.Root);
        var vocabulary = PartLabels.Vocabulary([shape], 3);
        Assert.Equal(["chair/base/leg", "chair/seat"], vocabulary[2]);
    }

    [Fact]
    public void CategoryBias_OpensTheShapesOwnClassesOnly_OrAllForAnUnknownCategory()
    {
        IReadOnlyList<IReadOnlyList<string>> classes = [["chair/back", "chairs/x", "table/top"]];
        Assert.Equal([0f, -1e4f, -1e4f], PartLabels.CategoryBias(classes, "chair")[0]);
        Assert.Equal([0f, 0f, 0f], PartLabels.CategoryBias(classes, "bottle")[0]);
    }

    [Fact]
    public void Augmentation_StaysWithinThePapersRanges()
    {
        // a unit cube's corners: after x' = R(s x) + t the distance between two points is s·|x − y| and the centroid moves by t
        var corners = new List<float>();
        foreach (int x in new[] { -1, 1 }) foreach (int y in new[] { -1, 1 }) foreach (int z in new[] { -1, 1 }) corners.AddRange([x, y, z]);
        var positions = corners.ToArray();
        var scene = new PreparedScene("c", positions, new float[positions.Length], new int[8], new int[8], 0.1f, new int[4 * 8], new int[8]);
        double minScale = 9, maxScale = 0, maxShift = 0, maxTilt = 0;
        for (ulong seed = 0; seed < 200; seed++)
        {
            var sample = PartAugmentation.Apply(scene, enabled: true, Xoshiro256.ForStream(seed, 1));
            var q = sample.OffsetPositions;
            double d = Math.Sqrt(Enumerable.Range(0, 3).Sum(c => Math.Pow(q[c] - q[21 + c], 2))) / Math.Sqrt(12);
            minScale = Math.Min(minScale, d);
            maxScale = Math.Max(maxScale, d);
            for (int c = 0; c < 3; c++) maxShift = Math.Max(maxShift, Math.Abs(Enumerable.Range(0, 8).Average(i => q[3 * i + c])));
            // the axis from corner (−1,−1,−1) to (−1,−1,1) stays within ~10° · √2 of z
            double ux = q[3] - q[0], uy = q[4] - q[1], uz = q[5] - q[2];
            maxTilt = Math.Max(maxTilt, Math.Acos(uz / Math.Sqrt(ux * ux + uy * uy + uz * uz)));
            Assert.Equal(q, sample.VoxelPositions);
            Assert.Equal(q[..3], sample.Features[3..6]);
        }
        Assert.InRange(minScale, 0.75, 0.8);
        Assert.InRange(maxScale, 1.2, 1.25);
        Assert.InRange(maxShift, 0.1, 0.125 + 1e-6);
        Assert.InRange(maxTilt, 0.05, Math.Sqrt(2) * PartAugmentation.MaxAngle + 1e-6);
        Assert.Equal(positions, PartAugmentation.Apply(scene, enabled: false, Xoshiro256.ForStream(1, 1)).OffsetPositions);
    }
}
