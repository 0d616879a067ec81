using Clickscape.Data.Clicks;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Clicks;

public class InteractiveClickSimulatorTests
{
    /// <summary>A flat n×n grid with 10 cm spacing (every point is its own 5 cm voxel).</summary>
    private static Scene Grid(int n)
    {
        var positions = new float[n * n * 3];
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                positions[3 * (y * n + x)] = x * 0.1f + 0.01f;
                positions[3 * (y * n + x) + 1] = y * 0.1f + 0.01f;
            }
        }
        return new Scene("grid", positions);
    }

    /// <summary>Brute force: for each error point the distance to the nearest non-error point; argmax.</summary>
    private static (int Point, double Distance) BruteForce(Scene scene, bool[] error)
    {
        int best = -1;
        double bestDistance = double.NegativeInfinity;
        for (int i = 0; i < scene.PointCount; i++)
        {
            if (!error[i]) continue;
            double nearest = double.PositiveInfinity;
            for (int j = 0; j < scene.PointCount; j++)
            {
                if (error[j]) continue;
                nearest = Math.Min(nearest, (scene.Position(i) - scene.Position(j)).Length());
            }
            if (nearest > bestDistance)
            {
                bestDistance = nearest;
                best = i;
            }
        }
        return (best, bestDistance);
    }

    [Fact]
    public void FirstClickIsTheCentreOfTheMissedObject()
    {
        // Object = a 5×5 block at x,y in 2..6 of a 12×12 grid; empty prediction → all of it is FN.
        var scene = Grid(12);
        var gt = new bool[scene.PointCount];
        for (int y = 2; y <= 6; y++) for (int x = 2; x <= 6; x++) gt[y * 12 + x] = true;
        var user = new InteractiveClickSimulator(scene, gt, objectId: 4, label: 5);
        var click = user.NextClick(new bool[scene.PointCount], 0)!;
        Assert.True(click.Positive);
        Assert.Equal(4 * 12 + 4, click.Point); // the centre (4,4) is 3 cells from the nearest outside point
        Assert.Equal((4, 5), (click.Object, click.Label));
    }

    [Fact]
    public void LargerFalsePositiveRegionGivesANegativeClick()
    {
        var scene = Grid(12);
        var gt = new bool[scene.PointCount];
        gt[0] = true; // a one-point object, predicted correctly
        var prediction = new bool[scene.PointCount];
        prediction[0] = true;
        for (int y = 5; y <= 9; y++) for (int x = 5; x <= 9; x++) prediction[y * 12 + x] = true; // a 5×5 false positive
        var click = new InteractiveClickSimulator(scene, gt, 1, 5).NextClick(prediction, 3)!;
        Assert.False(click.Positive);
        Assert.Equal(7 * 12 + 7, click.Point);
        Assert.Equal(3, click.Order);
    }

    [Fact]
    public void NoErrorMeansNoClick()
    {
        var scene = Grid(5);
        var gt = new bool[scene.PointCount];
        gt[7] = gt[8] = true;
        Assert.Null(new InteractiveClickSimulator(scene, gt, 1, 5).NextClick(gt, 0));
    }

    [Fact]
    public void MatchesBruteForceOnRandomErrorSets()
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 20; trial++)
        {
            var scene = Grid(9 + trial % 4);
            int n = scene.PointCount;
            var gt = new bool[n];
            var prediction = new bool[n];
            for (int i = 0; i < n; i++)
            {
                gt[i] = rng.NextDouble() < 0.4;
                prediction[i] = rng.NextDouble() < 0.4;
            }
            var fn = Enumerable.Range(0, n).Select(i => gt[i] && !prediction[i]).ToArray();
            var fp = Enumerable.Range(0, n).Select(i => prediction[i] && !gt[i]).ToArray();
            var (fnPoint, fnDistance) = BruteForce(scene, fn);
            var (fpPoint, fpDistance) = BruteForce(scene, fp);
            var click = new InteractiveClickSimulator(scene, gt, 1, 1).NextClick(prediction, 0)!;
            // On a grid, FN and FP distances often tie up to float rounding of the coordinates: the side is
            // asserted only when the two differ clearly; the clicked point must always be at the larger distance.
            if (Math.Abs(fnDistance - fpDistance) > 1e-6) Assert.Equal(fnDistance > fpDistance, click.Positive);
            var errors = click.Positive ? fn : fp;
            Assert.True(errors[click.Point]);
            Assert.Equal(Math.Max(fnDistance, fpDistance), DistanceToOutside(scene, errors, click.Point), 5);
        }
    }

    private static double DistanceToOutside(Scene scene, bool[] set, int i) =>
        Enumerable.Range(0, scene.PointCount).Where(j => !set[j]).Min(j => (double)(scene.Position(i) - scene.Position(j)).Length());

    [Fact]
    public void ClickRegionsForceTheMaskInClickOrder()
    {
        var scene = Grid(6);
        var mask = new bool[scene.PointCount];
        var at = scene.Position(14);
        var clicks = new[]
        {
            new Click(1, 5, 14, [at.X, at.Y, at.Z], true, 0),
            new Click(0, 0, 14, [at.X, at.Y, at.Z], false, 1),
            new Click(1, 5, 0, [scene.Positions[0], scene.Positions[1], scene.Positions[2]], true, 2),
        };
        InteractiveClickSimulator.ApplyClicks(scene, clicks, mask);
        Assert.False(mask[14]); // the later negative click wins
        Assert.True(mask[0]);
        Assert.Equal(1, mask.Count(m => m)); // 10 cm spacing: each 5 cm cube holds only its own point
    }
}
