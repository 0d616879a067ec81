using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clickscape.Training.Configs;

/// <summary>
/// Reads training configurations: JSON objects that may name one or more bases in <c>"_base_"</c> (a string or an
/// array), as Pointcept / MMEngine configs do. A base is a preset embedded in this assembly (<c>"cpu"</c>,
/// <c>"paper"</c>, <c>"default"</c>) or a path relative to the file that names it. Bases are merged first (in
/// order), then the file itself: objects merge key by key, recursively; any other value (numbers, strings,
/// arrays such as <c>hooks</c>) replaces the base's. The result has no <c>_base_</c> key.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The key that names a configuration's bases.</summary>
    public const string BaseKey = "_base_";

    private const string ResourcePrefix = "Clickscape.Training.Presets.";

    /// <summary>The names of the embedded presets.</summary>
    public static IReadOnlyList<string> Presets { get; } = typeof(ConfigLoader).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^5]).Order(StringComparer.Ordinal).ToList();

    /// <summary>Loads the preset <paramref name="name"/> with its bases resolved.</summary>
    public static JsonObject LoadPreset(string name) => Resolve(PresetReference(name), []);

    /// <summary>Loads the file at <paramref name="path"/> with its bases resolved.</summary>
    public static JsonObject LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Resolve(Path.GetFullPath(path), []);
    }

    /// <summary>Resolves the bases of an in-memory configuration (relative bases against <paramref name="folder"/>).</summary>
    public static JsonObject Resolve(JsonObject config, string folder, string source = "config")
    {
        ArgumentNullException.ThrowIfNull(config);
        return ResolveObject((JsonObject)config.DeepClone(), folder, source, []);
    }

    /// <summary>Merges <paramref name="overlay"/> into a copy of <paramref name="basis"/> (objects recursively, other values replaced).</summary>
    public static JsonObject Merge(JsonObject basis, JsonObject overlay)
    {
        ArgumentNullException.ThrowIfNull(basis);
        ArgumentNullException.ThrowIfNull(overlay);
        var result = (JsonObject)basis.DeepClone();
        MergeInto(result, overlay);
        return result;
    }

    private static void MergeInto(JsonObject target, JsonObject overlay)
    {
        foreach (var (key, value) in overlay)
        {
            if (value is JsonObject o && target[key] is JsonObject t) MergeInto(t, o);
            else target[key] = value?.DeepClone();
        }
    }

    private static string PresetReference(string name)
    {
        if (!Presets.Contains(name))
            throw new ConfigException($"no preset '{name}' (known presets: {string.Join(", ", Presets)})");
        return "preset:" + name;
    }

    /// <summary>Reads and resolves one reference: "preset:NAME" or an absolute path.</summary>
    private static JsonObject Resolve(string reference, List<string> chain)
    {
        if (chain.Contains(reference))
            throw new ConfigException($"{Show(reference)}: _base_ cycle {string.Join(" → ", chain.Append(reference).Select(Show))}");
        JsonNode? node;
        string folder;
        try
        {
            if (reference.StartsWith("preset:", StringComparison.Ordinal))
            {
                using var stream = typeof(ConfigLoader).Assembly.GetManifestResourceStream(ResourcePrefix + reference[7..] + ".json")!;
                node = JsonNode.Parse(stream, documentOptions: DocumentOptions);
                folder = "";
            }
            else
            {
                if (!File.Exists(reference)) throw new ConfigException($"{reference}: configuration file not found");
                node = JsonNode.Parse(File.ReadAllText(reference), documentOptions: DocumentOptions);
                folder = Path.GetDirectoryName(reference)!;
            }
        }
        catch (JsonException e)
        {
            throw new ConfigException($"{Show(reference)}: not valid JSON ({e.Message.Split('\n')[0]})", e);
        }
        if (node is not JsonObject obj) throw new ConfigException($"{Show(reference)}: expected a JSON object at the top level");
        return ResolveObject(obj, folder, reference, [.. chain, reference]);
    }

    private static JsonObject ResolveObject(JsonObject obj, string folder, string reference, List<string> chain)
    {
        var bases = new List<string>();
        if (obj[BaseKey] is { } baseNode)
        {
            if (baseNode is JsonValue v && v.TryGetValue(out string? one)) bases.Add(one);
            else if (baseNode is JsonArray array)
            {
                foreach (var item in array)
                {
                    if (item is JsonValue iv && iv.TryGetValue(out string? s)) bases.Add(s);
                    else throw new ConfigException($"{Show(reference)}: {BaseKey} entries must be strings (preset names or paths)");
                }
            }
            else throw new ConfigException($"{Show(reference)}: {BaseKey} must be a string or an array of strings");
            obj.Remove(BaseKey);
        }
        var merged = new JsonObject();
        foreach (var b in bases)
        {
            string target = IsPresetName(b) ? PresetReference(b)
                : folder.Length == 0 ? throw new ConfigException($"{Show(reference)}: {BaseKey} '{b}' is a path, but a preset can only name presets ({string.Join(", ", Presets)})")
                : Path.GetFullPath(Path.Combine(folder, b));
            merged = Merge(merged, Resolve(target, chain));
        }
        return Merge(merged, obj);
    }

    private static bool IsPresetName(string b) =>
        !b.Contains('/', StringComparison.Ordinal) && !b.Contains('\\', StringComparison.Ordinal) && !b.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    private static string Show(string reference) => reference.StartsWith("preset:", StringComparison.Ordinal) ? $"preset '{reference[7..]}'" : reference;

    /// <summary>How every configuration file is read: comments and trailing commas allowed; a key written twice in one object
    /// is an error (a JsonException naming it) rather than one value silently winning or a crash later.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false };
}
