using Clickscape.Data.Classes;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;

namespace Clickscape.Training.Data;

/// <summary>
/// Labels read from a folder in the layout <c>predict</c> and every <c>pseudo-label</c> command write (the ScanNet
/// benchmark formats, REFERENCE.md §1.3): <c>DIR/semantic/&lt;scene&gt;.txt</c> (one nyu40 id per vertex) and
/// <c>DIR/instance/&lt;scene&gt;.txt</c> (lines <c>relpath labelId confidence</c>) with its mask files.
/// </summary>
/// <remarks>
/// Masks become instance ids 1..K in descending confidence (file order among equals); where masks overlap the more
/// confident one keeps the point. A mask whose class is not one of the 18 instance classes gives no instance.
/// </remarks>
public sealed class PseudoLabelFolder
{
    /// <summary>Opens <paramref name="root"/>; it must hold <c>semantic/</c> and <c>instance/</c>.</summary>
    public PseudoLabelFolder(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root)) throw new DataFormatException(root, "labels folder not found (expected DIR/semantic/<scene>.txt and DIR/instance/<scene>.txt)");
        Root = Path.GetFullPath(root);
        foreach (var sub in new[] { "semantic", "instance" })
            if (!Directory.Exists(Path.Combine(Root, sub))) throw new DataFormatException(Root, $"labels folder has no '{sub}/' subfolder (expected DIR/semantic/<scene>.txt and DIR/instance/<scene>.txt)");
    }

    /// <summary>The folder.</summary>
    public string Root { get; }

    /// <summary>The semantic file of <paramref name="scene"/>.</summary>
    public string SemanticPath(string scene) => Path.Combine(Root, "semantic", scene + ".txt");

    /// <summary>The instance summary of <paramref name="scene"/>.</summary>
    public string InstancePath(string scene) => Path.Combine(Root, "instance", scene + ".txt");

    /// <summary>The files the labels of <paramref name="scene"/> are read from (for cache fingerprints); missing files are an error naming the scene.</summary>
    public IReadOnlyList<string> Files(string scene)
    {
        var files = new List<string> { SemanticPath(scene), InstancePath(scene) };
        foreach (var f in files)
            if (!File.Exists(f)) throw new DataFormatException(f, $"labels folder {Root} has no labels for scene '{scene}'");
        files.AddRange(ScanNetEvaluationFiles.ReadPredictionSummary(InstancePath(scene)).Select(e => e.FullPath));
        return files;
    }

    /// <summary>Reads the nyu40 labels and instance ids (1..K, 0 = none) of <paramref name="scene"/> with <paramref name="vertexCount"/> vertices.</summary>
    public (int[] Semantic, int[] Instance) Read(string scene, int vertexCount)
    {
        Files(scene);
        var semantic = ScanNetEvaluationFiles.ReadVertexIds(SemanticPath(scene));
        if (semantic.Length != vertexCount)
            throw new DataFormatException(SemanticPath(scene), $"has {semantic.Length} lines but scene '{scene}' has {vertexCount} vertices");
        for (int i = 0; i < semantic.Length; i++)
            if (semantic[i] < 0) throw new DataFormatException(SemanticPath(scene), $"line {i + 1}: label {semantic[i]}, expected a nyu40 id ≥ 0");
        var instance = new int[vertexCount];
        var entries = ScanNetEvaluationFiles.ReadPredictionSummary(InstancePath(scene))
            .Select((e, order) => (e, order)).OrderByDescending(p => p.e.Confidence).ThenBy(p => p.order).Select(p => p.e).ToList();
        int next = 1;
        foreach (var e in entries)
        {
            if (!ScanNetBenchmark.IsInstanceClass(e.LabelId)) continue;
            int id = next++;
            foreach (int v in ScanNetEvaluationFiles.ReadMaskVertices(e.FullPath, vertexCount))
                if (instance[v] == 0) instance[v] = id;
        }
        return (semantic, instance);
    }
}
