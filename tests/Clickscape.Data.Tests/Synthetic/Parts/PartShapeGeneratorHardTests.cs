using Clickscape.Data.Synthetic.Parts;

namespace Clickscape.Data.Tests.Synthetic.Parts;

/// <summary>The hard set: more categories, wider proportions, missing parts; the standard set unchanged by the option.</summary>
public sealed class PartShapeGeneratorHardTests
{
    [Fact]
    public void StandardShapes_AreTheSameWithTheHardOptionOff()
    {
        for (int i = 0; i < 8; i++)
        {
            var a = PartShapeGenerator.Generate(3, i);
            var b = PartShapeGenerator.Generate(3, i, hard: false);
            Assert.Equal(a.Points, b.Points);
            Assert.Equal(a.LeafIds, b.LeafIds);
        }
    }

    [Fact]
    public void HardShapes_CycleFiveCategories_WithScissorsOneLevelDeep()
    {
        for (int i = 0; i < 10; i++)
        {
            var shape = PartShapeGenerator.Generate(5, i, hard: true);
            Assert.Equal(PartShapeGenerator.HardCategories[i % 5], shape.Category);
            Assert.Equal(PartShapeGenerator.PointCount, shape.LeafIds.Length);
            Assert.All(shape.Points, v => Assert.True(float.IsFinite(v) && MathF.Abs(v) <= 1.0001f));
            if (shape.Category == "Scissors")
            {
                Assert.Equal(1, shape.Root.Depth);
                Assert.Equal(["blade", "blade", "handle", "handle", "screw"], shape.Root.Leaves().Select(l => l.Name).Order());
            }
        }
    }

    [Fact]
    public void HardChairs_MissLegsOrArms_AndVaryMoreThanStandardOnes()
    {
        var hard = Enumerable.Range(0, 40).Select(k => PartShapeGenerator.Generate(1, 5 * k, hard: true)).ToList();
        var standard = Enumerable.Range(0, 40).Select(k => PartShapeGenerator.Generate(1, 4 * k)).ToList();
        int Legs(PartShape s) => s.Root.Descendants().Count(n => n.Name == "leg" && s.Root.Descendants().Any(p => p.Name == "regular_leg_base" && p.Children.Contains(n)));
        int ArmBars(PartShape s) => s.Root.Descendants().Count(n => n.Name == "arm_horizontal_bar");
        Assert.All(standard, s => Assert.True(Legs(s) is 0 or 4));
        Assert.Contains(hard, s => Legs(s) == 3);
        Assert.Contains(hard, s => ArmBars(s) == 1);
        Assert.DoesNotContain(standard, s => ArmBars(s) == 1);
    }
}
