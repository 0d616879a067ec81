using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Clickscape.Data.Classes;
using Clickscape.Data.Clicks;
using Clickscape.Data.IO;
using Clickscape.Geometry.Interactive;
using Clickscape.Studio.Jobs;
using Clickscape.Studio.Review;
using Clickscape.Studio.Scenes;
using Clickscape.Studio.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Clickscape.Studio.Api;

/// <summary>
/// The JSON and binary API under <c>/api/</c>. Scenes are addressed by their dataset id; every change names the
/// scene version it was made on (409 when stale) and answers with the new version; binary point data is raw
/// little-endian typed arrays.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>GET /api/scenes</c> → <c>[{id, points, progress, objects, accepted, seconds, version, error}]</c>; progress = fraction of points labelled; error (points null) for a scene that cannot be read.</item>
/// <item><c>GET /api/scenes/{id}</c> → metadata; <c>/points</c> → uint32 n, float32 x y z × n, uint8 r g b × n;
/// <c>/segments</c> → int32 × n; <c>/labels?source=annotation|ground-truth|prediction&amp;set=S</c> → int32 semantic × n, int32 instance × n;
/// <c>/preview</c> → the first level of detail (<see cref="PointLevels"/>).</item>
/// <item><c>GET /api/scenes/{id}/annotations</c>; <c>POST …/objects {version, label, point, seconds}</c>;
/// <c>PATCH …/objects/{obj} {version, label}</c>; <c>DELETE …/objects/{obj}?version=V</c>; <c>POST …/time {seconds}</c>.</item>
/// <item>Refine (StudioApi.Refine.cs): <c>GET …/objects/{obj}/refine</c>; <c>POST …/refine {version, point, positive}</c>,
/// <c>…/refine/undo</c>, <c>…/refine/redo</c>, <c>…/refine/accept</c> → the mask, whole or as a <see cref="MaskDiff"/>.</item>
/// <item>Export: <c>GET …/export/clicks</c> (<c>clickscape.clicks/1</c> plus timing), <c>…/export/instance</c>,
/// <c>…/export/semantic</c> (ScanNet text, one value per vertex); <c>POST /api/export</c> writes every scene under the state folder.</item>
/// </list>
/// </remarks>
public sealed partial class StudioApi
{
    private const double MaxSecondsPerCall = 24 * 3600;
    private readonly SceneCatalog _catalog;
    private readonly AnnotationStore _store;
    private readonly RefineSessions _sessions = new();
    private readonly StudioOptions _options;
    private readonly string _statePath;
    private readonly ReviewSources _sources;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<byte[]>> _previews = new(StringComparer.Ordinal);
    private readonly StudioJobs _jobs;
    private readonly InteractiveModel? _model;

    /// <summary>
    /// Creates the API over a catalog, a store, the prediction sets review mode shows, this server's jobs and the trained
    /// interactive network refine may use (null: the model-free fallback only).
    /// </summary>
    public StudioApi(SceneCatalog catalog, AnnotationStore store, StudioOptions options, string statePath, ReviewSources sources, StudioJobs jobs, InteractiveModel? model = null)
    {
        _model = model;
        if (model is not null) model.Evicted += scene => _sessions.RemoveScene(scene, RefineSegmenter.Model); // let go of dropped features
        _catalog = catalog;
        _store = store;
        _options = options;
        _statePath = statePath;
        _sources = sources;
        _jobs = jobs;
    }

    /// <summary>Adds the routes to <paramref name="app"/>.</summary>
    public void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/info", () => Results.Json(new
        {
            data = _catalog.Root,
            run = _options.RunPath,
            runCheckpoint = _sources.RunCheckpoint is not null,
            jobs = _options.ClickscapeCommand is not null,
            scenes = _catalog.Ids.Count,
            lodThreshold = _options.LodThreshold,
            refiner = _model?.Method ?? "segment-random-walk", // what refine uses unless the page asks for the other
            defaultSegmenter = Name(DefaultSegmenter),
            model = ModelInfo(null),
            state = _statePath,
        }));
        app.MapGet("/api/classes", () => Results.Json(ScanNetBenchmark.Semantic20Table.Classes
            .Select(c => new { id = c.Id, name = c.Name, color = new int[] { c.R, c.G, c.B } })));
        app.MapGet("/api/scenes", ListScenes);
        app.MapGet("/api/scenes/{id}", (string id) => SceneInfo(id));
        app.MapGet("/api/scenes/{id}/points", (string id) => Points(id));
        app.MapGet("/api/scenes/{id}/preview", (string id) => Binary(_previews.GetOrAdd(id,
            key => new Lazy<byte[]>(() => PointLevels.Preview(_catalog.Get(key).Scene, _options.PreviewPoints))).Value));
        app.MapGet("/api/scenes/{id}/segments", (string id) => Binary(Ints(_catalog.Get(id).Segments)));
        app.MapGet("/api/scenes/{id}/labels", (string id, string? source, string? set) => LabelArrays(id, source, set));
        app.MapGet("/api/scenes/{id}/annotations", (string id) => Annotations(id));
        app.MapPost("/api/scenes/{id}/objects", AddObject);
        app.MapMethods("/api/scenes/{id}/objects/{obj}", ["PATCH"], Relabel);
        app.MapDelete("/api/scenes/{id}/objects/{obj}", (string id, string obj, string? version) => DeleteObject(id, obj, version));
        app.MapPost("/api/scenes/{id}/time", AddTime);
        app.MapGet("/api/scenes/{id}/export/clicks", (string id) => Results.Text(ExportClicks(id).ToJsonString(), "application/json"));
        app.MapGet("/api/scenes/{id}/export/instance", (string id) => Results.Text(ExportText(id, instance: true), "text/plain"));
        app.MapGet("/api/scenes/{id}/export/semantic", (string id) => Results.Text(ExportText(id, instance: false), "text/plain"));
        app.MapPost("/api/export", ExportDataset);
        MapRefine(app);
        MapReview(app);
        MapJobs(app);
    }

    private IResult ListScenes()
    {
        var summaries = _store.Summaries();
        var list = new List<object>();
        foreach (var id in _catalog.Ids)
        {
            summaries.TryGetValue(id, out var s);
            int? points = s?.Points;
            string? error = null;
            if (points is null)
            {
                try
                {
                    points = _catalog.PointCount(id);
                    _store.SetPoints(id, points.Value);
                }
                catch (Exception e) when (e is DataFormatException or IOException or InvalidDataException or ArgumentException)
                {
                    error = e.Message.ReplaceLineEndings(" "); // one broken scene does not hide the others
                }
            }
            list.Add(new { id, points, progress = s?.Labelled ?? 0, objects = s?.Objects ?? 0, accepted = s?.Accepted ?? 0, seconds = s?.Seconds ?? 0, version = s?.Version ?? 0, error });
        }
        return Results.Json(list);
    }

    private IResult SceneInfo(string id)
    {
        var loaded = _catalog.Get(id);
        var scene = loaded.Scene;
        var (min, max) = scene.Bounds();
        _store.SetPoints(id, scene.PointCount);
        // the refiner's click-independent work (the model's features, or else the fallback's segment graph) starts when
        // the scene opens, so that refine finds it done
        Task preparing = _model is not null ? _model.Open(id, scene) : loaded.BuildWalkAsync();
        preparing.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return Results.Json(new
        {
            id,
            points = scene.PointCount,
            segments = loaded.SegmentCount,
            bounds = new[] { min.X, min.Y, min.Z, max.X, max.Y, max.Z },
            colors = scene.Colors is not null,
            groundTruth = scene.SemanticLabels is not null || scene.InstanceIds is not null,
            version = _store.Get(id).Version,
        });
    }

    private IResult Points(string id)
    {
        var scene = _catalog.Get(id).Scene;
        int n = scene.PointCount;
        var bytes = new byte[4 + 12 * n + 3 * n];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), (uint)n);
        MemoryMarshal.AsBytes(scene.Positions.AsSpan()).CopyTo(bytes.AsSpan(4));
        var colors = bytes.AsSpan(4 + 12 * n);
        if (scene.Colors is not null) scene.Colors.CopyTo(colors);
        else colors.Fill(180);
        return Binary(bytes);
    }

    private IResult LabelArrays(string id, string? source, string? set)
    {
        var loaded = _catalog.Get(id);
        int n = loaded.Scene.PointCount;
        int[] semantic, instance;
        switch (source ?? "annotation")
        {
            case "annotation":
                (semantic, instance) = AnnotationLabels.Compute(loaded, _store.Get(id));
                break;
            case "ground-truth":
                if (loaded.Scene.SemanticLabels is null && loaded.Scene.InstanceIds is null)
                    throw new ApiException(404, $"scene '{id}' has no ground-truth labels");
                semantic = loaded.Scene.SemanticLabels ?? new int[n];
                instance = loaded.Scene.InstanceIds ?? new int[n];
                break;
            case "prediction":
                (semantic, instance) = PredictionLabels(id, set);
                break;
            default:
                throw new ApiException($"source '{(source!.Length > 40 ? source[..40] : source)}' is unknown; expected annotation, ground-truth or prediction (with set=ID)");
        }
        var bytes = new byte[8 * n];
        MemoryMarshal.AsBytes(semantic.AsSpan()).CopyTo(bytes);
        MemoryMarshal.AsBytes(instance.AsSpan()).CopyTo(bytes.AsSpan(4 * n));
        return Binary(bytes);
    }

    private IResult Annotations(string id)
    {
        _catalog.Get(id);
        return Results.Json(AnnotationsJson(_store.Get(id)));
    }

    private static object AnnotationsJson(StoredScene s) => new
    {
        scene = s.Scene,
        version = s.Version,
        seconds = s.Seconds,
        progress = s.Labelled,
        objects = s.Objects.Select(o => new
        {
            @object = o.Object,
            label = o.Label,
            point = o.Point,
            xyz = o.Xyz,
            seconds = o.Seconds,
            created = o.Created,
            accepted = o.Accepted,
            refineClicks = o.RefineClicks.Select(c => new { point = c.Point, positive = c.Positive }),
        }),
    };

    private async Task<IResult> AddObject(string id, HttpRequest request)
    {
        var loaded = _catalog.Get(id);
        var body = await JsonBody.ReadAsync(request, _options.MaxRequestBodyBytes);
        int version = body.Int("version");
        int label = CheckLabel(body.Int("label"));
        int point = CheckPoint(loaded, body.Int("point"));
        double seconds = CheckSeconds(body.OptionalDouble("seconds") ?? 0);
        var xyz = new[] { loaded.Scene.Positions[3 * point], loaded.Scene.Positions[3 * point + 1], loaded.Scene.Positions[3 * point + 2] };
        lock (_sessions.LockOf(id))
        {
            var (newVersion, obj) = _store.AddObject(id, version, label, point, xyz, seconds);
            var progress = UpdateProgress(id, loaded);
            return Results.Json(new { version = newVersion, @object = obj, label, point, xyz, segment = loaded.Segments[point], progress }, statusCode: 201);
        }
    }

    private async Task<IResult> Relabel(string id, string obj, HttpRequest request)
    {
        var loaded = _catalog.Get(id);
        int objectId = ParseObject(obj);
        var body = await JsonBody.ReadAsync(request, _options.MaxRequestBodyBytes);
        int version = body.Int("version");
        int label = CheckLabel(body.Int("label"));
        lock (_sessions.LockOf(id))
        {
            int newVersion = _store.Relabel(id, version, objectId, label);
            UpdateProgress(id, loaded);
            return Results.Json(new { version = newVersion, @object = objectId, label });
        }
    }

    private IResult DeleteObject(string id, string obj, string? version)
    {
        var loaded = _catalog.Get(id);
        int objectId = ParseObject(obj);
        if (!int.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int expected))
            throw new ApiException("DELETE needs ?version=V, the scene version the deletion was made on");
        lock (_sessions.LockOf(id))
        {
            int newVersion = _store.DeleteObject(id, expected, objectId);
            _sessions.Remove(id, objectId);
            var progress = UpdateProgress(id, loaded);
            return Results.Json(new { version = newVersion, progress });
        }
    }

    private async Task<IResult> AddTime(string id, HttpRequest request)
    {
        _catalog.Get(id);
        var body = await JsonBody.ReadAsync(request, _options.MaxRequestBodyBytes);
        double seconds = CheckSeconds(body.OptionalDouble("seconds") ?? throw new ApiException("request body has no \"seconds\"; expected a number"));
        return Results.Json(new { seconds = _store.AddSeconds(id, seconds) });
    }

    private JsonObject ExportClicks(string id)
    {
        _catalog.Get(id);
        var stored = _store.Get(id);
        var clicks = new List<Click>();
        foreach (var o in stored.Objects)
            clicks.Add(new Click(o.Object, o.Label, o.Point, o.Xyz, Positive: true, clicks.Count));
        var loaded = _catalog.Get(id);
        foreach (var o in stored.Objects)
        {
            foreach (var c in o.RefineClicks)
            {
                var xyz = new[] { loaded.Scene.Positions[3 * c.Point], loaded.Scene.Positions[3 * c.Point + 1], loaded.Scene.Positions[3 * c.Point + 2] };
                clicks.Add(c.Positive ? new Click(o.Object, o.Label, c.Point, xyz, true, clicks.Count) : new Click(0, 0, c.Point, xyz, false, clicks.Count));
            }
        }
        var json = new ClickSet(id, "manual", null, clicks).ToJson();
        json["annotation_time"] = new JsonObject
        {
            ["scene_seconds"] = stored.Seconds,
            ["objects"] = new JsonArray([.. stored.Objects.Select(o => (JsonNode)new JsonObject { ["object"] = o.Object, ["seconds"] = o.Seconds, ["created"] = o.Created })]),
        };
        return json;
    }

    private string ExportText(string id, bool instance)
    {
        var loaded = _catalog.Get(id);
        var (semantic, instances) = AnnotationLabels.Compute(loaded, _store.Get(id));
        var text = new StringBuilder(loaded.Scene.PointCount * 4);
        for (int p = 0; p < semantic.Length; p++)
        {
            // ScanNet GT format: label · 1000 + instance for the instance file, the nyu40 id for the semantic one.
            int value = instance ? (instances[p] == 0 ? 0 : semantic[p] * 1000 + instances[p]) : semantic[p];
            text.Append(value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    // The whole export folder is written as a unit (AtomicFolder): a failure (a full disk) leaves the previous export.
    private IResult ExportDataset()
    {
        var folder = Path.Combine(_statePath, "export");
        var scenes = new List<string>();
        AtomicFolder.Write(folder, temp =>
        {
            foreach (var id in _catalog.Ids)
            {
                if (_store.Get(id).Objects.Count == 0) continue;
                WriteExport(Path.Combine(temp, "clicks", id + ".json"), ExportClicks(id).ToJsonString());
                WriteExport(Path.Combine(temp, "instance", id + ".txt"), ExportText(id, instance: true));
                WriteExport(Path.Combine(temp, "semantic", id + ".txt"), ExportText(id, instance: false));
                scenes.Add(id);
            }
        });
        return Results.Json(new { folder, scenes });
    }

    private void WriteExport(string path, string text) => AtomicFile.Write(path, stream =>
    {
        var bytes = new UTF8Encoding(false).GetBytes(text);
        if (_options.WriteFailure?.Invoke(path) == true)
        {
            stream.Write(bytes, 0, bytes.Length / 2);
            throw new IOException("No space left on device", 28);
        }
        stream.Write(bytes);
    });

    private double UpdateProgress(string id, LoadedScene loaded)
    {
        var (_, instance) = AnnotationLabels.Compute(loaded, _store.Get(id));
        double fraction = AnnotationLabels.LabelledFraction(instance);
        try
        {
            _store.SetLabelled(id, fraction);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // derived data: the change itself is stored; the fraction is computed again at the next change
        }
        return fraction;
    }

    private static StoredObject FindObject(StoredScene stored, int obj) =>
        stored.Objects.FirstOrDefault(o => o.Object == obj) ?? throw new ApiException(404, $"scene '{stored.Scene}' has no object {obj}");

    private static int ParseObject(string obj) =>
        int.TryParse(obj, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id) && id > 0
            ? id : throw new ApiException(404, $"'{(obj.Length > 40 ? obj[..40] : obj)}' is not an object id; expected an integer ≥ 1");

    private static int CheckLabel(int label) =>
        label != 0 && ClassTables.Nyu40.Contains(label) ? label : throw new ApiException($"label {label} is not a class; expected a NYU40 id 1..40");

    private static int CheckPoint(LoadedScene loaded, int point) =>
        (uint)point < (uint)loaded.Scene.PointCount ? point
            : throw new ApiException($"point {point} does not exist: scene '{loaded.Scene.Name}' has {loaded.Scene.PointCount} points (expected 0..{loaded.Scene.PointCount - 1})");

    private static double CheckSeconds(double seconds) =>
        seconds is >= 0 and <= MaxSecondsPerCall ? seconds : throw new ApiException($"seconds {seconds} out of range; expected 0..{MaxSecondsPerCall}");

    private static byte[] Ints(int[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static IResult Binary(byte[] bytes) => Results.Bytes(bytes, "application/octet-stream");
}
