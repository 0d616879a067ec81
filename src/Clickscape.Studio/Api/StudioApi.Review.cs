using System.Globalization;
using Clickscape.Studio.Review;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Clickscape.Studio.Api;

/// <summary>
/// Review mode: walk a prediction set's instances (from <c>serve --run</c> or a job) by confidence and accept, relabel,
/// fix (accept, then refine from the predicted mask) or delete each. A taken-over instance becomes an annotation
/// object with the predicted mask as its accepted label, so it is stored, counted and exported like any other.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>GET /api/review/sources</c> → <c>[{id, path, scenes:[…]}]</c>.</item>
/// <item><c>GET /api/scenes/{id}/review?source=S</c> → <c>{source, version, instances:[{instance, label, confidence, points,
/// center, status, object}]}</c> by descending confidence; status <c>pending|accepted|relabelled|fixed|deleted</c>.</item>
/// <item><c>GET /api/scenes/{id}/review/{k}/mask?source=S</c> → the instance's mask, packed bits (<see cref="MaskBits"/>).</item>
/// <item><c>POST /api/scenes/{id}/review/{k} {version, source, action: accept|relabel|fix|delete, label}</c> → <c>{version, status, object}</c>.</item>
/// <item><c>GET /api/scenes/{id}/labels?source=prediction&amp;set=S</c> → the set's per-point semantic and instance ids.</item>
/// </list>
/// </remarks>
public sealed partial class StudioApi
{
    private void MapReview(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/review/sources", () => Results.Json(_sources.All.Select(s => new { id = s.Id, path = s.Root, scenes = s.Scenes().Where(_catalog.Contains) })));
        app.MapGet("/api/scenes/{id}/review", (string id, string? source) => ReviewList(id, source));
        app.MapGet("/api/scenes/{id}/review/{instance}/mask", (string id, string instance, string? source) => ReviewMask(id, instance, source));
        app.MapPost("/api/scenes/{id}/review/{instance}", ReviewDecide);
    }

    private IResult ReviewList(string id, string? source)
    {
        var loaded = _catalog.Get(id);
        var set = _sources.Get(source);
        var predictions = ReadPredictions(set, id, loaded.Scene.PointCount);
        var decisions = _store.ReviewDecisions(id, set.Id);
        var positions = loaded.Scene.Positions;
        return Results.Json(new
        {
            source = set.Id,
            scene = id,
            version = _store.Get(id).Version,
            instances = predictions.ByConfidence().Select(i =>
            {
                var d = decisions.GetValueOrDefault(i.Instance);
                return new
                {
                    instance = i.Instance,
                    label = i.Label,
                    confidence = i.Confidence,
                    points = i.Points.Length,
                    center = Centroid(positions, i.Points),
                    status = d?.Decision ?? "pending",
                    @object = d?.Object,
                };
            }),
        });
    }

    private IResult ReviewMask(string id, string instance, string? source)
    {
        var loaded = _catalog.Get(id);
        var predicted = FindPrediction(ReadPredictions(_sources.Get(source), id, loaded.Scene.PointCount), instance, id);
        return Binary(MaskBits.Pack(ToMask(predicted.Points, loaded.Scene.PointCount)));
    }

    private async Task<IResult> ReviewDecide(string id, string instance, HttpRequest request)
    {
        var loaded = _catalog.Get(id);
        var body = await JsonBody.ReadAsync(request, _options.MaxRequestBodyBytes);
        var set = _sources.Get(body.OptionalString("source"));
        var predicted = FindPrediction(ReadPredictions(set, id, loaded.Scene.PointCount), instance, id);
        int version = body.Int("version");
        string action = body.OptionalString("action") ?? throw new ApiException("request body has no \"action\"; expected accept, relabel, fix or delete");
        lock (_sessions.LockOf(id))
        {
            int newVersion;
            int? obj = null;
            string status;
            switch (action)
            {
                case "accept" or "relabel" or "fix":
                    int label = action == "relabel" ? CheckLabel(body.Int("label")) : CheckLabel(predicted.Label);
                    if (predicted.Points.Length == 0) throw new ApiException(422, $"predicted instance {predicted.Instance} of '{set.Id}' has no points; delete it instead");
                    int anchor = Anchor(loaded.Scene.Positions, predicted.Points);
                    var xyz = new[] { loaded.Scene.Positions[3 * anchor], loaded.Scene.Positions[3 * anchor + 1], loaded.Scene.Positions[3 * anchor + 2] };
                    status = action switch { "accept" => "accepted", "relabel" => "relabelled", _ => "fixed" };
                    (newVersion, int created) = _store.AddReviewed(id, version, set.Id, predicted.Instance, status, label, anchor, xyz,
                        MaskBits.Pack(ToMask(predicted.Points, loaded.Scene.PointCount)));
                    obj = created;
                    break;
                case "delete":
                    newVersion = _store.RejectPrediction(id, version, set.Id, predicted.Instance);
                    status = "deleted";
                    break;
                default:
                    throw new ApiException($"action '{(action.Length > 40 ? action[..40] : action)}' is unknown; expected accept, relabel, fix or delete");
            }
            var progress = UpdateProgress(id, loaded);
            return Results.Json(new { version = newVersion, instance = predicted.Instance, status, @object = obj, progress });
        }
    }

    private (int[] Semantic, int[] Instance) PredictionLabels(string id, string? setId)
    {
        var loaded = _catalog.Get(id);
        return ReadPredictions(_sources.Get(setId), id, loaded.Scene.PointCount).PerPoint(loaded.Scene.PointCount);
    }

    private static ScenePredictions ReadPredictions(PredictionSet set, string scene, int points) =>
        set.Has(scene) ? set.Read(scene, points) : throw new ApiException(404, $"prediction set '{set.Id}' has no predictions for scene '{scene}'");

    private static PredictedInstance FindPrediction(ScenePredictions predictions, string instance, string scene) =>
        int.TryParse(instance, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k < predictions.Instances.Count
            ? predictions.Instances[k]
            : throw new ApiException(404, $"scene '{scene}' has no predicted instance '{(instance.Length > 40 ? instance[..40] : instance)}' (expected 0..{predictions.Instances.Count - 1})");

    private static bool[] ToMask(int[] points, int count)
    {
        var mask = new bool[count];
        foreach (int p in points) mask[p] = true;
        return mask;
    }

    private static float[] Centroid(float[] positions, int[] points)
    {
        double x = 0, y = 0, z = 0;
        foreach (int p in points)
        {
            x += positions[3 * p];
            y += positions[3 * p + 1];
            z += positions[3 * p + 2];
        }
        int n = Math.Max(1, points.Length);
        return [(float)(x / n), (float)(y / n), (float)(z / n)];
    }

    // The member point nearest the centroid: a point of the mask even for a concave object (the object's click).
    private static int Anchor(float[] positions, int[] points)
    {
        var c = Centroid(positions, points);
        int best = points[0];
        float bestDistance = float.MaxValue;
        foreach (int p in points)
        {
            float dx = positions[3 * p] - c[0], dy = positions[3 * p + 1] - c[1], dz = positions[3 * p + 2] - c[2];
            float d = dx * dx + dy * dy + dz * dz;
            if (d < bestDistance)
            {
                bestDistance = d;
                best = p;
            }
        }
        return best;
    }
}
