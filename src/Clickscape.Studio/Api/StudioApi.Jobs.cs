using System.Globalization;
using System.Text.RegularExpressions;
using Clickscape.Data.Clicks;
using Clickscape.Data.IO;
using Clickscape.Studio.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Clickscape.Studio.Api;

/// <summary>
/// The closed loop from the page: train a click method on the clicked scans, pseudo-label them (or predict every
/// scene) as a background job (<see cref="StudioJobs"/>), then review the output (source <c>job-N</c>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>GET /api/jobs</c> → the jobs of this server, newest first; <c>GET /api/jobs/{n}</c> → one
/// (<c>{id, kind, status: queued|running|succeeded|failed|cancelled, stage, progress 0..1, message, error, source, scenes, log}</c>).</item>
/// <item><c>POST /api/jobs {kind: "train", method: weak|clickseg-base|clickseg|seggroup, preset, config: {…}, maxSteps, threads}</c>:
/// trains on the clicks of every scene with objects (as of the request), then pseudo-labels those scenes; without
/// <c>config</c> the server's <c>serve --train-config F</c> is merged over the preset.</item>
/// <item><c>POST /api/jobs {kind: "pseudo-label" | "predict", run: "run" | "job-N", threads}</c>: labels the clicked
/// scenes (pseudo-label) or every scene (predict) with <c>--run</c>'s checkpoint or a finished train job's.</item>
/// <item><c>POST /api/jobs/{n}/cancel</c>.</item>
/// </list>
/// </remarks>
public sealed partial class StudioApi
{
    private static readonly string[] ClickMethods = ["clickseg", "clickseg-base", "weak", "seggroup"];

    private void MapJobs(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/jobs", () => Results.Json(_jobs.All.Select(j => j.View())));
        app.MapGet("/api/jobs/{job}", (string job) => Results.Json(_jobs.Get(job).View()));
        app.MapPost("/api/jobs/{job}/cancel", (string job) => Results.Json(_jobs.Cancel(job).View()));
        app.MapPost("/api/jobs", StartJob);
    }

    private async Task<IResult> StartJob(HttpRequest request)
    {
        var body = await JsonBody.ReadAsync(request, _options.MaxRequestBodyBytes);
        string kind = body.OptionalString("kind") ?? throw new ApiException("request body has no \"kind\"; expected train, pseudo-label or predict");
        int? threads = body.OptionalInt("threads");
        if (threads is < 1 or > 256) throw new ApiException($"threads {threads} out of range; expected 1..256");
        var threadArgs = threads is int t ? new[] { "--threads", t.ToString(CultureInfo.InvariantCulture) } : [];
        StudioJob job;
        switch (kind)
        {
            case "train":
            {
                string method = body.OptionalString("method") ?? "clickseg";
                if (!ClickMethods.Contains(method)) throw new ApiException($"method '{method}' does not train on clicks; expected {string.Join(", ", ClickMethods)}");
                string preset = body.OptionalString("preset") ?? "cpu";
                if (!PresetPattern().IsMatch(preset)) throw new ApiException($"preset '{preset}' is not a preset name");
                int? maxSteps = body.OptionalInt("maxSteps");
                if (maxSteps is < 1) throw new ApiException($"maxSteps {maxSteps}: expected ≥ 1");
                string? config = body.OptionalObjectText("config");
                if (config is not null && System.Text.Json.Nodes.JsonNode.Parse(config)!.AsObject().ContainsKey("_base_"))
                    throw new ApiException("\"config\" may not name a _base_ file; it is merged over the preset");
                var scenes = ClickedScenes();
                job = _jobs.Start(kind, folder =>
                {
                    var (data, clicks) = PrepareClickedData(folder, scenes);
                    string run = Path.Combine(folder, "run"), labels = Path.Combine(folder, "labels");
                    var train = new List<string> { "train", "--method", method, "--data", data, "--split", "all", "--clicks", clicks, "--out", run, "--preset", preset };
                    if (config is not null)
                    {
                        var file = Path.Combine(folder, "config.json");
                        AtomicFile.WriteAllText(file, config);
                        train.AddRange(["--config", file]);
                    }
                    else if (_options.TrainConfigPath is { } serverConfig)
                    {
                        train.AddRange(["--config", serverConfig]);
                    }
                    if (maxSteps is int k) train.AddRange(["--max-steps", k.ToString(CultureInfo.InvariantCulture)]);
                    train.AddRange(threadArgs);
                    var label = new List<string> { "pseudo-label", run, "--data", data, "--clicks", clicks, "--split", "all", "--out", labels };
                    label.AddRange(threadArgs);
                    return (scenes, [new JobStep("train", train, 0.8, 0), new JobStep("pseudo-label", label, 0.2, scenes.Count)], labels);
                });
                break;
            }
            case "pseudo-label" or "predict":
            {
                string runId = body.OptionalString("run") ?? throw new ApiException($"request body has no \"run\"; expected \"run\" (serve --run) or \"job-N\" (a finished train job)");
                string run = ResolveRun(runId);
                var scenes = kind == "pseudo-label" ? ClickedScenes() : [.. _catalog.Ids];
                job = _jobs.Start(kind, folder =>
                {
                    string labels = Path.Combine(folder, "labels");
                    List<string> args;
                    if (kind == "pseudo-label")
                    {
                        var (data, clicks) = PrepareClickedData(folder, scenes);
                        args = ["pseudo-label", run, "--data", data, "--clicks", clicks, "--split", "all", "--out", labels];
                    }
                    else
                    {
                        var data = SceneSubset.Link(Path.Combine(folder, "data"), _catalog, scenes);
                        args = ["predict", run, "--data", data, "--split", "all", "--out", labels];
                    }
                    args.AddRange(threadArgs);
                    return (scenes, [new JobStep(kind, args, 1, scenes.Count)], labels);
                });
                break;
            }
            default:
                throw new ApiException($"kind '{kind}' is unknown; expected train, pseudo-label or predict");
        }
        return Results.Json(job.View(), statusCode: 202);
    }

    private List<string> ClickedScenes()
    {
        var summaries = _store.Summaries();
        var scenes = _catalog.Ids.Where(id => summaries.TryGetValue(id, out var s) && s.Objects > 0).ToList();
        return scenes.Count > 0 ? scenes : throw new ApiException("no scene has clicked objects yet: click at least one object per scene you want to train on");
    }

    // The click sets of the scenes as they are now (one positive click per object, what ClickSeg trains on) and a
    // dataset folder holding only those scenes.
    private (string Data, string Clicks) PrepareClickedData(string folder, IReadOnlyList<string> scenes)
    {
        var clicks = Path.Combine(folder, "clicks");
        foreach (var id in scenes)
        {
            var stored = _store.Get(id);
            var set = new ClickSet(id, "manual", null, stored.Objects.Select((o, k) => new Click(o.Object, o.Label, o.Point, o.Xyz, true, k)));
            set.Save(Path.Combine(clicks, id + ".json"));
        }
        return (SceneSubset.Link(Path.Combine(folder, "data"), _catalog, scenes), clicks);
    }

    private string ResolveRun(string runId)
    {
        if (runId == "run")
        {
            return _sources.RunCheckpoint is not null ? _sources.RunPath!
                : throw new ApiException(409, _sources.RunPath is null ? "this server was started without --run" : $"--run {_sources.RunPath} has no checkpoints/best or last.safetensors");
        }
        if (runId.StartsWith("job-", StringComparison.Ordinal)) return _jobs.TrainedRun(runId["job-".Length..]);
        throw new ApiException($"run '{runId}' is unknown; expected \"run\" or \"job-N\"");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex PresetPattern();
}
