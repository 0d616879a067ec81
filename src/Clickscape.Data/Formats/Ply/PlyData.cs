namespace Clickscape.Data.Formats.Ply;

/// <summary>
/// A whole PLY file as read: header (format, comments) and every element with every property as a typed
/// column. Nothing is dropped, so unknown properties survive a read → write round trip; the scene mapping
/// (<see cref="PlyScene"/>) picks the columns it knows.
/// </summary>
public sealed class PlyData
{
    /// <summary>The body encoding.</summary>
    public PlyFormat Format { get; set; } = PlyFormat.BinaryLittleEndian;

    /// <summary>The <c>comment</c> lines of the header, without the keyword.</summary>
    public List<string> Comments { get; } = [];

    /// <summary>The <c>obj_info</c> lines of the header, without the keyword.</summary>
    public List<string> ObjInfo { get; } = [];

    /// <summary>The elements in file order.</summary>
    public List<PlyElement> Elements { get; } = [];

    /// <summary>The element named <paramref name="name"/>, or null.</summary>
    public PlyElement? Element(string name) => Elements.Find(e => e.Name == name);
}

/// <summary>One element block (<c>vertex</c>, <c>face</c>, …): a row count and its properties.</summary>
public sealed class PlyElement
{
    /// <summary>Creates an element with <paramref name="count"/> rows and no properties yet.</summary>
    public PlyElement(string name, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Name = name;
        Count = count;
    }

    /// <summary>Element name.</summary>
    public string Name { get; }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>Properties in row order.</summary>
    public List<PlyProperty> Properties { get; } = [];

    /// <summary>The property named <paramref name="name"/>, or null.</summary>
    public PlyProperty? Property(string name) => Properties.Find(p => p.Name == name);

    /// <summary>The first property whose name is one of <paramref name="names"/>, or null.</summary>
    public PlyProperty? Property(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            var p = Property(name);
            if (p is not null) return p;
        }
        return null;
    }

    /// <summary>Adds a scalar property whose <see cref="PlyColumn.Length"/> must equal <see cref="Count"/>.</summary>
    public PlyProperty AddScalar(string name, PlyColumn values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != Count) throw new ArgumentException($"PLY property '{name}' has {values.Length} values, element '{Name}' has {Count} rows");
        var p = new PlyProperty(name, values.Type, null, values, null);
        Properties.Add(p);
        return p;
    }

    /// <summary>
    /// Adds a list property: row r holds <c>values[offsets[r] .. offsets[r+1])</c>; offsets has
    /// <see cref="Count"/> + 1 entries starting at 0.
    /// </summary>
    public PlyProperty AddList(string name, PlyScalarType countType, PlyColumn values, int[] offsets)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(offsets);
        if (!countType.IsInteger()) throw new ArgumentException($"PLY list '{name}': count type must be an integer type, not {countType}");
        if (offsets.Length != Count + 1 || offsets[0] != 0 || offsets[^1] != values.Length)
            throw new ArgumentException($"PLY list '{name}': offsets must have {Count + 1} entries from 0 to {values.Length}");
        var p = new PlyProperty(name, values.Type, countType, values, offsets);
        Properties.Add(p);
        return p;
    }
}

/// <summary>
/// One property of an element. Scalar: <see cref="Values"/> has one value per row. List
/// (<see cref="IsList"/>): row r's items are <c>Values[Offsets[r] .. Offsets[r+1])</c>.
/// </summary>
public sealed class PlyProperty
{
    internal PlyProperty(string name, PlyScalarType type, PlyScalarType? countType, PlyColumn values, int[]? offsets)
    {
        Name = name;
        Type = type;
        CountType = countType;
        Values = values;
        Offsets = offsets;
    }

    /// <summary>Property name.</summary>
    public string Name { get; }

    /// <summary>Type of the values (of the items, for a list).</summary>
    public PlyScalarType Type { get; }

    /// <summary>Type of a list's per-row count, or null for a scalar property.</summary>
    public PlyScalarType? CountType { get; }

    /// <summary>Whether this is a list property.</summary>
    public bool IsList => CountType is not null;

    /// <summary>The values (all items of all rows, for a list).</summary>
    public PlyColumn Values { get; internal set; }

    /// <summary>Row offsets into <see cref="Values"/> for a list (Count + 1 entries), or null.</summary>
    public int[]? Offsets { get; internal set; }
}
