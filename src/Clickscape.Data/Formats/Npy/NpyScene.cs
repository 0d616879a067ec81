using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.Npy;

/// <summary>
/// A point array as a scene: an N×3 array is x y z, an N×6 array is x y z r g b with colours 0–255 (the
/// mmdetection3d <c>_vert.npy</c> layout), an N×9 one x y z r g b nx ny nz; any other width needs a
/// <see cref="ColumnMap"/> (<c>--columns</c>). Saving writes float32 N×3, or N×6 when the scene has colours.
/// </summary>
public static class NpyScene
{
    /// <summary>Reads the .npy at <paramref name="path"/> as a scene named after the file.</summary>
    public static Scene Load(string path) => Load(path, null);

    /// <summary>Reads the .npy at <paramref name="path"/> with columns <paramref name="columns"/> (null: inferred).</summary>
    public static Scene Load(string path, ColumnMap? columns) => ToScene(NpyReader.Read(path), Path.GetFileNameWithoutExtension(path), path, columns);

    /// <summary>Writes <paramref name="scene"/> as float32 N×3 or N×6 (x y z r g b).</summary>
    public static void Save(string path, Scene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        int n = scene.PointCount;
        if (scene.Colors is not { } colors)
        {
            NpyWriter.Write(path, new NpyArray((float[])scene.Positions.Clone(), [n, 3]));
            return;
        }
        var values = new float[6 * n];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                values[6 * i + c] = scene.Positions[3 * i + c];
                values[6 * i + 3 + c] = colors[3 * i + c];
            }
        }
        NpyWriter.Write(path, new NpyArray(values, [n, 6]));
    }

    /// <summary>The scene of an N×3 / N×6 / N×9 array (see <see cref="ColumnMap.Infer"/>); <paramref name="source"/> names the file in errors.</summary>
    public static Scene ToScene(NpyArray array, string name, string source) => ToScene(array, name, source, null);

    /// <summary>
    /// The scene of an N×K array whose columns mean <paramref name="columns"/>; null infers them where the width
    /// leaves no doubt and otherwise fails asking for <c>--columns</c> (label columns are never dropped in silence).
    /// </summary>
    public static Scene ToScene(NpyArray array, string name, string source, ColumnMap? columns)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Shape.Length != 2 || array.Shape[1] < 3)
            throw new DataFormatException(source, $"NPY point array has shape ({string.Join(", ", array.Shape)}), expected (N, 3) x y z or (N, 6) x y z r g b (other widths with --columns)");
        int n = array.Shape[0], width = array.Shape[1];
        // float32 and float64 arrays are read in place; integer arrays through one float64 copy.
        return array.Data switch
        {
            float[] f => Map<float>(f, n, width, name, source, columns),
            double[] d => Map<double>(d, n, width, name, source, columns),
            _ => Map<double>(array.ToDoubleArray(), n, width, name, source, columns),
        };
    }

    private static Scene Map<T>(ReadOnlySpan<T> values, int n, int width, string name, string source, ColumnMap? columns)
        where T : System.Numerics.INumberBase<T>
    {
        var map = columns ?? ColumnMap.Infer(values, n, width, source);
        if (map.Width != width)
            throw new DataFormatException(source, $"NPY point array has {width} columns, --columns {map} names {map.Width}");
        return map.ToScene(values, n, name, source);
    }

    /// <summary>A 0–255 colour value as a byte: rounded, clamped, NaN → 0.</summary>
    internal static byte ToByte(float v) => float.IsNaN(v) ? (byte)0 : (byte)Math.Clamp(MathF.Round(v), 0f, 255f);
}
