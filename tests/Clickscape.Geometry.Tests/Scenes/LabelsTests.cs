using Clickscape.Geometry.Scenes;
using FsCheck;
using FsCheck.Fluent;

namespace Clickscape.Geometry.Tests.Scenes;

/// <summary>The label sentinels and the conversions between the scene, loss and clustering layers.</summary>
public sealed class LabelsTests
{
    /// <summary>FsCheck runs with a fixed seed: a failure replays the same cases on every machine.</summary>
    internal static Config Seeded(ulong seed, int tests = 300) =>
        Config.QuickThrowOnFailure.WithMaxTest(tests).WithReplay(new Replay(new Rnd(seed), null));

    [Fact]
    public void SentinelsAreTheDocumentedValues()
    {
        Assert.Equal(0, Labels.Unlabelled);
        Assert.Equal(Scene.Unlabelled, Labels.Unlabelled);
        Assert.Equal(0, Labels.NoInstance);
        Assert.Equal(Scene.NoInstance, Labels.NoInstance);
        Assert.Equal(-100, Labels.Ignore);
        Assert.Equal(-1, Labels.Noise);
    }

    [Fact]
    public void ToTargetsIndexesTrainedClassesAndIgnoresTheRest()
    {
        int[] classIds = [3, 5, 36];
        int[] scene = [Labels.Unlabelled, 3, 5, 36, 4, 40, 5];
        Assert.Equal([Labels.Ignore, 0, 1, 2, Labels.Ignore, Labels.Ignore, 1], Labels.ToTargets(scene, classIds));
    }

    [Fact]
    public void ToTargetsRejectsTheUnlabelledIdAndDuplicates()
    {
        Assert.Throws<ArgumentException>(() => Labels.ToTargets([1], [0, 1]));
        Assert.Throws<ArgumentException>(() => Labels.ToTargets([1], [1, 2, 1]));
    }

    [Fact]
    public void FromTargetsMapsIgnoreAndOutOfRangeToUnlabelled()
    {
        int[] classIds = [3, 5, 36];
        Assert.Equal([3, 5, 36, Labels.Unlabelled, Labels.Unlabelled, Labels.Unlabelled], Labels.FromTargets([0, 1, 2, 3, Labels.Ignore, Labels.Noise], classIds));
    }

    [Fact]
    public void InstanceConversions()
    {
        Assert.Equal([Labels.Ignore, 0, 1, 6], Labels.ToInstanceTargets([Labels.NoInstance, 1, 2, 7]));
        Assert.Equal([Labels.NoInstance, 1, 2, 7], Labels.FromClusters([Labels.Noise, 0, 1, 6]));
    }

    private static Gen<int[]> ClassList() =>
        Gen.Choose(1, 40).ArrayOf().Select(a => a.Distinct().ToArray()).Where(a => a.Length > 0);

    [Fact]
    public void SceneLabelsRoundTripThroughTargetsExactlyOnTrainedClasses() =>
        Check.One(Seeded(11), Prop.ForAll(
            ClassList().SelectMany(classes => Gen.Choose(0, 41).ArrayOf(), (classes, scene) => (classes, scene)).ToArbitrary(),
            c =>
            {
                var targets = Labels.ToTargets(c.scene, c.classes);
                var back = Labels.FromTargets(targets, c.classes);
                for (int i = 0; i < c.scene.Length; i++)
                {
                    bool trained = c.classes.Contains(c.scene[i]);
                    if (trained ? back[i] != c.scene[i] || targets[i] < 0 : back[i] != Labels.Unlabelled || targets[i] != Labels.Ignore)
                        return false;
                }
                return true;
            }));

    [Fact]
    public void TargetsRoundTripThroughSceneLabels() =>
        Check.One(Seeded(12), Prop.ForAll(
            ClassList().SelectMany(classes => Gen.Choose(-1, classes.Length - 1).Select(t => t < 0 ? Labels.Ignore : t).ArrayOf(), (classes, targets) => (classes, targets)).ToArbitrary(),
            c => Labels.ToTargets(Labels.FromTargets(c.targets, c.classes), c.classes).SequenceEqual(c.targets)));

    [Fact]
    public void InstanceIdsRoundTripThroughTargetsAndClusters() =>
        Check.One(Seeded(13), Prop.ForAll(
            Gen.Choose(0, 50).ArrayOf().ToArbitrary(),
            ids => Labels.FromClusters(Labels.ToInstanceTargets(ids).Select(t => t == Labels.Ignore ? Labels.Noise : t).ToArray()).SequenceEqual(ids)));
}
