using System.Numerics;
using Clickscape.Data.Formats.Png;
using Clickscape.Geometry.Normals;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Rendering;

/// <summary>
/// Draws a <see cref="Scene"/> to an RGB picture by point splatting with a z-buffer (Levoy &amp; Whitted 1985,
/// "The use of points as a display primitive"): every point becomes a small square or disc of its colour,
/// and each pixel keeps the splat nearest to the viewer. Meant for people checking what was generated or
/// predicted, not for photorealism.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Views (<see cref="ViewCamera"/>): top-down orthographic and an oblique perspective from a corner,
/// 35° down; <see cref="RenderView.Both"/> puts them side by side, each 4:3.</item>
/// <item>Splat size follows point density: the mean spacing of the points is estimated as
/// √(surface / N) with the surface of the bounding box's floor and four walls (what a room scan covers), and a
/// splat's radius is one spacing at its depth (scans sample unevenly, so less leaves holes), at least one pixel, at most 12.</item>
/// <item>Shading: brightness 0.35 + 0.65·|n·l| (Lambert, two-sided) with the light from above and behind the
/// oblique camera, using the scene's normals, else area-weighted face normals of its mesh, else PCA normals of
/// its 16 nearest neighbours.</item>
/// <item>Cutaway: in the oblique view of a room-like scene, normals are turned to face the room centre and
/// points whose normal faces away from the camera are skipped — the near walls and a ceiling — so the inside
/// is visible.</item>
/// </list>
/// </remarks>
public static class SceneRenderer
{
    /// <summary>Background grey.</summary>
    public const byte Background = 245;

    /// <summary>Splat radius in units of the estimated point spacing.</summary>
    public const float SplatRadius = 1.0f;

    private static readonly Vector3 Light = Vector3.Normalize(new Vector3(-0.4f, -0.6f, 1f));

    /// <summary>The picture of <paramref name="scene"/>.</summary>
    public static PngImage Render(Scene scene, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        options ??= new RenderOptions();
        if (options.Width is < 16 or > 16384) throw new ArgumentException($"render width {options.Width}: expected 16..16384 pixels");
        if (scene.Validate() is { } problem) throw new ArgumentException($"scene '{scene.Name}': {problem}");
        if (options.Color == RenderColorMode.Semantic && scene.SemanticLabels is null)
            throw new ArgumentException($"scene '{scene.Name}' has no semantic labels to colour by");
        if (options.Color == RenderColorMode.Instance && scene.InstanceIds is null)
            throw new ArgumentException($"scene '{scene.Name}' has no instance ids to colour by");

        bool both = options.View == RenderView.Both;
        int panelWidth = both ? options.Width / 2 : options.Width;
        int panelHeight = Math.Max(8, panelWidth * 3 / 4);
        var image = new PngImage(options.Width, panelHeight, 3);
        Array.Fill(image.Pixels, Background);
        if (scene.PointCount == 0) return image;

        var colours = PointColours(scene, options.Color);
        var (min, max) = scene.Bounds();
        float spacing = MeanSpacing(scene.PointCount, min, max);
        bool roomLike = IsRoomLike(min, max);
        var normals = options.Shading || (options.Cutaway && roomLike) ? OrientedNormals(scene, (min + max) / 2) : null;

        int x = 0;
        if (options.View is RenderView.Top or RenderView.Both)
        {
            Draw(scene, ViewCamera.Top(min, max, panelWidth, panelHeight), colours, options.Shading ? normals : null, cutawayNormals: null, spacing, image, x);
            x += panelWidth;
        }
        if (options.View is RenderView.Oblique or RenderView.Both)
        {
            var camera = ViewCamera.Oblique(min, max, panelWidth, panelHeight);
            Draw(scene, camera, colours, options.Shading ? normals : null, options.Cutaway && roomLike ? normals : null, spacing, image, x);
        }
        if (both)
        {
            for (int y = 0; y < panelHeight; y++) image.SetRgb(panelWidth - 1, y, 200, 200, 200);
        }
        return image;
    }

    /// <summary>
    /// Splats the points of <paramref name="scene"/> seen by <paramref name="camera"/> into the region of
    /// <paramref name="target"/> starting at column <paramref name="offsetX"/>, with a fresh z-buffer.
    /// <paramref name="shadingNormals"/> (or null: flat colours) and <paramref name="cutawayNormals"/> (or null:
    /// no culling; else skip points with n·(eye − p) &lt; 0) are x, y, z per point.
    /// </summary>
    public static void Draw(Scene scene, ViewCamera camera, byte[] colours, float[]? shadingNormals, float[]? cutawayNormals, float spacing,
        PngImage target, int offsetX)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentNullException.ThrowIfNull(colours);
        ArgumentNullException.ThrowIfNull(target);
        int w = camera.Width, h = camera.Height;
        var depthBuffer = new float[w * h];
        Array.Fill(depthBuffer, float.PositiveInfinity);
        var eye = camera.Eye;
        for (int i = 0; i < scene.PointCount; i++)
        {
            var p = scene.Position(i);
            if (cutawayNormals is not null)
            {
                var n = new Vector3(cutawayNormals[3 * i], cutawayNormals[3 * i + 1], cutawayNormals[3 * i + 2]);
                if (Vector3.Dot(n, eye - p) < 0) continue;
            }
            if (!camera.Project(p, out float px, out float py, out float depth, out float pixelsPerMetre)) continue;
            float r = Math.Clamp(SplatRadius * spacing * pixelsPerMetre, 0.45f, 12f);
            int x0 = (int)MathF.Floor(px - r), x1 = (int)MathF.Floor(px + r);
            int y0 = (int)MathF.Floor(py - r), y1 = (int)MathF.Floor(py + r);
            if (x1 < 0 || y1 < 0 || x0 >= w || y0 >= h) continue;
            x0 = Math.Max(x0, 0);
            y0 = Math.Max(y0, 0);
            x1 = Math.Min(x1, w - 1);
            y1 = Math.Min(y1, h - 1);

            float brightness = 1;
            if (shadingNormals is not null)
            {
                var n = new Vector3(shadingNormals[3 * i], shadingNormals[3 * i + 1], shadingNormals[3 * i + 2]);
                if (n != Vector3.Zero) brightness = 0.35f + 0.65f * MathF.Abs(Vector3.Dot(n, Light));
            }
            byte cr = (byte)(colours[3 * i] * brightness), cg = (byte)(colours[3 * i + 1] * brightness), cb = (byte)(colours[3 * i + 2] * brightness);
            bool disc = r >= 1.5f;
            float r2 = (r + 0.5f) * (r + 0.5f);
            for (int y = y0; y <= y1; y++)
            {
                for (int x = x0; x <= x1; x++)
                {
                    if (disc)
                    {
                        float dx = x + 0.5f - px, dy = y + 0.5f - py;
                        if (dx * dx + dy * dy > r2) continue;
                    }
                    int k = y * w + x;
                    if (depth >= depthBuffer[k]) continue;
                    depthBuffer[k] = depth;
                    target.SetRgb(offsetX + x, y, cr, cg, cb);
                }
            }
        }
    }

    /// <summary>r, g, b per point for a colour mode.</summary>
    public static byte[] PointColours(Scene scene, RenderColorMode mode)
    {
        ArgumentNullException.ThrowIfNull(scene);
        int n = scene.PointCount;
        if (mode == RenderColorMode.Rgb && scene.Colors is not null) return scene.Colors;
        var colours = new byte[3 * n];
        for (int i = 0; i < n; i++)
        {
            var (r, g, b) = mode switch
            {
                RenderColorMode.Semantic => LabelPalette.Semantic(scene.SemanticLabels![i], scene.Classes),
                RenderColorMode.Instance => LabelPalette.Instance(scene.InstanceIds![i]),
                _ => ((byte)200, (byte)200, (byte)200),
            };
            colours[3 * i] = r;
            colours[3 * i + 1] = g;
            colours[3 * i + 2] = b;
        }
        return colours;
    }

    /// <summary>Mean point spacing estimate √(A / N), A = floor + four walls of the bounding box (≥ 1 mm).</summary>
    public static float MeanSpacing(int pointCount, Vector3 min, Vector3 max)
    {
        var e = Vector3.Max(max - min, new Vector3(1e-3f));
        float area = e.X * e.Y + 2 * e.Z * (e.X + e.Y);
        return MathF.Sqrt(area / Math.Max(1, pointCount));
    }

    /// <summary>A room or a floor plan: at least 1.5 m across both ways and wider than tall.</summary>
    public static bool IsRoomLike(Vector3 min, Vector3 max)
    {
        var e = max - min;
        return e.X >= 1.5f && e.Y >= 1.5f && e.Z < Math.Max(e.X, e.Y);
    }

    /// <summary>Unit normals per point, turned to face <paramref name="centre"/>; (0, 0, 0) where unknown.</summary>
    private static float[] OrientedNormals(Scene scene, Vector3 centre)
    {
        float[] normals;
        if (scene.Normals is not null) normals = (float[])scene.Normals.Clone();
        else if (scene.Faces is { Length: > 0 }) normals = FaceNormals(scene.Positions, scene.Faces);
        else if (scene.PointCount >= 3) return PointCloudNormals.TowardsViewpoint(scene.Positions, centre);
        else return new float[3 * scene.PointCount];
        for (int i = 0; i < scene.PointCount; i++)
        {
            var n = new Vector3(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2]);
            float length = n.Length();
            n = length > 0 ? n / length : Vector3.Zero;
            if (Vector3.Dot(n, centre - scene.Position(i)) < 0) n = -n;
            normals[3 * i] = n.X;
            normals[3 * i + 1] = n.Y;
            normals[3 * i + 2] = n.Z;
        }
        return normals;
    }

    /// <summary>Vertex normals as the sum of adjacent face normals weighted by face area (cross products).</summary>
    private static float[] FaceNormals(float[] positions, int[] faces)
    {
        var normals = new float[positions.Length];
        for (int f = 0; f < faces.Length; f += 3)
        {
            int a = faces[f], b = faces[f + 1], c = faces[f + 2];
            var pa = new Vector3(positions[3 * a], positions[3 * a + 1], positions[3 * a + 2]);
            var pb = new Vector3(positions[3 * b], positions[3 * b + 1], positions[3 * b + 2]);
            var pc = new Vector3(positions[3 * c], positions[3 * c + 1], positions[3 * c + 2]);
            var n = Vector3.Cross(pb - pa, pc - pa);
            foreach (int v in (ReadOnlySpan<int>)[a, b, c])
            {
                normals[3 * v] += n.X;
                normals[3 * v + 1] += n.Y;
                normals[3 * v + 2] += n.Z;
            }
        }
        return normals;
    }
}
