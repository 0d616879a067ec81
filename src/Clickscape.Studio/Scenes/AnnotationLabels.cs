using Clickscape.Geometry.Scenes;
using Clickscape.Studio.Api;
using Clickscape.Studio.Storage;

namespace Clickscape.Studio.Scenes;

/// <summary>
/// Per-point labels from a scene's annotations: an object that is only clicked labels the segment under its click;
/// an accepted mask labels its points and overrides clicked segments (objects in id order, later over earlier).
/// Semantic labels are the objects' NYU40 ids (<see cref="Labels.Unlabelled"/> elsewhere), instance ids the object
/// ids (<see cref="Labels.NoInstance"/> elsewhere) — ScanNet's conventions.
/// </summary>
public static class AnnotationLabels
{
    /// <summary>The semantic and instance label of every point.</summary>
    public static (int[] Semantic, int[] Instance) Compute(LoadedScene loaded, StoredScene stored)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(stored);
        int n = loaded.Scene.PointCount;
        var semantic = new int[n];
        var instance = new int[n];
        foreach (var o in stored.Objects.Where(o => !o.Accepted))
        {
            foreach (int p in loaded.SegmentPoints(loaded.Segments[o.Point]))
            {
                semantic[p] = o.Label;
                instance[p] = o.Object;
            }
        }
        foreach (var o in stored.Objects.Where(o => o.Accepted))
        {
            var mask = MaskBits.Unpack(o.Mask, n);
            for (int p = 0; p < n; p++)
            {
                if (!mask[p]) continue;
                semantic[p] = o.Label;
                instance[p] = o.Object;
            }
        }
        return (semantic, instance);
    }

    /// <summary>Fraction of points with an instance.</summary>
    public static double LabelledFraction(int[] instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return instance.Length == 0 ? 0 : (double)instance.Count(i => i != Labels.NoInstance) / instance.Length;
    }
}
