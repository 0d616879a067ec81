namespace Clickscape.Geometry.Scenes;

/// <summary>
/// One scan: points with optional colours, normals, mesh faces and per-point labels. Every file format loads
/// into a <see cref="Scene"/> and every method consumes one.
/// </summary>
/// <remarks>
/// Storage is flat and interleaved so that slicing and voxelizing are cheap and the arrays can be handed to
/// SIMD kernels directly:
/// <list type="bullet">
/// <item><see cref="Positions"/>: x, y, z per point (float32, metres, +Z up for scans).</item>
/// <item><see cref="Colors"/>: r, g, b per point, 0–255, or null.</item>
/// <item><see cref="Normals"/>: nx, ny, nz per point, or null.</item>
/// <item><see cref="Faces"/>: three vertex indices per triangle, or null for a point cloud.</item>
/// <item><see cref="SemanticLabels"/>: a class id per point, an id of <see cref="Classes"/>;
/// <see cref="Unlabelled"/> (0) = not annotated, as in ScanNet's nyu40 ids.</item>
/// <item><see cref="InstanceIds"/>: 1..K per point; <see cref="NoInstance"/> (0) = belongs to no instance.</item>
/// </list>
/// </remarks>
public sealed class Scene
{
    /// <summary>The semantic label of a point nobody annotated.</summary>
    public const int Unlabelled = 0;

    /// <summary>The instance id of a point that belongs to no instance.</summary>
    public const int NoInstance = 0;

    /// <summary>Creates a scene from interleaved xyz positions.</summary>
    public Scene(string name, float[] positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.Length % 3 != 0)
            throw new ArgumentException($"scene '{name}': positions hold {positions.Length} floats, expected a multiple of 3 (x y z per point)");
        Name = name;
        Positions = positions;
    }

    /// <summary>Scene id, e.g. <c>scene0000_00</c>.</summary>
    public string Name { get; set; }

    /// <summary>x, y, z per point.</summary>
    public float[] Positions { get; }

    /// <summary>r, g, b per point (0–255), or null.</summary>
    public byte[]? Colors { get; set; }

    /// <summary>nx, ny, nz per point, or null.</summary>
    public float[]? Normals { get; set; }

    /// <summary>Three vertex indices per triangle, or null for a point cloud.</summary>
    public int[]? Faces { get; set; }

    /// <summary>Class id per point (<see cref="Unlabelled"/> = 0), or null.</summary>
    public int[]? SemanticLabels { get; set; }

    /// <summary>Instance id per point, 1..K (<see cref="NoInstance"/> = 0), or null.</summary>
    public int[]? InstanceIds { get; set; }

    /// <summary>What the ids in <see cref="SemanticLabels"/> mean, or null when unknown.</summary>
    public ClassTable? Classes { get; set; }

    /// <summary>What the reader dropped or changed in the file, one line each (commands print them; empty for most files).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Number of points (vertices).</summary>
    public int PointCount => Positions.Length / 3;

    /// <summary>Number of triangles (0 for a point cloud).</summary>
    public int FaceCount => Faces is null ? 0 : Faces.Length / 3;

    /// <summary>The position of point <paramref name="i"/>.</summary>
    public System.Numerics.Vector3 Position(int i) => new(Positions[3 * i], Positions[3 * i + 1], Positions[3 * i + 2]);

    /// <summary>
    /// Returns null when the scene is consistent, otherwise a one-line description of the first problem:
    /// array lengths that disagree with the point count, non-finite coordinates or normals, face indices out
    /// of range, negative labels. File readers turn it into an error that names the file.
    /// </summary>
    public string? Validate()
    {
        int n = PointCount;
        for (int i = 0; i < Positions.Length; i++)
        {
            if (!float.IsFinite(Positions[i]))
                return $"point {i / 3} has a non-finite coordinate ({Positions[i]}); expected finite x y z";
        }
        if (Colors is not null && Colors.Length != 3 * n)
            return $"{Colors.Length / 3} colours for {n} points";
        if (Normals is not null)
        {
            if (Normals.Length != 3 * n) return $"{Normals.Length / 3} normals for {n} points";
            for (int i = 0; i < Normals.Length; i++)
            {
                if (!float.IsFinite(Normals[i])) return $"normal of point {i / 3} is not finite";
            }
        }
        if (Faces is not null)
        {
            if (Faces.Length % 3 != 0) return $"face index array has {Faces.Length} entries, expected 3 per triangle";
            for (int i = 0; i < Faces.Length; i++)
            {
                if ((uint)Faces[i] >= (uint)n)
                    return $"face {i / 3} refers to vertex {Faces[i]}, expected 0..{n - 1}";
            }
        }
        if (SemanticLabels is not null)
        {
            if (SemanticLabels.Length != n) return $"{SemanticLabels.Length} semantic labels for {n} points";
            for (int i = 0; i < n; i++)
            {
                if (SemanticLabels[i] < 0) return $"point {i} has semantic label {SemanticLabels[i]}, expected ≥ 0";
            }
        }
        if (InstanceIds is not null)
        {
            if (InstanceIds.Length != n) return $"{InstanceIds.Length} instance ids for {n} points";
            for (int i = 0; i < n; i++)
            {
                if (InstanceIds[i] < 0) return $"point {i} has instance id {InstanceIds[i]}, expected ≥ 0";
            }
        }
        return null;
    }

    /// <summary>
    /// A new scene holding the points <paramref name="indices"/> (in that order) with all their per-point
    /// attributes. Faces are kept only when all three vertices are selected, re-indexed.
    /// </summary>
    public Scene Slice(ReadOnlySpan<int> indices)
    {
        int n = PointCount;
        var positions = new float[indices.Length * 3];
        for (int j = 0; j < indices.Length; j++)
        {
            int i = indices[j];
            if ((uint)i >= (uint)n) throw new ArgumentOutOfRangeException(nameof(indices), $"point {i} does not exist: scene '{Name}' has {n} points");
            positions[3 * j] = Positions[3 * i];
            positions[3 * j + 1] = Positions[3 * i + 1];
            positions[3 * j + 2] = Positions[3 * i + 2];
        }
        var slice = new Scene(Name, positions) { Classes = Classes };
        if (Colors is not null) slice.Colors = GatherTriples(Colors, indices);
        if (Normals is not null) slice.Normals = GatherTriples(Normals, indices);
        if (SemanticLabels is not null) slice.SemanticLabels = Gather(SemanticLabels, indices);
        if (InstanceIds is not null) slice.InstanceIds = Gather(InstanceIds, indices);
        if (Faces is not null)
        {
            var newIndex = new int[n];
            Array.Fill(newIndex, -1);
            for (int j = 0; j < indices.Length; j++) newIndex[indices[j]] = j;
            var faces = new List<int>();
            for (int f = 0; f < Faces.Length; f += 3)
            {
                int a = newIndex[Faces[f]], b = newIndex[Faces[f + 1]], c = newIndex[Faces[f + 2]];
                if (a >= 0 && b >= 0 && c >= 0)
                {
                    faces.Add(a);
                    faces.Add(b);
                    faces.Add(c);
                }
            }
            slice.Faces = faces.ToArray();
        }
        return slice;
    }

    /// <summary>Axis-aligned bounds (min, max) of the points; both zero for an empty scene.</summary>
    public (System.Numerics.Vector3 Min, System.Numerics.Vector3 Max) Bounds()
    {
        if (PointCount == 0) return (default, default);
        var min = new System.Numerics.Vector3(float.PositiveInfinity);
        var max = new System.Numerics.Vector3(float.NegativeInfinity);
        for (int i = 0; i < PointCount; i++)
        {
            var p = Position(i);
            min = System.Numerics.Vector3.Min(min, p);
            max = System.Numerics.Vector3.Max(max, p);
        }
        return (min, max);
    }

    /// <summary>Groups the points into cubic voxels of edge <paramref name="voxelSize"/>; see <see cref="VoxelGrid"/>.</summary>
    public VoxelGrid Voxelize(float voxelSize) => VoxelGrid.Build(Positions, voxelSize);

    private static T[] GatherTriples<T>(T[] source, ReadOnlySpan<int> indices)
    {
        var result = new T[indices.Length * 3];
        for (int j = 0; j < indices.Length; j++)
        {
            int i = indices[j];
            result[3 * j] = source[3 * i];
            result[3 * j + 1] = source[3 * i + 1];
            result[3 * j + 2] = source[3 * i + 2];
        }
        return result;
    }

    private static int[] Gather(int[] source, ReadOnlySpan<int> indices)
    {
        var result = new int[indices.Length];
        for (int j = 0; j < indices.Length; j++) result[j] = source[indices[j]];
        return result;
    }
}
