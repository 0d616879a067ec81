using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clickscape.Data;
using Clickscape.Data.Classes;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Studio.Jobs;
using Clickscape.Training.Tests.Shared;
using Xunit.Abstractions;

namespace Clickscape.Studio.Tests.Api;

/// <summary>
/// The closed loop through the API on tiny generated scans (2 500 points, a 2-level U-Net of widths 8/16, two
/// steps): click one point per object, start a train job (ClickSeg, then pseudo-labels of the clicked scans) as a
/// child clickscape process, follow its progress, review its output and accept an instance; then a pseudo-label job
/// from the trained job, a cancelled job, and the job outputs still reviewable after a restart.
/// </summary>
public class JobsApiTests(ITestOutputHelper output)
{
    internal static readonly string[] Clickscape = ["dotnet", Path.Combine(AppContext.BaseDirectory, "clickscape.dll")];

    /// <summary>The tiny click-method run of the CLI's pseudo-label tests, as the JSON object a job request carries.</summary>
    internal static JsonObject TinyClickConfig(int epochs) => JsonNode.Parse($$"""
        {
          "data": { "voxel_size": 0.1, "batch_size": 2, "crop_points": 4000, "batch_point_budget": 8000 },
          "train": { "epochs": {{epochs}}, "seed": 5, "threads": 1 },
          "model": { "widths": [8, 16], "blocks": 1, "embedding": 4 },
          "optimizer": { "lr": 0.01, "clip_grad_norm": 10.0 },
          "loss": { "pseudo_start_epoch": 1 },
          "hooks": [ { "type": "Checkpoint-v1", "every_steps": 2, "best_metric": "miou" } ]
        }
        """)!.AsObject();

    [Fact]
    public async Task Click_train_pseudo_label_review_accept_through_the_api()
    {
        var root = Path.Combine(Path.GetTempPath(), "clickscape-studio-jobs-" + Guid.NewGuid().ToString("N"));
        var data = TinyDataset.Create(Path.Combine(root, "data"), 2, splits: false);
        await using var host = await StudioHost.StartAsync(data: data, with: o => o with { ClickscapeCommand = Clickscape });

        // nothing clicked yet: a train job is refused
        var (refused, why) = await host.Client.Post("/api/jobs", new { kind = "train" });
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("no scene has clicked objects", why.GetProperty("error").GetString());

        // one click per object (at the point of each instance nearest its centre), with the ground-truth class
        var scenes = new[] { "scene0000_00", "scene0001_00" };
        foreach (var id in scenes)
        {
            var scene = SceneLoader.Load(Path.Combine(data, "scans", id));
            int version = 0;
            foreach (var g in Enumerable.Range(0, scene.PointCount).Where(p => scene.InstanceIds![p] > 0).GroupBy(p => scene.InstanceIds![p]))
            {
                int label = scene.SemanticLabels![g.First()];
                if (!ScanNetBenchmark.Semantic20Ids.Contains(label)) continue;
                (version, _) = await host.Client.AddObject(id, version, label, g.First());
            }
            Assert.True(version > 0, $"{id} has no object of the 20 classes");
        }

        var (started, job) = await host.Client.Post("/api/jobs", new { kind = "train", method = "clickseg", config = TinyClickConfig(2), maxSteps = 2, threads = 1 });
        Assert.Equal(HttpStatusCode.Accepted, started);
        int id1 = job.GetProperty("id").GetInt32();
        Assert.Equal(scenes, job.GetProperty("scenes").EnumerateArray().Select(e => e.GetString()));
        var (busy, _) = await host.Client.Post("/api/jobs", new { kind = "train", config = TinyClickConfig(1) });
        Assert.Equal(HttpStatusCode.Conflict, busy);

        var done = await WaitForEnd(host, id1);
        Assert.True(done.GetProperty("status").GetString() == "succeeded", done.GetRawText());
        Assert.Equal(1.0, done.GetProperty("progress").GetDouble());
        Assert.Equal($"job-{id1}", done.GetProperty("source").GetString());
        Assert.Equal("pseudo-label: 2/2 scenes", done.GetProperty("message").GetString()); // progress parsed from the commands' lines
        Assert.Contains(done.GetProperty("log").EnumerateArray(), l => l.GetString()!.Contains("step 2/2", StringComparison.Ordinal));

        // the clicks the job trained on are the objects' clicks
        var folder = Path.Combine(host.Options.StatePath!, "jobs", $"job-{id1}");
        var (_, annotations) = await host.Client.Get($"/api/scenes/{scenes[0]}/annotations");
        var trained = Data.Clicks.ClickSet.Load(Path.Combine(folder, "clicks", scenes[0] + ".json"));
        Assert.Equal(annotations.GetProperty("objects").EnumerateArray().Select(o => (o.GetProperty("label").GetInt32(), o.GetProperty("point").GetInt32())),
            trained.Clicks.Select(c => (c.Label, c.Point)));

        // review its output: every clicked scene has pseudo labels; accept the most confident instance
        var (_, sources) = await host.Client.Get("/api/review/sources");
        var source = sources.EnumerateArray().Single(s => s.GetProperty("id").GetString() == $"job-{id1}");
        Assert.Equal(scenes, source.GetProperty("scenes").EnumerateArray().Select(e => e.GetString()));
        var (_, review) = await host.Client.Get($"/api/scenes/{scenes[0]}/review?source=job-{id1}");
        var first = review.GetProperty("instances")[0];
        var (accepted, answer) = await host.Client.Post($"/api/scenes/{scenes[0]}/review/{first.GetProperty("instance").GetInt32()}",
            new { version = review.GetProperty("version").GetInt32(), source = $"job-{id1}", action = "accept" });
        Assert.Equal(HttpStatusCode.OK, accepted);
        var masks = ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(folder, "labels", "instance", scenes[0] + ".txt"));
        int n = SceneLoader.Load(Path.Combine(data, "scans", scenes[0])).PointCount;
        var predicted = ScanNetEvaluationFiles.ReadMaskVertices(masks[first.GetProperty("instance").GetInt32()].FullPath, n);
        int obj = answer.GetProperty("object").GetInt32();
        var labels = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(await host.Client.Bytes($"/api/scenes/{scenes[0]}/labels")).ToArray();
        Assert.NotEmpty(predicted);
        Assert.All(predicted, p => Assert.Equal(obj, labels[n + p]));
        output.WriteLine($"accepted instance of {predicted.Length} points as object {obj}");

        // a pseudo-label job from the trained job
        var (started2, job2) = await host.Client.Post("/api/jobs", new { kind = "pseudo-label", run = $"job-{id1}", threads = 1 });
        Assert.Equal(HttpStatusCode.Accepted, started2);
        var done2 = await WaitForEnd(host, job2.GetProperty("id").GetInt32());
        Assert.True(done2.GetProperty("status").GetString() == "succeeded", done2.GetRawText());

        // predict every scene with the trained job's run
        var (started4, job4) = await host.Client.Post("/api/jobs", new { kind = "predict", run = $"job-{id1}", threads = 1 });
        Assert.Equal(HttpStatusCode.Accepted, started4);
        var done4 = await WaitForEnd(host, job4.GetProperty("id").GetInt32());
        Assert.True(done4.GetProperty("status").GetString() == "succeeded", done4.GetRawText());
        var (_, predictReview) = await host.Client.Get($"/api/scenes/{scenes[1]}/review?source={done4.GetProperty("source").GetString()}");
        Assert.True(predictReview.GetProperty("instances").GetArrayLength() > 0);

        // a server started with --run on that run folder pseudo-labels with its checkpoint
        await using (var second = await StudioHost.StartAsync(data: data, with: o => o with { ClickscapeCommand = Clickscape, RunPath = Path.Combine(folder, "run") }))
        {
            var (_, info) = await second.Client.Get("/api/info");
            Assert.True(info.GetProperty("runCheckpoint").GetBoolean());
            await second.Client.AddObject(scenes[0], 0, 5, 0);
            var (started5, job5) = await second.Client.Post("/api/jobs", new { kind = "pseudo-label", run = "run", threads = 1 });
            Assert.Equal(HttpStatusCode.Accepted, started5);
            var done5 = await WaitForEnd(second, job5.GetProperty("id").GetInt32());
            Assert.True(done5.GetProperty("status").GetString() == "succeeded", done5.GetRawText());
            Assert.Equal([scenes[0]], done5.GetProperty("scenes").EnumerateArray().Select(e => e.GetString()));
        }

        // a long job, cancelled: its process is killed and it reports so
        var (started3, job3) = await host.Client.Post("/api/jobs", new { kind = "train", config = TinyClickConfig(500), threads = 1 });
        Assert.Equal(HttpStatusCode.Accepted, started3);
        int id3 = job3.GetProperty("id").GetInt32();
        await host.Client.Post($"/api/jobs/{id3}/cancel", new { });
        var done3 = await WaitForEnd(host, id3);
        Assert.Equal("cancelled", done3.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, done3.GetProperty("source").ValueKind);

        // bad job requests
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.Post("/api/jobs", new { kind = "train", method = "full" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.Post("/api/jobs", new { kind = "bake" })).Status);
        var withBase = TinyClickConfig(1);
        withBase["_base_"] = "/etc/passwd";
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.Post("/api/jobs", new { kind = "train", config = withBase })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await host.Client.Post("/api/jobs", new { kind = "pseudo-label", run = "run" })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await host.Client.Post("/api/jobs", new { kind = "pseudo-label", run = $"job-{id3}" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.Get("/api/jobs/77")).Status);

        // after a restart the finished jobs' outputs are still review sources
        await host.RestartAsync();
        var (_, after) = await host.Client.Get("/api/review/sources");
        Assert.Equal([$"job-{id1}", $"job-{job2.GetProperty("id").GetInt32()}", $"job-{job4.GetProperty("id").GetInt32()}"], after.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var (_, reviewAfter) = await host.Client.Get($"/api/scenes/{scenes[0]}/review?source=job-{id1}");
        Assert.Equal("accepted", reviewAfter.GetProperty("instances")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_server_without_the_clickscape_program_refuses_jobs_with_one_line()
    {
        await using var host = await StudioHost.StartAsync();
        await host.Client.AddObject(StudioDataset.Scene, 0, 5, 100);
        var (status, error) = await host.Client.Post("/api/jobs", new { kind = "train" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("cannot start jobs", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_failing_job_reports_the_commands_one_line_error()
    {
        var root = Path.Combine(Path.GetTempPath(), "clickscape-studio-jobfail-" + Guid.NewGuid().ToString("N"));
        var data = TinyDataset.Create(Path.Combine(root, "data"), 1, splits: false);
        await using var host = await StudioHost.StartAsync(data: data, with: o => o with { ClickscapeCommand = Clickscape });
        await host.Client.AddObject("scene0000_00", 0, 5, 0);
        var bad = TinyClickConfig(1);
        bad["model"]!["widths"] = JsonValue.Create("wide");
        var (_, job) = await host.Client.Post("/api/jobs", new { kind = "train", config = bad, threads = 1 });
        var done = await WaitForEnd(host, job.GetProperty("id").GetInt32());
        Assert.Equal("failed", done.GetProperty("status").GetString());
        var error = done.GetProperty("error").GetString()!;
        output.WriteLine(error);
        Assert.StartsWith("train failed (exit code", error, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error);
        Assert.DoesNotContain("   at ", error);
    }

    private static async Task<JsonElement> WaitForEnd(StudioHost host, int id)
    {
        await host.Service<StudioJobs>().Idle().WaitAsync(TimeSpan.FromMinutes(5));
        var (status, job) = await host.Client.Get($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        return job;
    }
}
