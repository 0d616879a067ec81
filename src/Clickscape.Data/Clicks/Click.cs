namespace Clickscape.Data.Clicks;

/// <summary>
/// One annotator click: a point of a scene that belongs to object <see cref="Object"/> of class
/// <see cref="Label"/> (positive), or, in interactive segmentation, a point that does not (negative).
/// </summary>
/// <param name="Object">Instance id the click belongs to (1..K), as in the scene's instance ids.</param>
/// <param name="Label">Semantic class id of the object (nyu40 id for ScanNet-layout scenes).</param>
/// <param name="Point">Index of the clicked point (vertex) in the scene.</param>
/// <param name="Xyz">Coordinates of the clicked point, kept so a click survives re-sampling of the scene.</param>
/// <param name="Positive">True for "this is the object", false for "this is not".</param>
/// <param name="Order">Position of the click in the annotation session (0-based).</param>
public sealed record Click(int Object, int Label, int Point, float[] Xyz, bool Positive, int Order);
