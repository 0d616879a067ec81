using Clickscape.Data.Classes;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.Ply;

/// <summary>What <see cref="PlyScene.Save(string, Scene, PlyWriteOptions?)"/> writes.</summary>
public sealed record PlyWriteOptions
{
    /// <summary>Body encoding; binary little endian by default (what ScanNet ships).</summary>
    public PlyFormat Format { get; init; } = PlyFormat.BinaryLittleEndian;

    /// <summary>Write <c>red green blue</c> (uchar) when the scene has colours.</summary>
    public bool Colors { get; init; } = true;

    /// <summary>Also write <c>alpha</c> = 255 after the colours, as ScanNet's <c>_vh_clean_2.ply</c> does.</summary>
    public bool Alpha { get; init; }

    /// <summary>Write <c>nx ny nz</c> (float) when the scene has normals.</summary>
    public bool Normals { get; init; } = true;

    /// <summary>Write the semantic labels as a <c>label</c> property (ushort when they fit, else int).</summary>
    public bool Labels { get; init; }

    /// <summary>Write the instance ids as an <c>instance</c> property (int).</summary>
    public bool Instances { get; init; }

    /// <summary>Write the triangles as a <c>face</c> element with <c>vertex_indices</c> (uchar count, int items).</summary>
    public bool Faces { get; init; } = true;

    /// <summary>Header comments.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];
}

/// <summary>
/// Maps between PLY files and <see cref="Scene"/>: <c>x y z</c> → positions; <c>red green blue</c> (uchar, or
/// float 0–1) → colours; <c>nx ny nz</c> → normals; <c>label</c> → semantic labels (ScanNet
/// <c>.labels.ply</c>: NYU40 ids); <c>instance</c> / <c>objectId</c> → instance ids; a <c>face</c> element's
/// <c>vertex_indices</c> (or <c>vertex_index</c>) lists → triangles, polygons split as fans
/// (v0, vᵢ, vᵢ₊₁). Other elements and properties stay in the <see cref="PlyData"/> from
/// <see cref="PlyReader"/>.
/// </summary>
public static class PlyScene
{
    private static readonly string[] RedNames = ["red", "r", "diffuse_red"];
    private static readonly string[] GreenNames = ["green", "g", "diffuse_green"];
    private static readonly string[] BlueNames = ["blue", "b", "diffuse_blue"];
    private static readonly string[] LabelNames = ["label", "semantic", "semantic_label", "class"];
    private static readonly string[] InstanceNames = ["instance", "instance_id", "instanceId", "objectId", "object_id"];

    /// <summary>Reads the PLY file at <paramref name="path"/> as a scene named after the file.</summary>
    public static Scene Load(string path) => ToScene(PlyReader.Read(path), SceneName(path), path);

    /// <summary>Writes <paramref name="scene"/> to <paramref name="path"/> (atomically).</summary>
    public static void Save(string path, Scene scene, PlyWriteOptions? options = null)
    {
        options ??= new PlyWriteOptions();
        PlyWriter.Write(path, FromScene(scene, options), options.Format);
    }

    /// <summary>The scene of a parsed PLY; <paramref name="source"/> names the file in errors.</summary>
    public static Scene ToScene(PlyData data, string name, string source)
    {
        ArgumentNullException.ThrowIfNull(data);
        var vertex = data.Element("vertex") ?? throw new DataFormatException(source, "PLY has no 'vertex' element");
        var x = ScalarOrThrow(vertex, "x", source);
        var y = ScalarOrThrow(vertex, "y", source);
        var z = ScalarOrThrow(vertex, "z", source);
        int n = vertex.Count;
        var positions = new float[3 * n];
        Interleave(x.Values.ToSingleArray(), y.Values.ToSingleArray(), z.Values.ToSingleArray(), positions);
        var scene = new Scene(name, positions);

        var red = Scalar(vertex, RedNames);
        var green = Scalar(vertex, GreenNames);
        var blue = Scalar(vertex, BlueNames);
        if (red is not null && green is not null && blue is not null)
        {
            var colors = new byte[3 * n];
            FillColor(red.Values, colors, 0);
            FillColor(green.Values, colors, 1);
            FillColor(blue.Values, colors, 2);
            scene.Colors = colors;
        }

        var nx = Scalar(vertex, "nx");
        var ny = Scalar(vertex, "ny");
        var nz = Scalar(vertex, "nz");
        if (nx is not null && ny is not null && nz is not null)
        {
            var normals = new float[3 * n];
            Interleave(nx.Values.ToSingleArray(), ny.Values.ToSingleArray(), nz.Values.ToSingleArray(), normals);
            scene.Normals = normals;
        }

        if (Scalar(vertex, LabelNames) is { } label)
        {
            scene.SemanticLabels = Ids(label.Values, source, label.Name);
            if (source.EndsWith(".labels.ply", StringComparison.OrdinalIgnoreCase)) scene.Classes = ClassTables.Nyu40;
        }
        if (Scalar(vertex, InstanceNames) is { } instance) scene.InstanceIds = Ids(instance.Values, source, instance.Name);

        if (data.Element("face") is { } face)
        {
            var indices = face.Property("vertex_indices", "vertex_index");
            if (indices is { IsList: true }) scene.Faces = Triangulate(face, indices, n, source);
        }

        if (scene.Validate() is { } problem) throw new DataFormatException(source, problem);
        return scene;
    }

    /// <summary>The PLY layout of <paramref name="scene"/> under <paramref name="options"/>.</summary>
    public static PlyData FromScene(Scene scene, PlyWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        options ??= new PlyWriteOptions();
        int n = scene.PointCount;
        var data = new PlyData { Format = options.Format };
        data.Comments.AddRange(options.Comments);
        var vertex = new PlyElement("vertex", n);
        data.Elements.Add(vertex);
        AddTriples(vertex, scene.Positions, "x", "y", "z");
        if (options.Normals && scene.Normals is { } normals) AddTriples(vertex, normals, "nx", "ny", "nz");
        if (options.Colors && scene.Colors is { } colors)
        {
            for (int c = 0; c < 3; c++)
            {
                var channel = new byte[n];
                for (int i = 0; i < n; i++) channel[i] = colors[3 * i + c];
                vertex.AddScalar(c switch { 0 => "red", 1 => "green", _ => "blue" }, new PlyColumn<byte>(channel));
            }
            if (options.Alpha)
            {
                var alpha = new byte[n];
                Array.Fill(alpha, (byte)255);
                vertex.AddScalar("alpha", new PlyColumn<byte>(alpha));
            }
        }
        if (options.Labels && scene.SemanticLabels is { } labels)
        {
            bool fitsUShort = labels.All(l => l is >= 0 and <= ushort.MaxValue);
            vertex.AddScalar("label", fitsUShort
                ? new PlyColumn<ushort>(labels.Select(l => (ushort)l).ToArray())
                : new PlyColumn<int>((int[])labels.Clone()));
        }
        if (options.Instances && scene.InstanceIds is { } instances)
            vertex.AddScalar("instance", new PlyColumn<int>((int[])instances.Clone()));
        if (options.Faces && scene.Faces is { } faces)
        {
            int f = faces.Length / 3;
            var face = new PlyElement("face", f);
            var offsets = new int[f + 1];
            for (int i = 0; i <= f; i++) offsets[i] = 3 * i;
            face.AddList("vertex_indices", PlyScalarType.UInt8, new PlyColumn<int>((int[])faces.Clone()), offsets);
            data.Elements.Add(face);
        }
        return data;
    }

    /// <summary>The scene name of a file: its name without extension (and without ScanNet's suffixes).</summary>
    public static string SceneName(string path)
    {
        var file = Path.GetFileName(path);
        foreach (var suffix in new[] { "_vh_clean_2.labels.ply", "_vh_clean_2.ply", ".ply" })
        {
            if (file.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return file[..^suffix.Length];
        }
        return Path.GetFileNameWithoutExtension(file);
    }

    private static int[] Triangulate(PlyElement face, PlyProperty indices, int vertexCount, string source)
    {
        // int32 indices (the common case) are used in place; other types are converted and must convert exactly.
        var values = indices.Values is PlyColumn<int> ints ? ints.Values : indices.Values.ToInt32Array();
        bool exact = indices.Type is PlyScalarType.Int8 or PlyScalarType.UInt8 or PlyScalarType.Int16 or PlyScalarType.UInt16 or PlyScalarType.Int32;
        var offsets = indices.Offsets!;
        long triangles = 0;
        for (int f = 0; f < face.Count; f++) triangles += Math.Max(0, offsets[f + 1] - offsets[f] - 2);
        if (3 * triangles > Array.MaxLength) throw new DataFormatException(source, $"PLY faces make {triangles} triangles, too many to hold");
        var result = new int[3 * triangles];
        int t = 0;
        for (int f = 0; f < face.Count; f++)
        {
            int start = offsets[f], end = offsets[f + 1];
            for (int j = start; j < end; j++)
            {
                if ((uint)values[j] >= (uint)vertexCount || (!exact && indices.Values.GetDouble(j) != values[j]))
                    throw new DataFormatException(source, $"PLY face {f} refers to vertex {indices.Values.GetDouble(j)}, expected 0..{vertexCount - 1}");
            }
            // Fan: (v0, v_i, v_i+1) for i = 1 .. k-2; faces with fewer than 3 vertices are not surfaces.
            for (int j = start + 1; j + 1 < end; j++)
            {
                result[t++] = values[start];
                result[t++] = values[j];
                result[t++] = values[j + 1];
            }
        }
        return result;
    }

    private static void FillColor(PlyColumn column, byte[] colors, int channel)
    {
        int n = column.Length;
        switch (column)
        {
            case PlyColumn<byte> b:
                for (int i = 0; i < n; i++) colors[3 * i + channel] = b.Values[i];
                break;
            case PlyColumn<float> or PlyColumn<double>:
                // Float colours are 0–1 (Open3D, PCL); round to the nearest of 256 levels.
                for (int i = 0; i < n; i++)
                {
                    double v = column.GetDouble(i);
                    colors[3 * i + channel] = double.IsNaN(v) ? (byte)0 : (byte)Math.Clamp(Math.Round(v * 255.0), 0, 255);
                }
                break;
            case PlyColumn<ushort> u:
                for (int i = 0; i < n; i++) colors[3 * i + channel] = (byte)((u.Values[i] + 128) / 257);
                break;
            default:
                for (int i = 0; i < n; i++) colors[3 * i + channel] = (byte)Math.Clamp(column.GetDouble(i), 0, 255);
                break;
        }
    }

    private static void AddTriples(PlyElement element, float[] interleaved, string a, string b, string c)
    {
        int n = element.Count;
        var xs = new float[n];
        var ys = new float[n];
        var zs = new float[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = interleaved[3 * i];
            ys[i] = interleaved[3 * i + 1];
            zs[i] = interleaved[3 * i + 2];
        }
        element.AddScalar(a, new PlyColumn<float>(xs));
        element.AddScalar(b, new PlyColumn<float>(ys));
        element.AddScalar(c, new PlyColumn<float>(zs));
    }

    private static void Interleave(float[] a, float[] b, float[] c, float[] destination)
    {
        for (int i = 0; i < a.Length; i++)
        {
            destination[3 * i] = a[i];
            destination[3 * i + 1] = b[i];
            destination[3 * i + 2] = c[i];
        }
    }

    private static PlyProperty? Scalar(PlyElement element, params ReadOnlySpan<string> names)
    {
        var p = element.Property(names);
        return p is { IsList: false } ? p : null;
    }

    private static PlyProperty ScalarOrThrow(PlyElement element, string name, string source) =>
        Scalar(element, name) ?? throw new DataFormatException(source, $"PLY 'vertex' element has no scalar '{name}' property; expected x, y, z");

    /// <summary>
    /// Label or instance ids of a vertex property, exactly: a float id must be a whole number and every id
    /// must fit int32. NaN, 2.5, 1e20 or a uint32 above 2³¹ − 1 is an error naming the vertex — never
    /// truncated or saturated, which would give a wrong class or merge instances into one id.
    /// </summary>
    private static int[] Ids(PlyColumn values, string source, string property)
    {
        if (values.Type is PlyScalarType.Int8 or PlyScalarType.UInt8 or PlyScalarType.Int16 or PlyScalarType.UInt16 or PlyScalarType.Int32)
            return values.ToInt32Array();
        var ids = new int[values.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            double v = values.GetDouble(i);
            if (!double.IsFinite(v) || v != Math.Floor(v) || v is < int.MinValue or > int.MaxValue)
                throw new DataFormatException(source, $"vertex {i}: {property} {v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} is not a whole number in the int32 range");
            ids[i] = (int)v;
        }
        return ids;
    }
}
