using System.Net;
using System.Runtime.InteropServices;
using Clickscape.Data;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Studio.Tests.Api;

/// <summary>
/// Review mode on a prediction set written in <c>clickscape predict</c>'s layout from the ground truth (confidences
/// chosen so the order is known): the list is by confidence; accept, relabel, fix and delete do what they say, are
/// stored, survive a restart, and reach the exports.
/// </summary>
public class ReviewApiTests
{
    private const string S = StudioDataset.Scene;

    /// <summary>Predictions of <see cref="S"/>: every ground-truth instance, confidence 0.1 + 0.8 · (its rank by size ascending) / count, so larger = more confident.</summary>
    internal static (string Folder, List<(int Label, double Confidence, int[] Points)> Instances) WritePredictions(string? folder = null)
    {
        folder ??= Path.Combine(Path.GetTempPath(), "clickscape-studio-pred-" + Guid.NewGuid().ToString("N"));
        var scene = SceneLoader.Load(Path.Combine(StudioDataset.Path0, "scans", S));
        var groups = Enumerable.Range(0, scene.PointCount).Where(p => scene.InstanceIds![p] > 0 && scene.SemanticLabels![p] > 0)
            .GroupBy(p => scene.InstanceIds![p]).OrderBy(g => g.Count()).ThenBy(g => g.Key).ToList();
        var instances = groups.Select((g, r) => (Label: scene.SemanticLabels![g.First()], Confidence: 0.1 + 0.8 * r / groups.Count, Points: g.ToArray())).ToList();
        // written in a shuffled order, so "by confidence" is not "in file order"
        var written = instances.OrderBy(i => i.Points[0] % 7).ThenBy(i => i.Points[0]).ToList();
        ScanNetPredictionWriter.Write(folder, S, scene.PointCount, scene.SemanticLabels!.Select(l => Math.Clamp(l, 0, 40)).ToArray(),
            written.Select(i => (i.Label, (float)i.Confidence, i.Points)).ToList());
        return (folder, written.Select(i => (i.Label, (double)(float)i.Confidence, i.Points)).ToList());
    }

    [Fact]
    public async Task Review_walks_instances_by_confidence_and_accept_relabel_fix_delete_are_stored_and_exported()
    {
        var (folder, written) = WritePredictions();
        await using var host = await StudioHost.StartAsync(with: o => o with { RunPath = folder });
        var (_, sources) = await host.Client.Get("/api/review/sources");
        Assert.Equal("run", sources[0].GetProperty("id").GetString());
        Assert.Equal([S], sources[0].GetProperty("scenes").EnumerateArray().Select(e => e.GetString()));

        var (status, list) = await host.Client.Get($"/api/scenes/{S}/review?source=run");
        Assert.Equal(HttpStatusCode.OK, status);
        var items = list.GetProperty("instances").EnumerateArray().ToList();
        Assert.Equal(written.Count, items.Count);
        var confidences = items.Select(i => i.GetProperty("confidence").GetDouble()).ToList();
        Assert.Equal(confidences.OrderByDescending(c => c), confidences);
        Assert.All(items, i => Assert.Equal("pending", i.GetProperty("status").GetString()));
        int Index(int rank) => items[rank].GetProperty("instance").GetInt32();
        Assert.Equal(written[Index(0)].Points.Length, items[0].GetProperty("points").GetInt32());

        // the mask endpoint is the instance's points
        var bits = await host.Client.Bytes($"/api/scenes/{S}/review/{Index(0)}/mask?source=run");
        int n = (await host.Client.Bytes($"/api/scenes/{S}/segments")).Length / 4;
        var mask = Studio.Api.MaskBits.Unpack(bits, n);
        Assert.Equal(written[Index(0)].Points, Enumerable.Range(0, n).Where(p => mask[p]));

        // accept the most confident, relabel the second, delete the third
        int v = list.GetProperty("version").GetInt32();
        var (s1, accepted) = await host.Client.Post($"/api/scenes/{S}/review/{Index(0)}", new { version = v, source = "run", action = "accept" });
        Assert.Equal(HttpStatusCode.OK, s1);
        int objA = accepted.GetProperty("object").GetInt32();
        var (_, relabelled) = await host.Client.Post($"/api/scenes/{S}/review/{Index(1)}", new { version = v + 1, source = "run", action = "relabel", label = 39 });
        int objB = relabelled.GetProperty("object").GetInt32();
        var (_, deleted) = await host.Client.Post($"/api/scenes/{S}/review/{Index(2)}", new { version = v + 2, source = "run", action = "delete" });
        Assert.Equal("deleted", deleted.GetProperty("status").GetString());
        Assert.Equal(JsonValueKindNull, deleted.GetProperty("object").ValueKind);

        // a decided instance cannot be decided again; a stale version is refused
        var (again, _) = await host.Client.Post($"/api/scenes/{S}/review/{Index(0)}", new { version = v + 3, source = "run", action = "delete" });
        Assert.Equal(HttpStatusCode.Conflict, again);
        var (stale, _) = await host.Client.Post($"/api/scenes/{S}/review/{Index(3)}", new { version = v, source = "run", action = "accept" });
        Assert.Equal(HttpStatusCode.Conflict, stale);

        // the labels are the predicted masks with the chosen classes
        var labels = MemoryMarshal.Cast<byte, int>(await host.Client.Bytes($"/api/scenes/{S}/labels")).ToArray();
        foreach (int p in written[Index(0)].Points.Except(written[Index(1)].Points))
        {
            Assert.Equal(written[Index(0)].Label, labels[p]);
            Assert.Equal(objA, labels[n + p]);
        }
        foreach (int p in written[Index(1)].Points)
        {
            Assert.Equal(39, labels[p]);
            Assert.Equal(objB, labels[n + p]);
        }
        Assert.All(written[Index(2)].Points, p => Assert.Equal(0, labels[n + p]));
        var instanceExport = (await host.Client.GetStringAsync($"/api/scenes/{S}/export/instance")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{39 * 1000 + objB}", instanceExport[written[Index(1)].Points[0]]);

        // fix the fourth: take it over, then a negative click on one of its points removes a region around it and
        // keeps the rest of the prediction; accepting stores the fixed mask
        var (_, fixedAnswer) = await host.Client.Post($"/api/scenes/{S}/review/{Index(3)}", new { version = v + 3, source = "run", action = "fix" });
        int objD = fixedAnswer.GetProperty("object").GetInt32();
        var prior = written[Index(3)].Points;
        var (_, start) = await host.Client.Get($"/api/scenes/{S}/objects/{objD}/refine");
        Assert.Equal(prior, Enumerable.Range(0, n).Where(p => ApiClient.Mask(start, n)[p]));
        var (_, annotations) = await host.Client.Get($"/api/scenes/{S}/annotations");
        int anchor = annotations.GetProperty("objects").EnumerateArray().Single(o => o.GetProperty("object").GetInt32() == objD).GetProperty("point").GetInt32();
        Assert.Contains(anchor, prior);
        var scene = SceneLoader.Load(Path.Combine(StudioDataset.Path0, "scans", S));
        int negative = prior.OrderByDescending(p => System.Numerics.Vector3.Distance(scene.Position(p), scene.Position(anchor))).First();
        var (_, refined) = await host.Client.Post($"/api/scenes/{S}/objects/{objD}/refine", new { version = start.GetProperty("version").GetInt32(), point = negative, positive = false });
        var after = ApiClient.Mask(refined, n);
        Assert.False(after[negative]);
        Assert.True(after[anchor]);
        Assert.True(Enumerable.Range(0, n).Where(p => after[p]).All(p => prior.Contains(p)), "a negative click only removes points");
        var (_, acceptedFix) = await host.Client.Post($"/api/scenes/{S}/objects/{objD}/refine/accept", new { version = refined.GetProperty("version").GetInt32() });
        Assert.Equal(refined.GetProperty("mask").GetString(), acceptedFix.GetProperty("mask").GetString());

        // everything survives a restart; the list shows the decisions
        await host.RestartAsync();
        var (_, again2) = await host.Client.Get($"/api/scenes/{S}/review?source=run");
        var byInstance = again2.GetProperty("instances").EnumerateArray().ToDictionary(i => i.GetProperty("instance").GetInt32(), i => i.GetProperty("status").GetString());
        Assert.Equal("accepted", byInstance[Index(0)]);
        Assert.Equal("relabelled", byInstance[Index(1)]);
        Assert.Equal("deleted", byInstance[Index(2)]);
        Assert.Equal("fixed", byInstance[Index(3)]);
        Assert.Equal("pending", byInstance[Index(4)]);
        labels = MemoryMarshal.Cast<byte, int>(await host.Client.Bytes($"/api/scenes/{S}/labels")).ToArray();
        Assert.NotEqual(objD, labels[n + negative]);
        Assert.Equal(objD, labels[n + anchor]);

        // deleting a reviewed object marks its prediction deleted
        var (_, current) = await host.Client.Get($"/api/scenes/{S}/annotations");
        await host.Client.Delete($"/api/scenes/{S}/objects/{objA}?version={current.GetProperty("version").GetInt32()}");
        var (_, afterDelete) = await host.Client.Get($"/api/scenes/{S}/review?source=run");
        Assert.Equal("deleted", afterDelete.GetProperty("instances")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Prediction_labels_colour_by_confidence_order()
    {
        var (folder, written) = WritePredictions();
        await using var host = await StudioHost.StartAsync(with: o => o with { RunPath = folder });
        var labels = MemoryMarshal.Cast<byte, int>(await host.Client.Bytes($"/api/scenes/{S}/labels?source=prediction&set=run")).ToArray();
        int n = labels.Length / 2;
        var semantic = ScanNetEvaluationFiles.ReadVertexIds(Path.Combine(folder, "semantic", S + ".txt"));
        Assert.Equal(semantic, labels[..n]);
        for (int k = 0; k < written.Count; k++)
            Assert.All(written[k].Points, p => Assert.Equal(k + 1, labels[n + p]));
    }

    [Fact]
    public async Task Bad_review_requests_are_one_line_errors()
    {
        var (folder, written) = WritePredictions();
        await using var host = await StudioHost.StartAsync(with: o => o with { RunPath = folder });
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.Get($"/api/scenes/{S}/review")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.Get($"/api/scenes/{S}/review?source=job-99")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.Get($"/api/scenes/scene0001_00/review?source=run")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.Get($"/api/scenes/{S}/review/{written.Count}/mask?source=run")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.Get($"/api/scenes/{S}/review/-1/mask?source=run")).Status);
        var (badAction, e1) = await host.Client.Post($"/api/scenes/{S}/review/0", new { version = 0, source = "run", action = "approve" });
        Assert.Equal(HttpStatusCode.BadRequest, badAction);
        Assert.Contains("accept, relabel, fix or delete", e1.GetProperty("error").GetString());
        var (badLabel, _) = await host.Client.Post($"/api/scenes/{S}/review/0", new { version = 0, source = "run", action = "relabel", label = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, badLabel);
        var (noSource, _) = await host.Client.Post($"/api/scenes/{S}/review/0", new { version = 0, action = "accept" });
        Assert.Equal(HttpStatusCode.BadRequest, noSource);

        // a mask file of the wrong length is a 422 naming it; the server goes on
        var maskFile = Path.Combine(folder, "instance", "pred_mask", $"{S}_0.txt");
        File.WriteAllText(maskFile, "1\n0\n");
        File.SetLastWriteTimeUtc(Path.Combine(folder, "instance", S + ".txt"), DateTime.UtcNow.AddMinutes(1));
        var (broken, error) = await host.Client.Get($"/api/scenes/{S}/review?source=run");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, broken);
        Assert.Contains($"{S}_0.txt", error.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, (await host.Client.Get("/api/scenes")).Status);
    }

    [Fact]
    public void A_run_folder_without_predictions_or_checkpoint_is_refused_and_subfolders_are_sources()
    {
        var empty = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "clickscape-studio-norun-" + Guid.NewGuid().ToString("N"))).FullName;
        var e = Assert.Throws<DataFormatException>(() => StudioServer.Build(new StudioOptions { DataPath = StudioDataset.Path0, RunPath = empty, StatePath = Path.Combine(empty, "state") }));
        Assert.Contains("no predictions", e.Message);

        WritePredictions(Path.Combine(empty, "pred"));
        WritePredictions(Path.Combine(empty, "pseudo"));
        var sources = new Studio.Review.ReviewSources(empty);
        Assert.Equal(["run:pred", "run:pseudo"], sources.All.Select(s => s.Id));
        Assert.Null(sources.RunCheckpoint);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
