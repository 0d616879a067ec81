using System.Diagnostics;
using Clickscape.Geometry.Interactive;
using Clickscape.Studio.Scenes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Clickscape.Studio.Api;

/// <summary>
/// Refine mode: positive and negative clicks on one object, undo, redo and accept, on the trained interactive network
/// (<c>serve --interactive RUN</c>, <see cref="InteractiveModel"/>) or the model-free fallback, chosen per request.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>GET /api/scenes/{id}/refiner</c> → <c>{default, segmenters, model: {method, run, state} | null, fallbackBuilt}</c>;
/// state of the scene's model features: <c>none|computing|ready|failed</c>; whether the fallback's segment graph is built
/// (opening a scene on a server without a model starts building it).</item>
/// <item><c>GET …/objects/{obj}/refine?segmenter=model|fallback</c> → the state with the whole mask.</item>
/// <item><c>POST …/refine {version, point, positive, segmenter, maskId}</c>, <c>…/refine/undo</c>, <c>…/refine/redo</c>,
/// <c>…/refine/accept</c> (each <c>{version, segmenter, maskId}</c>) → <c>{version, object, segmenter, method, clicks, canUndo,
/// canRedo, maskSize, maskId, mask, diff, diffBase, computeMs, serverMs}</c>.</item>
/// </list>
/// <c>segmenter</c> defaults to <c>model</c> when the server has one, else <c>fallback</c>. The answer carries either the
/// whole mask (<c>mask</c>, base64 <see cref="MaskBits"/>) or, when the request's <c>maskId</c> names the mask the change
/// started from and the change is smaller, only what flipped (<c>diff</c>, base64 <see cref="MaskDiff"/>, from mask
/// <c>diffBase</c>). A request for the model while the scene's features are being computed waits for them (the page says
/// so); a failure to compute them is a 503. <c>computeMs</c> is the segmenter's time, <c>serverMs</c> the request's on the
/// server (both for the benchmark).
/// </remarks>
public sealed partial class StudioApi
{
    private void MapRefine(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/scenes/{id}/refiner", (string id) => RefinerInfo(id));
        app.MapGet("/api/scenes/{id}/objects/{obj}/refine", RefineState);
        app.MapPost("/api/scenes/{id}/objects/{obj}/refine", RefineClick);
        app.MapPost("/api/scenes/{id}/objects/{obj}/refine/{action}", RefineAction);
    }

    private static readonly string[] FallbackOnly = ["fallback"];
    private static readonly string[] ModelAndFallback = ["model", "fallback"];

    private RefineSegmenter DefaultSegmenter => _model is null ? RefineSegmenter.Fallback : RefineSegmenter.Model;

    private static string Name(RefineSegmenter kind) => kind == RefineSegmenter.Model ? "model" : "fallback";

    private object? ModelInfo(string? scene) => _model is null ? null : new
    {
        method = _model.Method,
        run = _model.Run,
        capacity = _model.Capacity,
        state = scene is null ? null : _model.StateOf(scene),
    };

    private IResult RefinerInfo(string id)
    {
        var loaded = _catalog.Get(id);
        return Results.Json(new
        {
            @default = Name(DefaultSegmenter),
            segmenters = _model is null ? FallbackOnly : ModelAndFallback,
            model = ModelInfo(id),
            fallbackBuilt = loaded.WalkBuilt, // the fallback's segment graph (started when the scene opens without a model)
        });
    }

    private RefineSegmenter ParseSegmenter(string? name) => name switch
    {
        null => DefaultSegmenter,
        "fallback" => RefineSegmenter.Fallback,
        "model" when _model is not null => RefineSegmenter.Model,
        "model" => throw new ApiException("segmenter 'model' needs a trained interactive network: start serve with --interactive RUN (an interactive or interactive-fast run)"),
        _ => throw new ApiException($"segmenter '{(name.Length > 40 ? name[..40] : name)}' is unknown; expected model or fallback"),
    };

    // The scene's segmenter of the kind asked for, outside any lock: the model's features may still be computing.
    private async Task<(RefineSegmenter Kind, IInteractiveSegmenter Segmenter)> SegmenterAsync(string id, LoadedScene loaded, string? requested, CancellationToken cancel)
    {
        var kind = ParseSegmenter(requested);
        if (kind == RefineSegmenter.Model) return (kind, await _model!.SegmenterAsync(id, loaded.Scene, cancel));
        return (kind, await loaded.BuildWalkAsync().WaitAsync(cancel)); // the segment graph: built when the scene opened, or now
    }

    private async Task<IResult> RefineState(string id, string obj, string? segmenter, HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        var loaded = _catalog.Get(id);
        int objectId = ParseObject(obj);
        var (kind, inner) = await SegmenterAsync(id, loaded, segmenter, context.RequestAborted);
        lock (_sessions.LockOf(id))
        {
            var stored = _store.Get(id);
            var state = _sessions.Get(id, FindObject(stored, objectId), loaded, kind, inner);
            return RefineAnswer(stored.Version, state, objectId, state.Session.Mask, null, 0, null, started);
        }
    }

    private async Task<IResult> RefineClick(string id, string obj, HttpRequest request)
    {
        long started = Stopwatch.GetTimestamp();
        var loaded = _catalog.Get(id);
        int objectId = ParseObject(obj);
        var body = await JsonBody.ReadAsync(request, _options.MaxRequestBodyBytes);
        int version = body.Int("version");
        var click = new InteractiveClick(CheckPoint(loaded, body.Int("point")), body.Bool("positive"));
        long? clientMask = body.OptionalLong("maskId");
        var (kind, inner) = await SegmenterAsync(id, loaded, body.OptionalString("segmenter"), request.HttpContext.RequestAborted);
        lock (_sessions.LockOf(id))
        {
            var state = _sessions.Get(id, FindObject(_store.Get(id), objectId), loaded, kind, inner);
            int newVersion = _store.AddRefineClick(id, version, objectId, click);
            var before = state.Session.Mask;
            long baseId = state.MaskId;
            long t0 = Stopwatch.GetTimestamp();
            var after = state.Session.Add(click);
            double computeMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            return RefineAnswer(newVersion, state, objectId, after, Changed(state, before, after), baseId, clientMask, started, computeMs);
        }
    }

    private async Task<IResult> RefineAction(string id, string obj, string action, HttpRequest request)
    {
        long started = Stopwatch.GetTimestamp();
        var loaded = _catalog.Get(id);
        int objectId = ParseObject(obj);
        if (action is not ("undo" or "redo" or "accept"))
            throw new ApiException(404, $"no refine action '{(action.Length > 40 ? action[..40] : action)}'; expected undo, redo or accept");
        var body = await JsonBody.ReadAsync(request, _options.MaxRequestBodyBytes);
        int version = body.Int("version");
        long? clientMask = body.OptionalLong("maskId");
        var (kind, inner) = await SegmenterAsync(id, loaded, body.OptionalString("segmenter"), request.HttpContext.RequestAborted);
        lock (_sessions.LockOf(id))
        {
            var state = _sessions.Get(id, FindObject(_store.Get(id), objectId), loaded, kind, inner);
            var before = state.Session.Mask;
            long baseId = state.MaskId;
            var after = before;
            int newVersion;
            switch (action)
            {
                case "undo":
                    (newVersion, bool undone) = _store.UndoRefine(id, version, objectId);
                    if (undone) after = state.Session.Undo();
                    break;
                case "redo":
                    (newVersion, bool redone) = _store.RedoRefine(id, version, objectId);
                    if (redone) after = state.Session.Redo();
                    break;
                default:
                    newVersion = _store.Accept(id, version, objectId, MaskBits.Pack(before));
                    UpdateProgress(id, loaded);
                    break;
            }
            return RefineAnswer(newVersion, state, objectId, after, Changed(state, before, after), baseId, clientMask, started);
        }
    }

    // The flipped runs from the mask before to the one after; a change gets a new mask number.
    private List<(int Start, int Count)> Changed(RefineState state, bool[] before, bool[] after)
    {
        var runs = MaskDiff.Runs(before, after);
        if (runs.Count > 0) state.MaskId = _sessions.NextMaskId();
        return runs;
    }

    // The whole mask, or only the runs that flipped when the client holds the mask they start from and they are smaller.
    private IResult RefineAnswer(int version, RefineState state, int obj, bool[] mask, List<(int Start, int Count)>? runs, long baseId, long? clientMask,
        long started, double? computeMs = null)
    {
        var session = state.Session;
        var clicks = session.Clicks;
        bool diff = runs is not null && clientMask == baseId && MaskDiff.IsSmallerThanMask(runs.Count, mask.Length);
        return Results.Json(new
        {
            version,
            @object = obj,
            segmenter = Name(state.Kind),
            method = state.Kind == RefineSegmenter.Model ? _model!.Method : "segment-random-walk",
            // The object's own click is the session's first; it cannot be undone.
            clicks = clicks.Skip(1).Select(c => new { point = c.Point, positive = c.Positive }),
            canUndo = clicks.Count > 1,
            canRedo = session.CanRedo,
            maskSize = MaskBits.Count(mask),
            maskId = state.MaskId,
            mask = diff ? null : Convert.ToBase64String(MaskBits.Pack(mask)),
            diff = diff ? Convert.ToBase64String(MaskDiff.Encode(runs!)) : null,
            diffBase = diff ? baseId : (long?)null,
            computeMs, // the segmenter's time for this click (null otherwise), so a client can tell transfer and drawing apart
            serverMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        });
    }
}
