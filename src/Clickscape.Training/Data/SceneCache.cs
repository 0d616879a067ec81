using System.Globalization;
using System.Text;
using Clickscape.Data;
using Clickscape.Data.IO;

namespace Clickscape.Training.Data;

/// <summary>
/// The preprocessed-scene cache: one binary file per scene (<see cref="PreparedScene"/>: centred positions, colours,
/// labels, voxel coordinates and the point → voxel map), so that the second epoch reads no PLY. It lives in the run
/// folder (<c>RUN/cache/</c>), never in the dataset: datasets are often read-only or shared by runs with other voxel
/// sizes and labels.
/// </summary>
/// <remarks>
/// File layout (little-endian): the magic <c>CSCACHE</c>, a format version (<see cref="Version"/>), the fingerprint
/// string, then the arrays, each as an element count followed by the raw elements. The fingerprint lists every
/// source file (the scene's files, and the label files when labels come from a folder) with its size and
/// last-write time, plus the voxel size: any change rebuilds the entry. Entries are written atomically.
/// </remarks>
public sealed class SceneCache
{
    /// <summary>The cache format version; bump it when <see cref="PreparedScene"/> or its preprocessing changes.</summary>
    public const int Version = 1;

    private static readonly byte[] Magic = "CSCACHE"u8.ToArray();

    /// <summary>A cache in <paramref name="folder"/> (created on first write).</summary>
    public SceneCache(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Folder = Path.GetFullPath(folder);
    }

    /// <summary>The cache folder.</summary>
    public string Folder { get; }

    /// <summary>Entries built (not read) since this instance was created.</summary>
    public int Builds => Volatile.Read(ref _builds);

    private int _builds;

    /// <summary>The cache file of <paramref name="scene"/> (labels from the scene, or from a labels folder: two entries, so a
    /// scene trained on pseudo labels and evaluated on its ground truth does not rebuild back and forth).</summary>
    public string PathOf(string scene, bool pseudoLabels = false) => Path.Combine(Folder, scene + (pseudoLabels ? ".labels" : "") + ".scene.bin");

    /// <summary>The cached preparation of <paramref name="source"/>, rebuilt when missing, stale or of another version.</summary>
    public PreparedScene Get(SceneSource source, PseudoLabelFolder? labels, float voxelSize, bool requireLabels)
    {
        ArgumentNullException.ThrowIfNull(source);
        string fingerprint = Fingerprint(source, labels, voxelSize);
        string path = PathOf(source.Name, labels is not null);
        if (TryRead(path, fingerprint) is { } cached) return cached;
        var prepared = PreparedScene.Prepare(source, labels, voxelSize, requireLabels);
        Write(path, fingerprint, prepared);
        Interlocked.Increment(ref _builds);
        return prepared;
    }

    /// <summary>What the entry of <paramref name="source"/> depends on: files with sizes and modification times, and the voxel size.</summary>
    public static string Fingerprint(SceneSource source, PseudoLabelFolder? labels, float voxelSize)
    {
        ArgumentNullException.ThrowIfNull(source);
        var files = new List<string>();
        if (Directory.Exists(source.Path)) files.AddRange(Directory.GetFiles(source.Path).Order(StringComparer.Ordinal));
        else files.Add(source.Path);
        if (labels is not null) files.AddRange(labels.Files(source.Name));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"v{Version};voxel={voxelSize:R};format={source.Format}");
        foreach (var f in files)
        {
            var info = new FileInfo(f);
            if (!info.Exists) throw new DataFormatException(f, $"file of scene '{source.Name}' disappeared");
            text.Append(CultureInfo.InvariantCulture, $";{f}|{info.Length}|{info.LastWriteTimeUtc.Ticks}");
        }
        return text.ToString();
    }

    private static PreparedScene? TryRead(string path, string fingerprint)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var r = new BinaryReader(stream, Encoding.UTF8);
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || r.ReadInt32() != Version || r.ReadString() != fingerprint) return null;
            string name = r.ReadString();
            float voxel = r.ReadSingle();
            var positions = ReadFloats(r);
            var colors = ReadFloats(r);
            var semantic = ReadInts(r);
            var instance = ReadInts(r);
            var coords = ReadInts(r);
            var pointToVoxel = ReadInts(r);
            return new PreparedScene(name, positions, colors, semantic, instance, voxel, coords, pointToVoxel);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException or DecoderFallbackException)
        {
            return null; // a damaged entry is rebuilt
        }
    }

    private static void Write(string path, string fingerprint, PreparedScene s) =>
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(Version);
            w.Write(fingerprint);
            w.Write(s.Name);
            w.Write(s.VoxelSize);
            WriteArray(w, s.Positions);
            WriteArray(w, s.Colors);
            WriteArray(w, s.Semantic);
            WriteArray(w, s.Instance);
            WriteArray(w, s.VoxelCoords);
            WriteArray(w, s.PointToVoxel);
        });

    private static void WriteArray<T>(BinaryWriter w, T[] values) where T : unmanaged
    {
        w.Write(values.Length);
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static float[] ReadFloats(BinaryReader r) => ReadArray<float>(r);

    private static int[] ReadInts(BinaryReader r) => ReadArray<int>(r);

    private static T[] ReadArray<T>(BinaryReader r) where T : unmanaged
    {
        int n = r.ReadInt32();
        if (n < 0 || n > 1 << 28) throw new InvalidDataException("cache array length out of range");
        var values = new T[n];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        r.BaseStream.ReadExactly(bytes);
        return values;
    }
}
