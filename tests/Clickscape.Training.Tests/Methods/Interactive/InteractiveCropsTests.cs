using Clickscape.Training.Methods.Interactive;
using Clickscape.Training.Randomness;

namespace Clickscape.Training.Tests.Methods.Interactive;

public sealed class InteractiveCropsTests
{
    /// <summary>A 12 m × 8 m × 3 m cloud with an object (a 1 m × 0.5 m box) at (6.5, 3.25).</summary>
    private static (float[] Positions, bool[] Mask) Room(int n = 20000, int seed = 1)
    {
        var random = new Random(seed);
        var p = new float[3 * n];
        var mask = new bool[n];
        for (int i = 0; i < n; i++)
        {
            p[3 * i] = (float)(random.NextDouble() * 12);
            p[3 * i + 1] = (float)(random.NextDouble() * 8);
            p[3 * i + 2] = (float)(random.NextDouble() * 3);
            mask[i] = p[3 * i] >= 6 && p[3 * i] <= 7 && p[3 * i + 1] >= 3 && p[3 * i + 1] <= 3.5f && p[3 * i + 2] <= 1;
        }
        return (p, mask);
    }

    [Fact]
    public void Crop_IsThe5mSquareAroundTheObjectsBoxMidpoint_FullHeight()
    {
        var (p, mask) = Room();
        var crop = InteractiveCrops.Crop(p, mask);
        var (x0, y0, x1, y1) = InteractiveCrops.Box(p, mask);
        float cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
        var expected = Enumerable.Range(0, mask.Length).Where(i => MathF.Abs(p[3 * i] - cx) <= 2.5f && MathF.Abs(p[3 * i + 1] - cy) <= 2.5f).ToArray();
        Assert.Equal(expected, crop);
        Assert.Contains(crop, i => p[3 * i + 2] > 2.9f);                       // full height
        Assert.All(Enumerable.Range(0, mask.Length).Where(i => mask[i]), i => Assert.Contains(i, crop)); // the whole object
        Assert.InRange(crop.Length, 0.2 * mask.Length, 0.3 * mask.Length);       // 25 of 96 m²
    }

    [Fact]
    public void TrainingClicks_FollowTheReference()
    {
        var (p, mask) = Room(8000);
        var (x0, y0, x1, y1) = InteractiveCrops.Box(p, mask);
        float mx = 0.2f * (x1 - x0), my = 0.2f * (y1 - y0);
        var positives = new HashSet<int>();
        var negatives = new HashSet<int>();
        for (ulong s = 0; s < 300; s++)
        {
            var (pos, neg) = InteractiveCrops.TrainingClicks(p, mask, new Xoshiro256(s));
            positives.Add(pos.Length);
            negatives.Add(neg.Length);
            Assert.All(pos, i => Assert.True(mask[i]));
            Assert.All(neg, i =>
            {
                Assert.False(mask[i]);
                Assert.InRange(p[3 * i], x0 - mx, x1 + mx);
                Assert.InRange(p[3 * i + 1], y0 - my, y1 + my);
            });
        }
        Assert.Equal(Enumerable.Range(1, 5).ToHashSet(), positives);    // U{1..5}
        Assert.Equal(Enumerable.Range(1, 15).ToHashSet(), negatives);   // U{1..15}
    }

    [Fact]
    public void TrainingClicks_AreAPureFunctionOfTheGenerator()
    {
        var (p, mask) = Room(3000);
        var a = InteractiveCrops.TrainingClicks(p, mask, Xoshiro256.ForStream(9, 1, 2));
        var b = InteractiveCrops.TrainingClicks(p, mask, Xoshiro256.ForStream(9, 1, 2));
        Assert.Equal(a.Positive, b.Positive);
        Assert.Equal(a.Negative, b.Negative);
    }

    [Fact]
    public void AnEmptyObject_IsAnError()
    {
        var (p, _) = Room(100);
        Assert.Throws<ArgumentException>(() => InteractiveCrops.Crop(p, new bool[100]));
    }
}
