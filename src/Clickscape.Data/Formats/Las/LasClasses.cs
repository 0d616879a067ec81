using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.Las;

/// <summary>
/// The ASPRS standard point classes of LAS 1.4 (Table 17, classes 1–18; 0 "created, never classified" is the
/// unlabelled id and not listed), with display colours of our own.
/// </summary>
public static class LasClasses
{
    private static readonly (int Id, string Name, byte R, byte G, byte B)[] Names =
    [
        (1, "unclassified", 170, 170, 170), (2, "ground", 170, 120, 60), (3, "low vegetation", 150, 220, 110),
        (4, "medium vegetation", 80, 180, 60), (5, "high vegetation", 30, 120, 30), (6, "building", 220, 80, 60),
        (7, "low point (noise)", 255, 0, 255), (8, "model key-point", 255, 255, 0), (9, "water", 40, 100, 230),
        (10, "rail", 120, 80, 160), (11, "road surface", 90, 90, 90), (12, "overlap", 255, 200, 150),
        (13, "wire guard", 230, 230, 120), (14, "wire conductor", 240, 200, 40), (15, "transmission tower", 200, 60, 140),
        (16, "wire-structure connector", 120, 200, 220), (17, "bridge deck", 150, 110, 90), (18, "high noise", 255, 60, 200),
    ];

    /// <summary>The ASPRS class table.</summary>
    public static ClassTable Asprs { get; } = new("asprs", Names.Select(c => new SemanticClass(c.Id, c.Name, c.R, c.G, c.B)));
}
