using System.Collections.Concurrent;
using Clickscape.Studio.Api;

namespace Clickscape.Studio.Review;

/// <summary>
/// The prediction sets review mode can show, per server: those of <c>serve --run RUN</c> (RUN itself when it holds
/// <c>instance/</c>, id <c>run</c>; each subfolder that does, id <c>run:NAME</c>) and the outputs of the jobs this server
/// ran (id <c>job-N</c>). Ids are looked up, never turned into paths.
/// </summary>
public sealed class ReviewSources
{
    private readonly ConcurrentDictionary<string, PredictionSet> _sets = new(StringComparer.Ordinal);

    private readonly bool _checkpointLabels;

    /// <summary>
    /// Finds the sets of <paramref name="runPath"/> (none when null); <paramref name="checkpointLabels"/> false when the run's
    /// checkpoint cannot label scans (an interactive network, which refine uses instead).
    /// </summary>
    public ReviewSources(string? runPath, bool checkpointLabels = true)
    {
        _checkpointLabels = checkpointLabels;
        RunPath = runPath is null ? null : Path.GetFullPath(runPath);
        if (RunPath is null) return;
        if (PredictionSet.IsPredictionFolder(RunPath)) Add(new PredictionSet("run", RunPath));
        foreach (var sub in Directory.EnumerateDirectories(RunPath).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(sub);
            if (name is "instance" or "semantic" or "checkpoints" or "cache") continue;
            if (new DirectoryInfo(sub).LinkTarget is null && PredictionSet.IsPredictionFolder(sub)) Add(new PredictionSet("run:" + name, sub));
        }
    }

    /// <summary>The run folder of <c>--run</c>, or null.</summary>
    public string? RunPath { get; }

    /// <summary>The checkpoint of <c>--run</c> that jobs can label with (best, else last), or null.</summary>
    public string? RunCheckpoint => RunPath is null || !_checkpointLabels ? null
        : CheckpointNames.Select(n => Path.Combine(RunPath, "checkpoints", n + ".safetensors")).FirstOrDefault(File.Exists);

    private static readonly string[] CheckpointNames = ["best", "last"];

    /// <summary>Every set, in id order.</summary>
    public IReadOnlyList<PredictionSet> All => [.. _sets.Values.OrderBy(s => s.Id, StringComparer.Ordinal)];

    /// <summary>Adds (or replaces) a set.</summary>
    public void Add(PredictionSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        _sets[set.Id] = set;
    }

    /// <summary>The set <paramref name="id"/>; 404 when there is none.</summary>
    public PredictionSet Get(string? id)
    {
        if (string.IsNullOrEmpty(id)) throw new ApiException("no prediction set named; pass ?source=ID (GET /api/review/sources lists them)");
        return _sets.TryGetValue(id, out var set) ? set
            : throw new ApiException(404, $"no prediction set '{(id.Length > 60 ? id[..60] + "…" : id)}' (GET /api/review/sources lists them)");
    }
}
