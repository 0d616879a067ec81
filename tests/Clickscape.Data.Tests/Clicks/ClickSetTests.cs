using Clickscape.Data.Clicks;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Clicks;

public class ClickSetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("clicks").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void SaveLoadRoundTripsEveryField()
    {
        var set = new ClickSet("scene0001_00", "1t1c", 42,
            [new Click(3, 5, 17, [1.5f, -2.25f, 0.125f], true, 0), new Click(0, 0, 2, [0.1f, 0.2f, 0.3f], false, 1)],
            [new SkippedInstance(9, 11, 12, "fewer than 50 points")]);
        var path = Path.Combine(_dir, "c.json");
        set.Save(path);
        var back = ClickSet.Load(path);
        Assert.Equal(set.Scene, back.Scene);
        Assert.Equal(set.Policy, back.Policy);
        Assert.Equal(set.Seed, back.Seed);
        Assert.Equal(set.Clicks.Count, back.Clicks.Count);
        for (int i = 0; i < set.Clicks.Count; i++)
        {
            var (a, b) = (set.Clicks[i], back.Clicks[i]);
            Assert.Equal((a.Object, a.Label, a.Point, a.Positive, a.Order), (b.Object, b.Label, b.Point, b.Positive, b.Order));
            Assert.Equal(a.Xyz, b.Xyz);
        }
        Assert.Equal(set.Skipped, back.Skipped);
        Assert.Contains("\"format\": \"clickscape.clicks/1\"", File.ReadAllText(path));
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("{\"format\":\"other/2\",\"scene\":\"s\",\"clicks\":[]}", "expected 'clickscape.clicks/1'")]
    [InlineData("{\"format\":\"clickscape.clicks/1\",\"scene\":\"s\"}", "missing \"clicks\"")]
    [InlineData("{\"format\":\"clickscape.clicks/1\",\"scene\":\"s\",\"clicks\":[{\"object\":1,\"label\":2,\"xyz\":[0,0,0]}]}", "no \"point\"")]
    [InlineData("{\"format\":\"clickscape.clicks/1\",\"scene\":\"s\",\"clicks\":[{\"object\":1,\"label\":2,\"point\":1,\"xyz\":[0,0]}]}", "three finite numbers")]
    [InlineData("{\"format\":\"clickscape.clicks/1\",\"scene\":\"s\",\"clicks\":[{\"object\":\"x\",\"label\":2,\"point\":1,\"xyz\":[0,0,0]}]}", "wrong type")]
    public void MalformedFilesGiveOneLineErrorsNamingTheFile(string text, string expected)
    {
        var path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, text);
        var e = Assert.Throws<DataFormatException>(() => ClickSet.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(path, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AClickOnAPointThatDoesNotExistIsReported()
    {
        var scene = new Scene("s", new float[9]);
        var set = new ClickSet("s", "manual", null, [new Click(1, 5, 3, [0, 0, 0], true, 0)]);
        Assert.Contains("point 3", set.Validate(scene));
        Assert.Contains("3 points", set.Validate(scene));
    }
}
