using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.SemanticKitti;

/// <summary>
/// The raw SemanticKITTI label ids and names (semantic-kitti-api <c>config/semantic-kitti.yaml</c>
/// <c>labels</c>), with display colours of our own (a fixed hue per id). 0 = unlabeled is not listed.
/// </summary>
public static class SemanticKittiClasses
{
    private static readonly (int Id, string Name)[] Names =
    [
        (1, "outlier"), (10, "car"), (11, "bicycle"), (13, "bus"), (15, "motorcycle"), (16, "on-rails"), (18, "truck"),
        (20, "other-vehicle"), (30, "person"), (31, "bicyclist"), (32, "motorcyclist"), (40, "road"), (44, "parking"),
        (48, "sidewalk"), (49, "other-ground"), (50, "building"), (51, "fence"), (52, "other-structure"),
        (60, "lane-marking"), (70, "vegetation"), (71, "trunk"), (72, "terrain"), (80, "pole"), (81, "traffic-sign"),
        (99, "other-object"), (252, "moving-car"), (253, "moving-bicyclist"), (254, "moving-person"),
        (255, "moving-motorcyclist"), (256, "moving-on-rails"), (257, "moving-bus"), (258, "moving-truck"),
        (259, "moving-other-vehicle"),
    ];

    /// <summary>The raw id table.</summary>
    public static ClassTable Raw { get; } = new("semantickitti", Names.Select((c, i) => Colored(c.Id, c.Name, i)));

    private static SemanticClass Colored(int id, string name, int index)
    {
        // Golden-angle hues so neighbouring ids get distinct colours.
        double h = (index * 137.508) % 360 / 60.0;
        double x = 1 - Math.Abs(h % 2 - 1);
        (double r, double g, double b) = (int)h switch { 0 => (1.0, x, 0.0), 1 => (x, 1.0, 0.0), 2 => (0.0, 1.0, x), 3 => (0.0, x, 1.0), 4 => (x, 0.0, 1.0), _ => (1.0, 0.0, x) };
        return new SemanticClass(id, name, (byte)(60 + 190 * r), (byte)(60 + 190 * g), (byte)(60 + 190 * b));
    }
}
