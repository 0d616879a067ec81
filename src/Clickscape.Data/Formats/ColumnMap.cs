using System.Globalization;
using System.Numerics;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats;

/// <summary>What one column of an N×K point table (NPY array, raw float32 <c>.bin</c>, text lines) holds.</summary>
public enum PointColumn
{
    /// <summary>A column read and ignored on purpose (<c>_</c>, <c>skip</c>, <c>intensity</c>, <c>remission</c>, …).</summary>
    Skip,

    /// <summary>x coordinate.</summary>
    X,

    /// <summary>y coordinate.</summary>
    Y,

    /// <summary>z coordinate.</summary>
    Z,

    /// <summary>Red, 0–255 (or 0–1, scaled).</summary>
    R,

    /// <summary>Green.</summary>
    G,

    /// <summary>Blue.</summary>
    B,

    /// <summary>Normal x.</summary>
    Nx,

    /// <summary>Normal y.</summary>
    Ny,

    /// <summary>Normal z.</summary>
    Nz,

    /// <summary>Semantic class id.</summary>
    Semantic,

    /// <summary>Instance id.</summary>
    Instance,
}

/// <summary>
/// The meaning of the columns of an N×K point table, as the user names them (<c>--columns x,y,z,r,g,b,sem,ins</c>)
/// or as inferred where the width leaves no doubt (<see cref="Infer"/>): 3 = x y z, 6 = x y z r g b, 9 = x y z r g b
/// nx ny nz when the last three are unit vectors. Every other width needs the user's names, so that label columns
/// (viewers and Pointcept exports append <c>semantic instance</c>) are never dropped in silence.
/// </summary>
/// <remarks>
/// Label conventions: a semantic id ≥ 0 is kept as the file has it; the ignore markers −1 and −100 become
/// <see cref="Labels.Unlabelled"/>. Instance ids ≥ 0 with no negative value are kept (0 = no instance, as
/// ScanNet); a column holding −1 or −100 is 0-based with that marker for "none" (Pointcept), so ids become
/// id + 1 and the marker <see cref="Labels.NoInstance"/>. Fractional or other negative label values are errors.
/// Colours are 0–255; colour columns that all lie in [0, 1] with some fractional value are 0–1 and scaled.
/// </remarks>
public sealed class ColumnMap
{
    private static readonly Dictionary<string, PointColumn> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["x"] = PointColumn.X, ["y"] = PointColumn.Y, ["z"] = PointColumn.Z,
        ["r"] = PointColumn.R, ["red"] = PointColumn.R, ["g"] = PointColumn.G, ["green"] = PointColumn.G,
        ["b"] = PointColumn.B, ["blue"] = PointColumn.B,
        ["nx"] = PointColumn.Nx, ["ny"] = PointColumn.Ny, ["nz"] = PointColumn.Nz,
        ["sem"] = PointColumn.Semantic, ["semantic"] = PointColumn.Semantic, ["label"] = PointColumn.Semantic, ["class"] = PointColumn.Semantic,
        ["ins"] = PointColumn.Instance, ["instance"] = PointColumn.Instance,
        ["_"] = PointColumn.Skip, ["skip"] = PointColumn.Skip, ["intensity"] = PointColumn.Skip, ["remission"] = PointColumn.Skip,
    };

    private readonly PointColumn[] _columns;

    /// <summary>Creates a map; x, y, z exactly once, r g b and nx ny nz all or none, sem and ins at most once.</summary>
    public ColumnMap(IEnumerable<PointColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = columns.ToArray();
        if (Check(_columns) is { } problem) throw new ArgumentException($"--columns {this}: {problem}");
    }

    /// <summary>x y z.</summary>
    public static ColumnMap Xyz { get; } = new([PointColumn.X, PointColumn.Y, PointColumn.Z]);

    /// <summary>x y z r g b.</summary>
    public static ColumnMap XyzRgb { get; } = new([PointColumn.X, PointColumn.Y, PointColumn.Z, PointColumn.R, PointColumn.G, PointColumn.B]);

    /// <summary>x y z r g b nx ny nz.</summary>
    public static ColumnMap XyzRgbNormals { get; } = new([.. XyzRgb.Columns, PointColumn.Nx, PointColumn.Ny, PointColumn.Nz]);

    /// <summary>The column meanings, first column first.</summary>
    public IReadOnlyList<PointColumn> Columns => _columns;

    /// <summary>Number of columns the table must have.</summary>
    public int Width => _columns.Length;

    /// <summary>Whether a semantic or instance column is named.</summary>
    public bool HasLabels => _columns.Contains(PointColumn.Semantic) || _columns.Contains(PointColumn.Instance);

    /// <summary>
    /// Parses a comma-separated list such as <c>x,y,z,r,g,b,sem,ins</c>. Names: x y z, r g b (red green blue),
    /// nx ny nz, sem (semantic, label, class), ins (instance), and _ / skip / intensity / remission for a column to ignore.
    /// </summary>
    public static ColumnMap Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var columns = new PointColumn[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!Names.TryGetValue(parts[i], out columns[i]))
                throw new ArgumentException($"--columns: '{Shorten(parts[i])}' (column {i + 1}) is not a column name; expected x, y, z, r, g, b, nx, ny, nz, sem, ins or _ (skip)");
        }
        return new ColumnMap(columns);
    }

    /// <summary>
    /// The map of a table of <paramref name="width"/> columns when the width leaves no doubt (3, 6, or 9 with unit
    /// normals in the last three), else a <see cref="DataFormatException"/> that asks for <c>--columns</c>.
    /// </summary>
    public static ColumnMap Infer<T>(ReadOnlySpan<T> values, int rows, int width, string source)
        where T : INumberBase<T>
    {
        switch (width)
        {
            case 3:
                return Xyz;
            case 6:
                return XyzRgb;
            case 9 when AreUnitVectors(values, rows, width, 6):
                return XyzRgbNormals;
        }
        string hint = width switch
        {
            < 3 => "expected at least x y z",
            8 => "8 columns are often x y z r g b sem ins",
            9 => "columns 7–9 are not unit normals",
            11 => "11 columns are often x y z r g b nx ny nz sem ins",
            _ => "only 3 (x y z), 6 (x y z r g b) and 9 (x y z r g b nx ny nz) columns are read without names",
        };
        throw new DataFormatException(source, $"{rows}×{width} point table: {hint}; name the columns with --columns, e.g. --columns {Example(width)}");
    }

    /// <summary>
    /// The scene of a row-major table <paramref name="values"/> of <paramref name="rows"/> × <see cref="Width"/>;
    /// <paramref name="source"/> names the file in errors.
    /// </summary>
    public Scene ToScene<T>(ReadOnlySpan<T> values, int rows, string name, string source)
        where T : INumberBase<T>
    {
        int width = Width;
        if ((long)rows * width != values.Length)
            throw new DataFormatException(source, $"point table has {values.Length} values, --columns {this} needs {width} per point");
        var positions = new float[3 * rows];
        byte[]? colors = null;
        float[]? normals = null;
        int[]? semantic = null, instance = null;
        var colorColumns = new int[3];
        for (int c = 0; c < width; c++)
        {
            switch (_columns[c])
            {
                case PointColumn.X or PointColumn.Y or PointColumn.Z:
                    int axis = _columns[c] - PointColumn.X;
                    for (int i = 0; i < rows; i++) positions[3 * i + axis] = (float)D(values[width * i + c]);
                    break;
                case PointColumn.R or PointColumn.G or PointColumn.B:
                    colorColumns[_columns[c] - PointColumn.R] = c;
                    break;
                case PointColumn.Nx or PointColumn.Ny or PointColumn.Nz:
                    normals ??= new float[3 * rows];
                    int k = _columns[c] - PointColumn.Nx;
                    for (int i = 0; i < rows; i++) normals[3 * i + k] = (float)D(values[width * i + c]);
                    break;
                case PointColumn.Semantic:
                    semantic = SemanticColumn(values, rows, width, c, source);
                    break;
                case PointColumn.Instance:
                    instance = InstanceColumn(values, rows, width, c, source);
                    break;
            }
        }
        if (_columns.Contains(PointColumn.R)) colors = ColorColumns(values, rows, width, colorColumns);
        var scene = new Scene(name, positions) { Colors = colors, Normals = normals, SemanticLabels = semantic, InstanceIds = instance };
        if (scene.Validate() is { } problem) throw new DataFormatException(source, problem);
        return scene;
    }

    /// <summary>The names joined by commas, as <see cref="Parse"/> reads them.</summary>
    public override string ToString() => string.Join(',', _columns.Select(NameOf));

    private static double D<T>(T v)
        where T : INumberBase<T> => double.CreateTruncating(v);

    private static string NameOf(PointColumn c) => c switch
    {
        PointColumn.Skip => "_",
        PointColumn.Semantic => "sem",
        PointColumn.Instance => "ins",
        _ => c.ToString().ToLowerInvariant(),
    };

    private static string? Check(PointColumn[] columns)
    {
        foreach (var c in columns.Where(c => c != PointColumn.Skip).GroupBy(c => c))
        {
            if (c.Count() > 1) return $"'{NameOf(c.Key)}' is named {c.Count()} times";
        }
        if (!columns.Contains(PointColumn.X) || !columns.Contains(PointColumn.Y) || !columns.Contains(PointColumn.Z))
            return "x, y and z must all be named";
        int rgb = columns.Count(c => c is PointColumn.R or PointColumn.G or PointColumn.B);
        if (rgb is not (0 or 3)) return "name all of r, g, b or none";
        int n = columns.Count(c => c is PointColumn.Nx or PointColumn.Ny or PointColumn.Nz);
        if (n is not (0 or 3)) return "name all of nx, ny, nz or none";
        return null;
    }

    private static bool AreUnitVectors<T>(ReadOnlySpan<T> values, int rows, int width, int first)
        where T : INumberBase<T>
    {
        for (int i = 0; i < rows; i++)
        {
            double x = D(values[width * i + first]), y = D(values[width * i + first + 1]), z = D(values[width * i + first + 2]);
            double norm = (x * x) + (y * y) + (z * z);
            // Unit length, or the zero normal a mesh gives a vertex no face uses.
            if (!(Math.Abs(norm - 1) < 0.02 || norm == 0)) return false;
        }
        return true;
    }

    private static byte[] ColorColumns<T>(ReadOnlySpan<T> values, int rows, int width, int[] columns)
        where T : INumberBase<T>
    {
        bool unit = rows > 0, fractional = false;
        for (int i = 0; i < rows && unit; i++)
        {
            foreach (int c in columns)
            {
                double v = D(values[width * i + c]);
                if (v is < 0 or > 1) unit = false;
                else if (v != Math.Floor(v)) fractional = true;
            }
        }
        double scale = unit && fractional ? 255 : 1;
        var colors = new byte[3 * rows];
        for (int i = 0; i < rows; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                double v = D(values[width * i + columns[k]]) * scale;
                colors[3 * i + k] = double.IsNaN(v) ? (byte)0 : (byte)Math.Clamp(Math.Round(v), 0, 255);
            }
        }
        return colors;
    }

    internal static int[] SemanticColumn<T>(ReadOnlySpan<T> values, int rows, int width, int column, string source)
        where T : INumberBase<T>
    {
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            double v = LabelValue(D(values[width * i + column]), i, column, "semantic", source);
            labels[i] = v is -1 or -100 ? Labels.Unlabelled : (int)v;
        }
        return labels;
    }

    internal static int[] InstanceColumn<T>(ReadOnlySpan<T> values, int rows, int width, int column, string source)
        where T : INumberBase<T>
    {
        var ids = new int[rows];
        bool zeroBased = false;
        for (int i = 0; i < rows; i++)
        {
            double v = LabelValue(D(values[width * i + column]), i, column, "instance", source);
            if (v < 0) zeroBased = true;
            ids[i] = (int)v;
        }
        if (zeroBased)
        {
            for (int i = 0; i < rows; i++)
            {
                if (ids[i] == int.MaxValue) throw new DataFormatException(source, $"row {i + 1}: instance id {ids[i]} has no room for the 1-based shift");
                ids[i] = ids[i] < 0 ? Labels.NoInstance : ids[i] + 1;
            }
        }
        return ids;
    }

    private static double LabelValue(double v, int row, int column, string what, string source)
    {
        if (v != Math.Floor(v) || v > int.MaxValue || (v < 0 && v is not (-1 or -100)))
        {
            throw new DataFormatException(source, string.Create(CultureInfo.InvariantCulture,
                $"row {row + 1}, column {column + 1} ({what}): {v} is not a label id (expected an integer ≥ 0, or −1 / −100 for none)"));
        }
        return v;
    }

    private static string Example(int width) => width switch
    {
        4 => "x,y,z,sem or x,y,z,_",
        5 => "x,y,z,sem,ins",
        7 => "x,y,z,r,g,b,sem",
        8 => "x,y,z,r,g,b,sem,ins",
        10 => "x,y,z,r,g,b,nx,ny,nz,sem",
        11 => "x,y,z,r,g,b,nx,ny,nz,sem,ins",
        _ => "x,y,z,r,g,b,sem,ins (one name per column; _ skips one)",
    };

    private static string Shorten(string s) => s.Length <= 32 ? s : s[..32] + "…";
}
