using System.Globalization;
using System.Text;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.Text;

/// <summary>
/// Plain-text point clouds (<c>.xyz</c>, <c>.xyzrgb</c>, <c>.txt</c>, <c>.pts</c>): one point per line,
/// <c>x y z</c> or <c>x y z r g b</c> (further columns ignored). Colours are 0–255; a file whose colour
/// columns all lie in [0, 1] with some fractional value is read as 0–1 and scaled.
/// </summary>
public static class TextPointCloud
{
    /// <summary>Reads <paramref name="path"/> as a scene named after the file.</summary>
    public static Scene Load(string path) => ToScene(TextTable.Read(path), Path.GetFileNameWithoutExtension(path), path);

    /// <summary>The scene of a table with 3 or ≥ 6 columns.</summary>
    public static Scene ToScene(TextTable table, string name, string source)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Rows > 0 && table.Columns < 3)
            throw new DataFormatException(source, $"{table.Columns} columns per line, expected x y z [r g b]");
        int n = table.Rows;
        var positions = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 3; c++) positions[3 * i + c] = table[i, c];
        }
        var scene = new Scene(name, positions);
        if (table.Columns >= 6) scene.Colors = Colors(table, 3);
        if (scene.Validate() is { } problem) throw new DataFormatException(source, problem);
        return scene;
    }

    /// <summary>Writes <c>x y z</c> or <c>x y z r g b</c> lines (shortest round-trip floats), atomically.</summary>
    public static void Save(string path, Scene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        AtomicFile.Write(path, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            var p = scene.Positions;
            for (int i = 0; i < scene.PointCount; i++)
            {
                w.Write(p[3 * i].ToString(CultureInfo.InvariantCulture));
                w.Write(' ');
                w.Write(p[3 * i + 1].ToString(CultureInfo.InvariantCulture));
                w.Write(' ');
                w.Write(p[3 * i + 2].ToString(CultureInfo.InvariantCulture));
                if (scene.Colors is { } c)
                {
                    w.Write(' ');
                    w.Write(c[3 * i]);
                    w.Write(' ');
                    w.Write(c[3 * i + 1]);
                    w.Write(' ');
                    w.Write(c[3 * i + 2]);
                }
                w.WriteLine();
            }
        });
    }

    /// <summary>Colour bytes from columns <paramref name="first"/>..+2: 0–255, or 0–1 scaled when the whole table is fractional in [0, 1].</summary>
    internal static byte[] Colors(TextTable table, int first)
    {
        int n = table.Rows;
        bool unit = n > 0;
        bool fractional = false;
        for (int i = 0; i < n && unit; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                float v = table[i, first + c];
                if (v is < 0 or > 1) unit = false;
                if (v != MathF.Floor(v)) fractional = true;
            }
        }
        float scale = unit && fractional ? 255f : 1f;
        var colors = new byte[3 * n];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                float v = table[i, first + c] * scale;
                colors[3 * i + c] = float.IsNaN(v) ? (byte)0 : (byte)Math.Clamp(MathF.Round(v), 0f, 255f);
            }
        }
        return colors;
    }
}
