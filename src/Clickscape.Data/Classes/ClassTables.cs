using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Classes;

/// <summary>
/// The class tables of the datasets Clickscape reads: NYU40 (ScanNet's per-vertex labels) and the 13 S3DIS
/// classes. Id 0 is "unlabelled" in every table and is not listed.
/// </summary>
/// <remarks>
/// NYU40 names follow ScanNet's <c>nyu40class</c> column (with "refrigerator" spelt correctly; the ScanNet
/// spelling "refridgerator" is accepted by <see cref="Formats.ScanNet.ScanNetLabelMap.BuiltIn"/>); colours are
/// ScanNet's <c>create_color_palette</c> (BenchmarkScripts/util.py), REFERENCE.md §1.2.
/// </remarks>
public static class ClassTables
{
    private static readonly string[] Nyu40Names =
    [
        "wall", "floor", "cabinet", "bed", "chair", "sofa", "table", "door", "window", "bookshelf",
        "picture", "counter", "blinds", "desk", "shelves", "curtain", "dresser", "pillow", "mirror", "floor mat",
        "clothes", "ceiling", "books", "refrigerator", "television", "paper", "towel", "shower curtain", "box", "whiteboard",
        "person", "night stand", "toilet", "sink", "lamp", "bathtub", "bag", "otherstructure", "otherfurniture", "otherprop",
    ];

    // create_color_palette(): entry i is the colour of nyu40 id i; entry 0 is unlabelled.
    private static readonly byte[] Nyu40Palette =
    [
        0, 0, 0, 174, 199, 232, 152, 223, 138, 31, 119, 180, 255, 187, 120, 188, 189, 34, 140, 86, 75,
        255, 152, 150, 214, 39, 40, 197, 176, 213, 148, 103, 189, 196, 156, 148, 23, 190, 207, 178, 76, 76,
        247, 182, 210, 66, 188, 102, 219, 219, 141, 140, 57, 197, 202, 185, 52, 51, 176, 203, 200, 54, 131,
        92, 193, 61, 78, 71, 183, 172, 114, 82, 255, 127, 14, 91, 163, 138, 153, 98, 156, 140, 153, 101,
        158, 218, 229, 100, 125, 154, 178, 127, 135, 120, 185, 128, 146, 111, 194, 44, 160, 44, 112, 128, 144,
        96, 207, 209, 227, 119, 194, 213, 92, 176, 94, 106, 211, 82, 84, 163, 100, 85, 144,
    ];

    private static readonly string[] S3disNames =
        ["ceiling", "floor", "wall", "beam", "column", "window", "door", "table", "chair", "sofa", "bookcase", "board", "clutter"];

    // The S3DIS colours of ASIS/indoor3d_util.py g_class2color, in class order.
    private static readonly byte[] S3disPalette =
    [
        0, 255, 0, 0, 0, 255, 0, 255, 255, 255, 255, 0, 255, 0, 255, 100, 100, 255, 200, 200, 100,
        170, 120, 200, 255, 0, 0, 200, 100, 100, 10, 200, 100, 200, 200, 200, 50, 50, 50,
    ];

    /// <summary>Number of entries in the NYU40 palette (ids 0..40).</summary>
    public const int Nyu40PaletteSize = 41;

    /// <summary>The 40 NYU40 classes, ids 1..40, ScanNet names and palette.</summary>
    public static ClassTable Nyu40 { get; } = new(
        "nyu40",
        Nyu40Names.Select((name, i) => new SemanticClass(i + 1, name, Nyu40Palette[3 * (i + 1)], Nyu40Palette[3 * (i + 1) + 1], Nyu40Palette[3 * (i + 1) + 2])));

    /// <summary>The 13 S3DIS classes, ids 1..13 in the order of REFERENCE.md §8 (ceiling = 1 … clutter = 13).</summary>
    public static ClassTable S3dis { get; } = new(
        "s3dis",
        S3disNames.Select((name, i) => new SemanticClass(i + 1, name, S3disPalette[3 * i], S3disPalette[3 * i + 1], S3disPalette[3 * i + 2])));

    /// <summary>
    /// The palette colour of <paramref name="id"/>: id 0 is black; ids beyond 40 wrap modulo 41, as ScanNet's
    /// <c>visualize_instance_image</c> colours instances.
    /// </summary>
    public static (byte R, byte G, byte B) Nyu40Color(int id)
    {
        int k = ((id % Nyu40PaletteSize) + Nyu40PaletteSize) % Nyu40PaletteSize;
        return (Nyu40Palette[3 * k], Nyu40Palette[3 * k + 1], Nyu40Palette[3 * k + 2]);
    }
}
