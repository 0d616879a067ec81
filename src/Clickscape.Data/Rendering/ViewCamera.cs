using System.Numerics;

namespace Clickscape.Data.Rendering;

/// <summary>
/// Maps world points to pixels of one view: either orthographic from above or a pinhole camera. Pixel
/// coordinates are continuous, (0, 0) the top-left corner of the top-left pixel; <c>Depth</c> grows away from
/// the viewer (the z-buffer keeps the smallest).
/// </summary>
public sealed class ViewCamera
{
    private readonly bool _orthographic;
    private readonly Vector3 _eye, _right, _up, _forward, _centre;
    private readonly float _focal, _scale, _principalX, _principalY;

    private ViewCamera(int width, int height, bool orthographic, Vector3 eye, Vector3 right, Vector3 up, Vector3 forward, Vector3 centre, float focal, float scale, float principalX = float.NaN, float principalY = float.NaN)
    {
        _principalX = float.IsNaN(principalX) ? width / 2f : principalX;
        _principalY = float.IsNaN(principalY) ? height / 2f : principalY;
        Width = width;
        Height = height;
        _orthographic = orthographic;
        _eye = eye;
        _right = right;
        _up = up;
        _forward = forward;
        _centre = centre;
        _focal = focal;
        _scale = scale;
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Where the camera is (for the top view: above the centre, at infinity in spirit).</summary>
    public Vector3 Eye => _eye;

    /// <summary>
    /// The top view of the box [<paramref name="min"/>, <paramref name="max"/>]: its centre at the picture's centre,
    /// its x–y extent fitted with a 4 % margin (at least 1 m across, so a single point gets a sensible scale).
    /// </summary>
    public static ViewCamera Top(Vector3 min, Vector3 max, int width, int height)
    {
        var centre = (min + max) / 2;
        float ex = Math.Max(max.X - min.X, 1e-3f), ey = Math.Max(max.Y - min.Y, 1e-3f);
        if (Math.Max(ex, ey) < 1) ex = ey = 1;
        float scale = 0.92f * Math.Min(width / ex, height / ey);
        return new ViewCamera(width, height, true, centre + new Vector3(0, 0, 1e6f), Vector3.UnitX, Vector3.UnitY, -Vector3.UnitZ, centre, 0, scale);
    }

    /// <summary>
    /// A perspective view of the box looking at its centre from the (min x, min y) corner side, azimuth 45°
    /// between the axes, <paramref name="elevationDegrees"/> below the horizon, 50° vertical field of view, far
    /// enough that the bounding sphere fits; then zoomed and shifted so the projected corners of the box fill
    /// 94 % of the picture.
    /// </summary>
    public static ViewCamera Oblique(Vector3 min, Vector3 max, int width, int height, float elevationDegrees = 35)
    {
        var centre = (min + max) / 2;
        float radius = Math.Max((max - min).Length() / 2, 0.5f);
        float elevation = elevationDegrees * MathF.PI / 180, fov = 50 * MathF.PI / 180;
        float fit = Math.Min(fov, 2 * MathF.Atan(MathF.Tan(fov / 2) * width / height));
        float distance = radius / MathF.Sin(fit / 2) * 1.02f;
        var direction = new Vector3(-MathF.Cos(elevation) * MathF.Sqrt(0.5f), -MathF.Cos(elevation) * MathF.Sqrt(0.5f), MathF.Sin(elevation));
        var eye = centre + distance * direction;
        var forward = Vector3.Normalize(centre - eye);
        var right = Vector3.Normalize(Vector3.Cross(forward, Vector3.UnitZ));
        var up = Vector3.Cross(right, forward);
        float focal = height / 2f / MathF.Tan(fov / 2);
        var first = new ViewCamera(width, height, false, eye, right, up, forward, centre, focal, 0);

        // The bounding sphere is a loose fit: zoom and shift so the projected box corners fill 94 % of the view.
        float lo = float.MaxValue, hi = float.MinValue, top = float.MaxValue, bottom = float.MinValue;
        for (int k = 0; k < 8; k++)
        {
            var corner = new Vector3((k & 1) == 0 ? min.X : max.X, (k & 2) == 0 ? min.Y : max.Y, (k & 4) == 0 ? min.Z : max.Z);
            first.Project(corner, out float px, out float py, out _, out _);
            (lo, hi, top, bottom) = (Math.Min(lo, px), Math.Max(hi, px), Math.Min(top, py), Math.Max(bottom, py));
        }
        float zoom = 0.94f * Math.Min(width / Math.Max(hi - lo, 1e-3f), height / Math.Max(bottom - top, 1e-3f));
        float principalX = width / 2f - ((lo + hi) / 2 - width / 2f) * zoom, principalY = height / 2f - ((top + bottom) / 2 - height / 2f) * zoom;
        return new ViewCamera(width, height, false, eye, right, up, forward, centre, focal * zoom, 0, principalX, principalY);
    }

    /// <summary>
    /// Projects <paramref name="p"/>: pixel coordinates, depth, and the size in pixels of one metre at that
    /// depth (for splat sizes). False when the point is behind the camera.
    /// </summary>
    public bool Project(Vector3 p, out float px, out float py, out float depth, out float pixelsPerMetre)
    {
        if (_orthographic)
        {
            px = Width / 2f + (p.X - _centre.X) * _scale;
            py = Height / 2f - (p.Y - _centre.Y) * _scale;
            depth = -p.Z;
            pixelsPerMetre = _scale;
            return true;
        }
        var d = p - _eye;
        float z = Vector3.Dot(d, _forward);
        if (z <= 1e-3f)
        {
            px = py = depth = pixelsPerMetre = 0;
            return false;
        }
        pixelsPerMetre = _focal / z;
        px = _principalX + Vector3.Dot(d, _right) * pixelsPerMetre;
        py = _principalY - Vector3.Dot(d, _up) * pixelsPerMetre;
        depth = z;
        return true;
    }
}
