namespace Clickscape.Data.Rendering;

/// <summary>What colour a point is drawn in.</summary>
public enum RenderColorMode
{
    /// <summary>The scan colours (<c>Scene.Colors</c>), light grey when the scene has none.</summary>
    Rgb,

    /// <summary>The class colour of the semantic label (<see cref="LabelPalette.Semantic"/>).</summary>
    Semantic,

    /// <summary>A distinct colour per instance id (<see cref="LabelPalette.Instance"/>).</summary>
    Instance,
}

/// <summary>Which views the picture shows.</summary>
public enum RenderView
{
    /// <summary>Orthographic, looking straight down −Z, +Y up in the picture.</summary>
    Top,

    /// <summary>Perspective from a corner of the bounding box, 35° below the horizon.</summary>
    Oblique,

    /// <summary>Top-down on the left, oblique on the right.</summary>
    Both,
}

/// <summary>Settings of <see cref="SceneRenderer.Render"/>.</summary>
/// <param name="Width">Width of the whole picture in pixels; each view of <see cref="RenderView.Both"/> gets half.</param>
/// <param name="Color">Colouring of the points.</param>
/// <param name="View">Views to draw.</param>
/// <param name="Shading">Lambert shading from normals (given, from faces, or estimated), so surfaces read as shapes.</param>
/// <param name="Cutaway">In the oblique view of a room-like scene (wider than tall), hide surfaces facing away from
/// the camera — the near walls — like a dollhouse view, so the inside of the room is visible.</param>
public sealed record RenderOptions(
    int Width = 1600,
    RenderColorMode Color = RenderColorMode.Rgb,
    RenderView View = RenderView.Both,
    bool Shading = true,
    bool Cutaway = true);
