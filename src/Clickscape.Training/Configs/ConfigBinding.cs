using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Clickscape.Training.Configs;

/// <summary>
/// Binds configuration JSON to typed option records: snake_case keys (<c>voxel_size</c> → <c>VoxelSize</c>), unknown
/// keys rejected (a typo is an error, not a silently ignored setting), errors as <see cref="ConfigException"/> naming
/// the section and the JSON path.
/// </summary>
public static class ConfigBinding
{
    /// <summary>The serializer settings of every configuration type.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Binds <paramref name="node"/> (null = all defaults) to <typeparamref name="T"/>, ignoring the keys in <paramref name="skip"/>.</summary>
    public static T Bind<T>(JsonNode? node, string section, params string[] skip) where T : new()
    {
        if (node is null) return new T();
        if (node is not JsonObject obj) throw new ConfigException($"config section '{section}': expected a JSON object");
        var copy = (JsonObject)obj.DeepClone();
        foreach (var key in skip) copy.Remove(key);
        try
        {
            return copy.Deserialize<T>(Options) ?? new T();
        }
        catch (JsonException e)
        {
            throw new ConfigException($"config section '{section}': {OneLine(e.Message)}", e);
        }
    }

    /// <summary>The <c>type</c> of a component section (e.g. <c>"PG-v1m1"</c>).</summary>
    public static string TypeOf(JsonNode? node, string section)
    {
        if (node is not JsonObject obj) throw new ConfigException($"config section '{section}' is missing (expected an object with a \"type\")");
        if (obj["type"] is JsonValue v && v.TryGetValue(out string? type) && type.Length > 0) return type;
        throw new ConfigException($"config section '{section}': missing \"type\" (the registered name of the component)");
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
