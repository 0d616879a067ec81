namespace Clickscape.Studio;

/// <summary>What <c>clickscape serve</c> serves and where it listens.</summary>
public sealed record StudioOptions
{
    /// <summary>Default port.</summary>
    public const int DefaultPort = 5170;

    /// <summary>The dataset folder (any layout <see cref="Data.Datasets.SceneDataset"/> opens).</summary>
    public required string DataPath { get; init; }

    /// <summary>A training run whose outputs review mode will show (accepted and reported; review mode is not built yet).</summary>
    public string? RunPath { get; init; }

    /// <summary>TCP port (0 = any free port).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Address to listen on: an IP address or <c>localhost</c>; anything but loopback needs <see cref="Token"/>.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Access token every API call must carry (<c>Authorization: Bearer T</c>), or null for none (loopback only).</summary>
    public string? Token { get; init; }

    /// <summary>Folder of the annotation database; null = <c>DATA/.clickscape-studio</c>.</summary>
    public string? StatePath { get; init; }

    /// <summary>Largest request body accepted, bytes.</summary>
    public long MaxRequestBodyBytes { get; init; } = 64 * 1024;
}
