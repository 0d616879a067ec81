using System.Globalization;

namespace Clickscape.Studio.Jobs;

/// <summary>One <c>clickscape</c> invocation of a job, with the share of the job's progress it stands for.</summary>
/// <param name="Stage">Name shown while it runs (<c>train</c>, <c>pseudo-label</c>, <c>predict</c>).</param>
/// <param name="Arguments">The command line after the program.</param>
/// <param name="Weight">Its share of the whole job's progress.</param>
/// <param name="Scenes">For a labelling stage, the scenes it will write (progress counts them); 0 for training.</param>
public sealed record JobStep(string Stage, IReadOnlyList<string> Arguments, double Weight, int Scenes);

/// <summary>A job as the API shows it.</summary>
public sealed record JobView(int Id, string Kind, string Status, string? Stage, double Progress, string? Message, string? Error,
    string Created, string? Finished, string? Source, IReadOnlyList<string> Scenes, IReadOnlyList<string> Log);

/// <summary>
/// A background job of one server: steps that run one after another as child <c>clickscape</c> processes, its
/// progress (parsed from their output), its last lines of output, and the prediction set it leaves for review.
/// Every member takes the job's lock; the runner is the only writer.
/// </summary>
public sealed class StudioJob
{
    private const int LogLines = 40;
    private readonly Lock _lock = new();
    private readonly Queue<string> _log = new();
    private string _status = "queued";
    private string? _stage, _message, _error, _finished, _source;
    private double _progress;

    /// <summary>Creates a queued job.</summary>
    public StudioJob(int id, string kind, string folder, IReadOnlyList<string> scenes, IReadOnlyList<JobStep> steps, string? labels)
    {
        Id = id;
        Kind = kind;
        Folder = folder;
        Scenes = scenes;
        Steps = steps;
        LabelsFolder = labels;
        Created = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
    }

    /// <summary>Job number (1, 2, …; per state folder).</summary>
    public int Id { get; }

    /// <summary><c>train</c>, <c>pseudo-label</c> or <c>predict</c>.</summary>
    public string Kind { get; }

    /// <summary>The job's folder (<c>STATE/jobs/job-N</c>).</summary>
    public string Folder { get; }

    /// <summary>The scenes it works on.</summary>
    public IReadOnlyList<string> Scenes { get; }

    /// <summary>Its steps.</summary>
    public IReadOnlyList<JobStep> Steps { get; }

    /// <summary>The folder its last step writes predictions to (review source <c>job-N</c>), or null.</summary>
    public string? LabelsFolder { get; }

    /// <summary>UTC creation time, ISO 8601.</summary>
    public string Created { get; }

    /// <summary>Cancels the running step (the runner kills its process).</summary>
    internal CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Whether the job has ended (succeeded, failed or cancelled).</summary>
    public bool Ended
    {
        get
        {
            lock (_lock) return _status is "succeeded" or "failed" or "cancelled";
        }
    }

    /// <summary>A consistent snapshot.</summary>
    public JobView View()
    {
        lock (_lock) return new JobView(Id, Kind, _status, _stage, _progress, _message, _error, Created, _finished, _source, Scenes, [.. _log]);
    }

    internal void Start(string stage, double progress)
    {
        lock (_lock)
        {
            _status = "running";
            _stage = stage;
            _progress = progress;
        }
    }

    internal void Report(double progress, string? message)
    {
        lock (_lock)
        {
            _progress = Math.Clamp(Math.Max(_progress, progress), 0, 1);
            if (message is not null) _message = message;
        }
    }

    internal void Line(string line)
    {
        lock (_lock)
        {
            _log.Enqueue(line.Length > 400 ? line[..400] + "…" : line);
            while (_log.Count > LogLines) _log.Dequeue();
        }
    }

    internal void Finish(string status, string? error, string? source)
    {
        lock (_lock)
        {
            _status = status;
            _error = error;
            _source = source;
            if (status == "succeeded") _progress = 1;
            _stage = null;
            _finished = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        }
    }
}
