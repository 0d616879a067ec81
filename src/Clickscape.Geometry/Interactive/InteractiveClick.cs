namespace Clickscape.Geometry.Interactive;

/// <summary>
/// One click of interactive single-object segmentation: point <see cref="Point"/> of the scene belongs to the
/// object (<see cref="Positive"/>) or does not.
/// </summary>
/// <param name="Point">Index of the clicked point in the scene.</param>
/// <param name="Positive">True for "this is the object", false for "this is not".</param>
public readonly record struct InteractiveClick(int Point, bool Positive);
