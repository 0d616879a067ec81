using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Clickscape.Studio.Api;
using Clickscape.Studio.Review;

namespace Clickscape.Studio.Jobs;

/// <summary>
/// The background jobs of one server (train, pseudo-label, predict on the clicked scans), one at a time, each step a
/// child <c>clickscape</c> process started with <see cref="StudioOptions.ClickscapeCommand"/>.
/// </summary>
/// <remarks>
/// <para>Why a child process and not the library in-process: training sets the process-wide compute thread count
/// and keeps every core busy for minutes; in a child it shares no state with the server (the requests on the path
/// never see a changed thread count), a crash or an out-of-memory ends the job and not the server, cancelling is
/// killing the process tree, and the job reuses exactly the command line a user would type, with its one-line
/// errors and its atomic outputs. The price is a process start (about 0.3 s) per step.</para>
/// <para>State lives in this instance (no statics): the jobs, the running one, the next id. Each job has its folder
/// <c>STATE/jobs/job-N</c>; a job whose labels folder holds predictions becomes review source <c>job-N</c>, also
/// for a server started later on the same state.</para>
/// </remarks>
public sealed partial class StudioJobs : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, StudioJob> _jobs = [];
    private readonly IReadOnlyList<string>? _command;
    private readonly ReviewSources _sources;
    private readonly string _root;
    private int _nextId = 1;
    private StudioJob? _running;
    private Task _runner = Task.CompletedTask;

    /// <summary>Jobs under <c><paramref name="statePath"/>/jobs</c>; earlier jobs' predictions are added to <paramref name="sources"/>.</summary>
    public StudioJobs(string statePath, IReadOnlyList<string>? command, ReviewSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _command = command;
        _sources = sources;
        _root = Path.Combine(statePath, "jobs");
        if (!Directory.Exists(_root)) return;
        foreach (var dir in Directory.EnumerateDirectories(_root))
        {
            var m = JobFolderPattern().Match(Path.GetFileName(dir));
            if (!m.Success) continue;
            int id = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            _nextId = Math.Max(_nextId, id + 1);
            var labels = Path.Combine(dir, "labels");
            if (PredictionSet.IsPredictionFolder(labels)) sources.Add(new PredictionSet(SourceId(id), labels));
        }
    }

    /// <summary>Whether this server can start jobs (it knows how to start <c>clickscape</c>).</summary>
    public bool Enabled => _command is not null;

    /// <summary>Every job of this server, newest first.</summary>
    public IReadOnlyList<StudioJob> All
    {
        get
        {
            lock (_lock) return [.. _jobs.Values.OrderByDescending(j => j.Id)];
        }
    }

    /// <summary>The review source id of job <paramref name="id"/>'s predictions.</summary>
    public static string SourceId(int id) => string.Create(CultureInfo.InvariantCulture, $"job-{id}");

    /// <summary>The job <paramref name="id"/>; 404 when this server has none.</summary>
    public StudioJob Get(string id)
    {
        lock (_lock)
        {
            return int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && _jobs.TryGetValue(k, out var job) ? job
                : throw new ApiException(404, $"no job '{(id.Length > 40 ? id[..40] : id)}' on this server");
        }
    }

    /// <summary>The run folder (<c>job-N/run</c>) a finished train job left, for a later pseudo-label job; 404 / 409 otherwise.</summary>
    public string TrainedRun(string id)
    {
        var job = Get(id);
        var view = job.View();
        if (job.Kind != "train" || view.Status != "succeeded") throw new ApiException(409, $"job {id} is not a finished train job");
        return Path.Combine(job.Folder, "run");
    }

    /// <summary>
    /// Reserves a job folder and lets <paramref name="prepare"/> fill it (click sets, data view) and name the steps;
    /// then starts the job. 409 while another job runs, 503 when jobs are disabled.
    /// </summary>
    public StudioJob Start(string kind, Func<string, (IReadOnlyList<string> Scenes, IReadOnlyList<JobStep> Steps, string? Labels)> prepare)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        if (_command is null) throw new ApiException(503, "this server cannot start jobs (it was not started by the clickscape program); run the commands in a terminal");
        lock (_lock)
        {
            if (_running is { Ended: false } busy) throw new ApiException(409, $"job {busy.Id} ({busy.Kind}) is still running; wait for it or cancel it");
            int id = _nextId++;
            var folder = Path.Combine(_root, SourceId(id));
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            Directory.CreateDirectory(folder);
            IReadOnlyList<string> scenes;
            IReadOnlyList<JobStep> steps;
            string? labels;
            try
            {
                (scenes, steps, labels) = prepare(folder);
            }
            catch
            {
                Directory.Delete(folder, recursive: true);
                throw;
            }
            var job = new StudioJob(id, kind, folder, scenes, steps, labels);
            _jobs[id] = job;
            _running = job;
            _runner = Task.Run(() => RunAsync(job));
            return job;
        }
    }

    /// <summary>Cancels job <paramref name="id"/> (its process is killed); no change when it has ended.</summary>
    public StudioJob Cancel(string id)
    {
        var job = Get(id);
        if (!job.Ended) job.Cancellation.Cancel();
        return job;
    }

    /// <summary>Waits until the running job (if any) has ended; for the tests and for shutdown.</summary>
    public Task Idle() => _runner;

    /// <summary>Cancels the running job and waits a few seconds for its process to end.</summary>
    public void Dispose()
    {
        StudioJob? running;
        lock (_lock) running = _running;
        if (running is not null && !running.Ended) running.Cancellation.Cancel();
        _runner.Wait(TimeSpan.FromSeconds(10));
    }

    private async Task RunAsync(StudioJob job)
    {
        double total = Math.Max(1e-9, job.Steps.Sum(s => s.Weight)), done = 0;
        try
        {
            foreach (var step in job.Steps)
            {
                job.Start(step.Stage, done / total);
                double before = done;
                var (code, error) = await RunStepAsync(job, step, fraction => before / total + fraction * step.Weight / total);
                if (job.Cancellation.IsCancellationRequested)
                {
                    job.Finish("cancelled", "cancelled", null);
                    return;
                }
                if (code != 0)
                {
                    job.Finish("failed", $"{step.Stage} failed (exit code {code}): {error ?? "no message"}", null);
                    return;
                }
                done += step.Weight;
            }
            string? source = null;
            if (job.LabelsFolder is { } labels && PredictionSet.IsPredictionFolder(labels))
            {
                source = SourceId(job.Id);
                _sources.Add(new PredictionSet(source, labels));
            }
            job.Finish("succeeded", null, source);
        }
#pragma warning disable CA1031 // a job's failure of any kind is reported on the job, never thrown into the server
        catch (Exception e)
#pragma warning restore CA1031
        {
            job.Finish("failed", $"{job.View().Stage ?? job.Kind} could not run: {e.Message.ReplaceLineEndings(" ")}", null);
        }
    }

    private async Task<(int Code, string? Error)> RunStepAsync(StudioJob job, JobStep step, Func<double, double> overall)
    {
        var start = new ProcessStartInfo(_command![0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = job.Folder,
        };
        foreach (var a in _command.Skip(1).Concat(step.Arguments)) start.ArgumentList.Add(a);
        using var process = new Process { StartInfo = start };
        string? lastError = null;
        int labelled = 0;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { Length: > 0 } line) return;
            job.Line(line);
            var m = StepPattern().Match(line);
            if (m.Success && step.Scenes == 0)
            {
                double s = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), t = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                job.Report(overall(t > 0 ? s / t : 0), $"{step.Stage}: step {m.Groups[1].Value}/{m.Groups[2].Value}");
            }
            else if (step.Scenes > 0 && LabelledPattern().IsMatch(line))
            {
                labelled++;
                job.Report(overall((double)labelled / step.Scenes), string.Create(CultureInfo.InvariantCulture, $"{step.Stage}: {labelled}/{step.Scenes} scenes"));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { Length: > 0 } line) return;
            job.Line(line);
            lastError = line.Trim();
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (job.Cancellation.Token.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // it has exited already
            }
        }))
        {
            await process.WaitForExitAsync(CancellationToken.None);
        }
        return (process.ExitCode, lastError);
    }

    [GeneratedRegex(@"^job-(\d{1,9})$")]
    private static partial Regex JobFolderPattern();

    [GeneratedRegex(@"\bstep (\d+)/(\d+)\b")]
    private static partial Regex StepPattern();

    [GeneratedRegex(@"^\S+: \d+ points, \d+ instances\b")]
    private static partial Regex LabelledPattern();
}
