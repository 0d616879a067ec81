using System.Numerics;
using Clickscape.Data.Formats.Png;
using Clickscape.Data.Rendering;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Rendering;

public sealed class SceneRendererTests
{
    private static readonly RenderOptions TopFlat = new(101, RenderColorMode.Rgb, RenderView.Top, Shading: false, Cutaway: false);

    private static (int R, int G, int B) Pixel(PngImage image, int x, int y) => (image[x, y, 0], image[x, y, 1], image[x, y, 2]);

    private static int CountNonBackground(PngImage image)
    {
        int n = 0;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                if (Pixel(image, x, y) != (SceneRenderer.Background, SceneRenderer.Background, SceneRenderer.Background)) n++;
        return n;
    }

    [Fact]
    public void SinglePoint_TopView_LandsOnTheCentralPixelOnly()
    {
        var scene = new Scene("one", [2.5f, -1f, 0.3f]) { Colors = [255, 0, 0] };
        var image = SceneRenderer.Render(scene, TopFlat);
        Assert.Equal((101, 75), (image.Width, image.Height));
        Assert.Equal((255, 0, 0), Pixel(image, 50, 37));
        Assert.Equal(1, CountNonBackground(image));
    }

    /// <summary>Top view is +Y up, +X right: four points at the corners of a square land in the matching
    /// image corners.</summary>
    [Fact]
    public void TopView_OrientsXRightAndYUp()
    {
        var scene = new Scene("corners", [0, 0, 0, 4, 0, 0, 0, 4, 0, 4, 4, 0])
        {
            Colors = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0],
        };
        var camera = ViewCamera.Top(new Vector3(0, 0, 0), new Vector3(4, 4, 0), 101, 101);
        Assert.True(camera.Project(new Vector3(0, 4, 0), out float px, out float py, out _, out _));
        Assert.True(px < 50 && py < 50); // (min x, max y) is top-left
        Assert.True(camera.Project(new Vector3(4, 0, 0), out px, out py, out _, out _));
        Assert.True(px > 50 && py > 50);
        var image = SceneRenderer.Render(scene, TopFlat with { Width = 101 });
        Assert.True(CountNonBackground(image) >= 4);
    }

    /// <summary>Two points on one vertical line: from above the higher one is nearer and must win, in either
    /// drawing order.</summary>
    [Fact]
    public void ZBuffer_KeepsTheNearerPoint()
    {
        foreach (bool highFirst in new[] { true, false })
        {
            float[] high = [0, 0, 2], low = [0, 0, -1];
            var scene = new Scene("z", highFirst ? [.. high, .. low] : [.. low, .. high])
            {
                Colors = highFirst ? [0, 255, 0, 0, 0, 255] : [0, 0, 255, 0, 255, 0],
            };
            var image = SceneRenderer.Render(scene, TopFlat);
            Assert.Equal((0, 255, 0), Pixel(image, 50, 37));
        }
    }

    [Fact]
    public void ObliqueView_CentreOfBoxProjectsNearPictureCentre_AndNearerDepthIsSmaller()
    {
        var min = new Vector3(-2, -3, 0);
        var max = new Vector3(2, 3, 2.5f);
        var camera = ViewCamera.Oblique(min, max, 400, 300);
        Assert.True(camera.Project((min + max) / 2, out float px, out float py, out float d, out _));
        Assert.InRange(px, 150, 250);
        Assert.InRange(py, 100, 200);
        // the corner nearest the camera (min x, min y, max z) is nearer than the far corner
        camera.Project(new Vector3(-2, -3, 2.5f), out _, out _, out float near, out _);
        camera.Project(new Vector3(2, 3, 0), out _, out _, out float far, out _);
        Assert.True(near < d && d < far);
        // every box corner is in the picture
        for (int k = 0; k < 8; k++)
        {
            var c = new Vector3((k & 1) == 0 ? min.X : max.X, (k & 2) == 0 ? min.Y : max.Y, (k & 4) == 0 ? min.Z : max.Z);
            camera.Project(c, out px, out py, out _, out _);
            Assert.InRange(px, 0, 400);
            Assert.InRange(py, 0, 300);
        }
    }

    [Fact]
    public void ColourModes_UseClassTable_HashedInstances_AndGreyForZero()
    {
        var classes = new ClassTable("t", [new SemanticClass(3, "chair", 10, 20, 30)]);
        var scene = new Scene("labels", [0, 0, 0, 1, 0, 0, 2, 0, 0])
        {
            SemanticLabels = [3, 0, 7],
            InstanceIds = [1, 0, 2],
            Classes = classes,
        };
        var semantic = SceneRenderer.PointColours(scene, RenderColorMode.Semantic);
        Assert.Equal(new byte[] { 10, 20, 30 }, semantic[..3]);
        Assert.Equal(LabelPalette.Unlabelled, (semantic[3], semantic[4], semantic[5]));
        Assert.Equal(LabelPalette.Hashed(7, 0x5EED), (semantic[6], semantic[7], semantic[8]));
        var instance = SceneRenderer.PointColours(scene, RenderColorMode.Instance);
        Assert.Equal(LabelPalette.NoInstance, (instance[3], instance[4], instance[5]));
        Assert.NotEqual((instance[0], instance[1], instance[2]), (instance[6], instance[7], instance[8]));
        var rgb = SceneRenderer.PointColours(scene, RenderColorMode.Rgb);
        Assert.Equal(new byte[] { 200, 200, 200 }, rgb[..3]);

        // the picture really uses them
        var image = SceneRenderer.Render(scene, TopFlat with { Color = RenderColorMode.Semantic });
        var colours = new HashSet<(int, int, int)>();
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                colours.Add(Pixel(image, x, y));
        Assert.Contains((10, 20, 30), colours);
        Assert.Contains((LabelPalette.Unlabelled.R, LabelPalette.Unlabelled.G, LabelPalette.Unlabelled.B), colours);
    }

    [Fact]
    public void HashedColours_AreDistinctForNeighbouringIds()
    {
        var seen = new HashSet<(byte, byte, byte)>();
        for (int id = 1; id <= 200; id++) seen.Add(LabelPalette.Instance(id));
        Assert.True(seen.Count >= 195);
    }

    /// <summary>A dense flat floor seen from above is drawn without holes: splats grow with spacing.</summary>
    [Fact]
    public void SplatSize_FollowsDensity_NoHolesOnAFloor()
    {
        const int n = 40;
        var positions = new float[3 * n * n];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
            {
                positions[3 * (j * n + i)] = i * 0.1f;
                positions[3 * (j * n + i) + 1] = j * 0.1f;
            }
        var image = SceneRenderer.Render(new Scene("floor", positions), new RenderOptions(401, View: RenderView.Top, Shading: false));
        // the middle half of the floor's footprint is fully covered
        var camera = ViewCamera.Top(Vector3.Zero, new Vector3(3.9f, 3.9f, 0), 401, 300);
        camera.Project(new Vector3(1, 1, 0), out float x0, out float y1, out _, out _);
        camera.Project(new Vector3(2.9f, 2.9f, 0), out float x1, out float y0, out _, out _);
        for (int y = (int)y0; y <= (int)y1; y++)
            for (int x = (int)x0; x <= (int)x1; x++)
                Assert.Equal((200, 200, 200), Pixel(image, x, y));
    }

    [Fact]
    public void BothViews_AreSideBySide_AndEmptySceneIsBackground()
    {
        var image = SceneRenderer.Render(new Scene("empty", []), new RenderOptions(200));
        Assert.Equal((200, 75), (image.Width, image.Height));
        Assert.Equal(0, CountNonBackground(image));
        Assert.Throws<ArgumentException>(() => SceneRenderer.Render(new Scene("x", [0, 0, 0]), new RenderOptions(200, RenderColorMode.Semantic)));
    }
}
