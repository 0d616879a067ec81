using System.Globalization;
using System.Text;
using Clickscape.Data.Classes;
using Clickscape.Data.Formats.Text;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.S3dis;

/// <summary>
/// An S3DIS room (REFERENCE.md §8): <c>Area_N/&lt;room&gt;/Annotations/&lt;class&gt;_&lt;k&gt;.txt</c>, lines
/// <c>x y z r g b</c>, one file = one instance. The class is the file-name prefix before the last
/// underscore, one of the 13 of <see cref="ClassTables.S3dis"/>; unknown prefixes (<c>stairs</c>) are clutter.
/// Instances are numbered 1..K in ordinal file-name order. Stray control bytes inside numbers (the known
/// corrupt character of Area_5/hallway_6) are dropped.
/// </summary>
public static class S3disRoom
{
    /// <summary>Whether <paramref name="dir"/> is a room folder (it has an <c>Annotations</c> folder of .txt files).</summary>
    public static bool IsRoomFolder(string dir) =>
        Directory.Exists(Path.Combine(dir, "Annotations")) && Directory.GetFiles(Path.Combine(dir, "Annotations"), "*.txt").Length > 0;

    /// <summary>The class id of an annotation file name such as <c>chair_3.txt</c>.</summary>
    public static int ClassOf(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        int us = stem.LastIndexOf('_');
        var prefix = us > 0 ? stem[..us] : stem;
        return (ClassTables.S3dis.FindByName(prefix) ?? ClassTables.S3dis.FindByName("clutter")!).Id;
    }

    /// <summary>Loads the room in <paramref name="roomDir"/>.</summary>
    public static Scene Load(string roomDir)
    {
        var annotations = Path.Combine(roomDir, "Annotations");
        if (!Directory.Exists(annotations)) throw new DataFormatException(roomDir, "S3DIS room has no 'Annotations' folder");
        var folder = Directory.GetDirectories(annotations, "*.txt").Order(StringComparer.Ordinal).FirstOrDefault();
        if (folder is not null) throw new DataFormatException(folder, "is a folder, expected an annotation file <class>_<k>.txt");
        var files = Directory.GetFiles(annotations, "*.txt").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new DataFormatException(annotations, "no <class>_<k>.txt annotation files");
        var positions = new List<float>();
        var colors = new List<byte>();
        var labels = new List<int>();
        var instances = new List<int>();
        for (int f = 0; f < files.Length; f++)
        {
            var table = TextTable.Read(files[f], skipControlBytes: true);
            if (table.Rows > 0 && table.Columns < 6) throw new DataFormatException(files[f], $"{table.Columns} columns per line, expected x y z r g b");
            int cls = ClassOf(files[f]);
            var rgb = TextPointCloud.Colors(table, 3);
            for (int i = 0; i < table.Rows; i++)
            {
                positions.Add(table[i, 0]);
                positions.Add(table[i, 1]);
                positions.Add(table[i, 2]);
                labels.Add(cls);
                instances.Add(f + 1);
            }
            colors.AddRange(rgb);
        }
        var scene = new Scene(Path.GetFileName(Path.TrimEndingDirectorySeparator(roomDir)), positions.ToArray())
        {
            Colors = colors.ToArray(),
            SemanticLabels = labels.ToArray(),
            InstanceIds = instances.ToArray(),
            Classes = ClassTables.S3dis,
        };
        if (scene.Validate() is { } problem) throw new DataFormatException(roomDir, problem);
        return scene;
    }

    /// <summary>
    /// Writes <paramref name="scene"/> (S3DIS class ids) as <c>roomDir/Annotations/&lt;class&gt;_&lt;k&gt;.txt</c>:
    /// one file per instance; points of no instance go to one file per class. <c>k</c> counts per class from 1.
    /// </summary>
    public static void Save(string roomDir, Scene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var labels = scene.SemanticLabels ?? throw new ArgumentException($"scene '{scene.Name}' has no semantic labels; S3DIS files are named by class");
        var instances = scene.InstanceIds ?? new int[scene.PointCount];
        var groups = new SortedDictionary<(int Instance, int Label), List<int>>();
        for (int i = 0; i < scene.PointCount; i++)
        {
            var cls = ClassTables.S3dis.Find(labels[i]) ?? throw new ArgumentException($"point {i} has label {labels[i]}, not an S3DIS class (1..13)");
            var key = (instances[i], instances[i] == Scene.NoInstance ? cls.Id : 0);
            if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
            list.Add(i);
        }
        var counter = new Dictionary<string, int>();
        var annotations = Path.Combine(roomDir, "Annotations");
        Directory.CreateDirectory(annotations);
        foreach (var (_, members) in groups)
        {
            var name = ClassTables.S3dis.Find(labels[members[0]])!.Name;
            int k = counter[name] = counter.GetValueOrDefault(name) + 1;
            var sb = new StringBuilder();
            foreach (int i in members)
            {
                var p = scene.Position(i);
                sb.Append(p.X.ToString(CultureInfo.InvariantCulture)).Append(' ')
                  .Append(p.Y.ToString(CultureInfo.InvariantCulture)).Append(' ')
                  .Append(p.Z.ToString(CultureInfo.InvariantCulture));
                if (scene.Colors is { } c) sb.Append(CultureInfo.InvariantCulture, $" {c[3 * i]} {c[3 * i + 1]} {c[3 * i + 2]}");
                else sb.Append(" 0 0 0");
                sb.Append('\n');
            }
            AtomicFile.WriteAllText(Path.Combine(annotations, $"{name}_{k}.txt"), sb.ToString());
        }
    }
}
