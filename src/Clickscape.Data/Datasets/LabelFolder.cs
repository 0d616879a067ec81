namespace Clickscape.Data.Datasets;

/// <summary>
/// A folder of per-scene labels in the ScanNet benchmark formats (REFERENCE.md §1.3), as <c>predict</c> and
/// <c>pseudo-label</c> write them: <c>ROOT/instance/&lt;scene&gt;.txt</c> (summary lines <c>relpath label confidence</c>,
/// masks below <c>instance/</c>) and <c>ROOT/semantic/&lt;scene&gt;.txt</c> (one label per point).
/// </summary>
public sealed class LabelFolder
{
    /// <summary>The instance subfolder name.</summary>
    public const string InstanceFolder = "instance";

    /// <summary>The semantic subfolder name.</summary>
    public const string SemanticFolder = "semantic";

    /// <summary>Wraps <paramref name="root"/> (it need not exist yet).</summary>
    public LabelFolder(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The folder.</summary>
    public string Root { get; }

    /// <summary>The instance folder, <c>ROOT/instance</c> (the <c>--pred</c> of <c>evaluate --metric scannet-instance</c>).</summary>
    public string InstanceDir => Path.Combine(Root, InstanceFolder);

    /// <summary>The semantic folder, <c>ROOT/semantic</c> (the <c>--pred</c> of <c>evaluate --metric scannet-semantic</c>).</summary>
    public string SemanticDir => Path.Combine(Root, SemanticFolder);

    /// <summary>The instance summary of scene <paramref name="sceneId"/>.</summary>
    public string InstancePath(string sceneId) => Path.Combine(InstanceDir, sceneId + ".txt");

    /// <summary>The semantic label file of scene <paramref name="sceneId"/>.</summary>
    public string SemanticPath(string sceneId) => Path.Combine(SemanticDir, sceneId + ".txt");

    /// <summary>Whether the folder holds labels (instance or semantic) of scene <paramref name="sceneId"/>.</summary>
    public bool Has(string sceneId) => File.Exists(InstancePath(sceneId)) || File.Exists(SemanticPath(sceneId));
}
