using System.Text.Json;
using System.Text.Json.Nodes;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Clicks;

/// <summary>An instance the simulated annotator did not click, and why.</summary>
public sealed record SkippedInstance(int Object, int Label, int Points, string Reason);

/// <summary>
/// All clicks of one scene, versioned on disk as <c>clickscape.clicks/1</c> JSON (DESIGN.md "Files"):
/// <c>{"format":"clickscape.clicks/1","scene":…,"policy":…,"seed":…,"clicks":[{"object":1,"label":5,
/// "point":1234,"xyz":[…],"positive":true,"order":0}],"skipped":[…]}</c>.
/// </summary>
public sealed class ClickSet
{
    /// <summary>The format tag written to and required in every file.</summary>
    public const string Format = "clickscape.clicks/1";

    /// <summary>Creates a click set.</summary>
    public ClickSet(string scene, string policy, int? seed, IEnumerable<Click> clicks, IEnumerable<SkippedInstance>? skipped = null)
    {
        Scene = scene;
        Policy = policy;
        Seed = seed;
        Clicks = clicks.ToArray();
        Skipped = (skipped ?? []).ToArray();
    }

    /// <summary>Scene id the clicks belong to.</summary>
    public string Scene { get; }

    /// <summary>Policy name (<see cref="ClickPolicyNames"/>) or <c>manual</c>.</summary>
    public string Policy { get; }

    /// <summary>Seed of the simulation, null for manual clicks.</summary>
    public int? Seed { get; }

    /// <summary>The clicks in order.</summary>
    public IReadOnlyList<Click> Clicks { get; }

    /// <summary>Instances that were not clicked (too small, by threshold).</summary>
    public IReadOnlyList<SkippedInstance> Skipped { get; }

    /// <summary>
    /// Checks the clicks against the scene they are meant for; returns null or a one-line problem (a click on
    /// a point that does not exist, a negative label).
    /// </summary>
    public string? Validate(Scene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        foreach (var c in Clicks)
        {
            if ((uint)c.Point >= (uint)scene.PointCount)
                return $"click {c.Order} is on point {c.Point}, but scene '{scene.Name}' has {scene.PointCount} points (expected 0..{scene.PointCount - 1})";
            if (c.Label < 0) return $"click {c.Order} has label {c.Label}, expected a class id ≥ 0";
            if (c.Positive && c.Object <= 0) return $"click {c.Order} is positive but has object id {c.Object}, expected ≥ 1";
        }
        return null;
    }

    /// <summary>Writes the set as JSON, atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>The JSON document.</summary>
    public JsonObject ToJson()
    {
        var clicks = new JsonArray();
        foreach (var c in Clicks)
        {
            clicks.Add(new JsonObject
            {
                ["object"] = c.Object,
                ["label"] = c.Label,
                ["point"] = c.Point,
                ["xyz"] = new JsonArray(c.Xyz.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
                ["positive"] = c.Positive,
                ["order"] = c.Order,
            });
        }
        var skipped = new JsonArray();
        foreach (var s in Skipped)
            skipped.Add(new JsonObject { ["object"] = s.Object, ["label"] = s.Label, ["points"] = s.Points, ["reason"] = s.Reason });
        return new JsonObject
        {
            ["format"] = Format,
            ["scene"] = Scene,
            ["policy"] = Policy,
            ["seed"] = Seed,
            ["clicks"] = clicks,
            ["skipped"] = skipped,
        };
    }

    /// <summary>Reads a click file; any problem is a <see cref="DataFormatException"/> naming the file.</summary>
    public static ClickSet Load(string path) => Parse(InputFile.ReadAllText(path), path);

    /// <summary>Parses click-file <paramref name="json"/>; <paramref name="path"/> names it in errors.</summary>
    public static ClickSet Parse(string json, string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"not valid JSON ({e.Message.ReplaceLineEndings(" ")})", e);
        }
        if (root is not JsonObject obj) throw new DataFormatException(path, "expected a JSON object with \"format\": \"clickscape.clicks/1\"");
        try
        {
            var format = obj["format"]?.GetValue<string>();
            if (format != Format) throw new DataFormatException(path, $"format is '{format}', expected '{Format}'");
            var scene = obj["scene"]?.GetValue<string>() ?? throw new DataFormatException(path, "missing \"scene\"");
            var policy = obj["policy"]?.GetValue<string>() ?? "manual";
            int? seed = obj["seed"] is JsonNode s ? s.GetValue<int>() : null;
            if (obj["clicks"] is not JsonArray array) throw new DataFormatException(path, "missing \"clicks\" array");
            var clicks = new List<Click>(array.Count);
            for (int i = 0; i < array.Count; i++)
            {
                if (array[i] is not JsonObject c) throw new DataFormatException(path, $"clicks[{i}] is not an object");
                var xyz = c["xyz"] is JsonArray xa ? xa.Select(v => v?.GetValue<float>() ?? float.NaN).ToArray() : [];
                if (xyz.Length != 3 || xyz.Any(v => !float.IsFinite(v)))
                    throw new DataFormatException(path, $"clicks[{i}].xyz must be three finite numbers");
                clicks.Add(new Click(
                    Required(c, "object", i, path),
                    Required(c, "label", i, path),
                    Required(c, "point", i, path),
                    xyz,
                    c["positive"]?.GetValue<bool>() ?? true,
                    c["order"]?.GetValue<int>() ?? i));
            }
            var skipped = new List<SkippedInstance>();
            if (obj["skipped"] is JsonArray sk)
            {
                foreach (var node in sk.OfType<JsonObject>())
                {
                    skipped.Add(new SkippedInstance(node["object"]?.GetValue<int>() ?? 0, node["label"]?.GetValue<int>() ?? 0,
                        node["points"]?.GetValue<int>() ?? 0, node["reason"]?.GetValue<string>() ?? ""));
                }
            }
            return new ClickSet(scene, policy, seed, clicks, skipped);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new DataFormatException(path, $"a field has the wrong type ({e.Message.ReplaceLineEndings(" ")})", e);
        }
        catch (ArgumentException e)
        {
            // JsonObject reports a key given twice when it is first read; the constructor checks the clicks.
            throw new DataFormatException(path, e.Message.ReplaceLineEndings(" "), e);
        }

        static int Required(JsonObject c, string name, int i, string path) =>
            c[name]?.GetValue<int>() ?? throw new DataFormatException(path, $"clicks[{i}] has no \"{name}\"");
    }
}
