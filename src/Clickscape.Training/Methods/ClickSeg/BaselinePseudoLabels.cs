using System.Globalization;
using System.Text;
using Clickscape.Data;
using Clickscape.Data.IO;
using Clickscape.Models.ClickSeg;
using Clickscape.Training.Data;

namespace Clickscape.Training.Methods.ClickSeg;

/// <summary>
/// The pseudo instance labels of ClickSeg's baseline version (§3.1, "Baseline version"): "we generate pseudo
/// instance labels by using the model to perform inference on the training set, that is, grouping points to form
/// instances by the predicted embeddings. After that, we continue to train … The training and pseudo label
/// generation iterate several times." Generation g (epochs t + g·r … t + (g+1)·r − 1, r = <c>regenerate_every_epochs</c>)
/// runs the network on every training scene's un-augmented voxels and mean-shifts their embeddings (Eq. 4 space,
/// <c>inference.bandwidth</c>, <see cref="ClickSegMeanShift"/>; all voxels, wall and floor included); every point
/// takes its voxel's cluster. Each generation is saved to <c>RUN/pseudo/base-&lt;g&gt;.bin</c> before it is used, so a
/// resumed run reads the very labels the interrupted one trained on.
/// </summary>
public sealed class BaselinePseudoLabels
{
    private const int Version = 1;
    private readonly IReadOnlyList<SceneSource> _scenes;
    private readonly Func<SceneSource, PreparedScene> _prepare;
    private readonly string _folder;
    private readonly float _bandwidth;
    private int _generation = -1;
    private Dictionary<string, int[]> _labels = new(StringComparer.Ordinal);

    /// <summary>Labels for <paramref name="scenes"/>, prepared by <paramref name="prepare"/>, kept in <paramref name="runRoot"/>/pseudo.</summary>
    public BaselinePseudoLabels(IReadOnlyList<SceneSource> scenes, Func<SceneSource, PreparedScene> prepare, string runRoot, float bandwidth)
    {
        _scenes = scenes ?? throw new ArgumentNullException(nameof(scenes));
        _prepare = prepare ?? throw new ArgumentNullException(nameof(prepare));
        _folder = Path.Combine(runRoot ?? throw new ArgumentNullException(nameof(runRoot)), "pseudo");
        _bandwidth = bandwidth;
    }

    /// <summary>Generations made (not read back) by this instance.</summary>
    public int Made { get; private set; }

    /// <summary>The file of generation <paramref name="generation"/>.</summary>
    public string PathOf(int generation) => Path.Combine(_folder, string.Create(CultureInfo.InvariantCulture, $"base-{generation}.bin"));

    /// <summary>The pseudo instance id (0..) of every point of <paramref name="scene"/> in generation <paramref name="generation"/>, made with <paramref name="net"/> when it does not exist yet.</summary>
    public int[]? Of(string scene, int generation, ClickSegNet net)
    {
        if (generation != _generation)
        {
            _labels = Read(PathOf(generation)) ?? Make(net, generation);
            _generation = generation;
        }
        return _labels.GetValueOrDefault(scene);
    }

    private Dictionary<string, int[]> Make(ClickSegNet net, int generation)
    {
        var labels = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var source in _scenes)
        {
            var scene = _prepare(source);
            var o = VoxelOutputs.Of(net, scene);
            var rows = Enumerable.Range(0, o.Count).ToArray();
            var modes = ClickSegMeanShift.Modes(o.Embedding, o.EmbeddingDims, rows, _bandwidth, ClickSegInference.MeanShiftSample);
            var cluster = ClickSegMeanShift.Nearest(o.Embedding, o.EmbeddingDims, rows, modes);
            labels[source.Name] = scene.PointToVoxel.Select(v => cluster[v]).ToArray();
        }
        Directory.CreateDirectory(_folder);
        AtomicFile.Write(PathOf(generation), stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Version);
            w.Write(labels.Count);
            foreach (var (name, ids) in labels.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.Write(name);
                w.Write(ids.Length);
                foreach (int id in ids) w.Write(id);
            }
        });
        Made++;
        return labels;
    }

    private static Dictionary<string, int[]>? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (r.ReadInt32() != Version) return null;
            int count = r.ReadInt32();
            var labels = new Dictionary<string, int[]>(StringComparer.Ordinal);
            for (int s = 0; s < count; s++)
            {
                string name = r.ReadString();
                int n = r.ReadInt32();
                if (n < 0 || n > 1 << 28) return null;
                var ids = new int[n];
                for (int i = 0; i < n; i++) ids[i] = r.ReadInt32();
                labels[name] = ids;
            }
            return labels;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            return null; // a damaged generation is made again
        }
    }
}
