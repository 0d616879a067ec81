namespace Clickscape.Data.Synthetic.Scenes;

/// <summary>The kinds of rooms the generator lays out; each has its own furniture (REFERENCE.md §1.2 classes).</summary>
public enum RoomKind
{
    /// <summary>Bed, wardrobes, night stands, desk, curtains.</summary>
    Bedroom,
    /// <summary>Sofas, coffee table, armchairs, bookshelves, TV cabinet.</summary>
    LivingRoom,
    /// <summary>Desks with chairs pushed under, bookshelves, cabinet rows, meeting table.</summary>
    Office,
    /// <summary>Counter on base cabinets with a sink, wall cabinets, refrigerator, dining table.</summary>
    Kitchen,
    /// <summary>Toilet, sink on a vanity, bathtub with a shower curtain.</summary>
    Bathroom,
}

/// <summary>Vertex-count presets of <c>clickscape synth scenes --size</c>.</summary>
public enum SceneSize
{
    /// <summary>About 20–40 thousand vertices per room.</summary>
    Small,
    /// <summary>About 60–100 thousand vertices per room.</summary>
    Medium,
    /// <summary>About 120–150 thousand vertices per room.</summary>
    Large,
}

/// <summary>The vertex-count range of each <see cref="SceneSize"/>.</summary>
public static class SceneSizes
{
    /// <summary>Inclusive vertex-count range a room of <paramref name="size"/> lands in.</summary>
    public static (int Min, int Max) VertexRange(SceneSize size) => size switch
    {
        SceneSize.Small => (20_000, 40_000),
        SceneSize.Medium => (60_000, 100_000),
        SceneSize.Large => (120_000, 150_000),
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "expected small, medium or large"),
    };
}
