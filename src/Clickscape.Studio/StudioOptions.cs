namespace Clickscape.Studio;

/// <summary>What <c>clickscape serve</c> serves and where it listens.</summary>
public sealed record StudioOptions
{
    /// <summary>Default port.</summary>
    public const int DefaultPort = 5170;

    /// <summary>The dataset folder (any layout <see cref="Data.Datasets.SceneDataset"/> opens).</summary>
    public required string DataPath { get; init; }

    /// <summary>
    /// A folder whose predictions review mode shows: the output of <c>clickscape predict</c> / <c>pseudo-label</c>
    /// (<c>instance/</c>, <c>semantic/</c>), or a folder with such outputs in subfolders (a training run with
    /// <c>RUN/pred/</c>, …); a run's checkpoint also lets the page start pseudo-label and predict jobs.
    /// </summary>
    public string? RunPath { get; init; }

    /// <summary>
    /// A trained <c>interactive</c> or <c>interactive-fast</c> run (folder or checkpoint) refine mode may use instead of the
    /// model-free fallback (<c>serve --interactive RUN</c>); null = <see cref="RunPath"/> when that is such a run, else none.
    /// </summary>
    public string? InteractiveRunPath { get; init; }

    /// <summary>Scenes whose interactive-model features (the click-independent work) are kept, least recently used out first.</summary>
    public int InteractiveCacheScenes { get; init; } = 3;

    /// <summary>For the tests: runs on the worker with the scene id before the model's features of a scene are computed.</summary>
    internal Action<string>? BeforeFeatures { get; init; }

    /// <summary>TCP port (0 = any free port).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Address to listen on: an IP address or <c>localhost</c>; anything but loopback needs <see cref="Token"/>.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Access token every API call must carry (<c>Authorization: Bearer T</c>), or null for none (loopback only).</summary>
    public string? Token { get; init; }

    /// <summary>Folder of the annotation database; null = <c>DATA/.clickscape-studio</c>.</summary>
    public string? StatePath { get; init; }

    /// <summary>
    /// The command line that starts <c>clickscape</c> (e.g. <c>["dotnet", "/opt/clickscape/clickscape.dll"]</c>) for
    /// background jobs; null = this server starts no jobs.
    /// </summary>
    public IReadOnlyList<string>? ClickscapeCommand { get; init; }

    /// <summary>A training configuration (JSON, merged over the preset) for train jobs that name none, or null.</summary>
    public string? TrainConfigPath { get; init; }

    /// <summary>Scenes with more points than this are first drawn from a voxel subsample of <see cref="PreviewPoints"/> points.</summary>
    public int LodThreshold { get; init; } = 400_000;

    /// <summary>Size of the first level of detail (<see cref="Scenes.PointLevels"/>).</summary>
    public int PreviewPoints { get; init; } = 200_000;

    /// <summary>For the tests: export files whose path this returns true for fail half-written with ENOSPC, as on a full disk.</summary>
    internal Func<string, bool>? WriteFailure { get; init; }

    /// <summary>Largest request body accepted, bytes.</summary>
    public long MaxRequestBodyBytes { get; init; } = 64 * 1024;
}
