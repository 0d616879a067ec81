namespace Clickscape.Training.Engine;

/// <summary>
/// The layout of a run folder: <c>RUN/config.json</c> (the resolved configuration), <c>RUN/checkpoints/{last,best}.safetensors</c>,
/// <c>RUN/log.jsonl</c>, <c>RUN/report.html</c> and <c>RUN/cache/</c> (the preprocessed scenes, see <see cref="Data.SceneCache"/>).
/// </summary>
public sealed class RunFolder(string root)
{
    /// <summary>Name of the checkpoint written every N steps.</summary>
    public const string Last = "last";

    /// <summary>Name of the checkpoint of the best evaluation.</summary>
    public const string Best = "best";

    /// <summary>The run folder.</summary>
    public string Root { get; } = Path.GetFullPath(root ?? throw new ArgumentNullException(nameof(root)));

    /// <summary>The resolved configuration.</summary>
    public string Config => Path.Combine(Root, "config.json");

    /// <summary>The checkpoint folder.</summary>
    public string Checkpoints => Path.Combine(Root, "checkpoints");

    /// <summary>The checkpoint called <paramref name="name"/>.</summary>
    public string Checkpoint(string name) => Path.Combine(Checkpoints, name + ".safetensors");

    /// <summary>The step and evaluation log.</summary>
    public string Log => Path.Combine(Root, "log.jsonl");

    /// <summary>The HTML report.</summary>
    public string Report => Path.Combine(Root, "report.html");

    /// <summary>The scene cache.</summary>
    public string Cache => Path.Combine(Root, "cache");

    /// <summary>The checkpoint inference should use: best when it exists, else last; null when neither does.</summary>
    public string? InferenceCheckpoint() =>
        File.Exists(Checkpoint(Best)) ? Checkpoint(Best) : File.Exists(Checkpoint(Last)) ? Checkpoint(Last) : null;
}
