using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Clickscape.Studio.Api;

/// <summary>A request's JSON object body, read with a size bound, and its fields checked one by one with messages a person can act on.</summary>
public sealed class JsonBody
{
    private readonly JsonElement _root;

    private JsonBody(JsonElement root) => _root = root;

    /// <summary>Reads the body of <paramref name="request"/> (at most <paramref name="maxBytes"/>; 413 beyond, 400 when not a JSON object).</summary>
    public static async Task<JsonBody> ReadAsync(HttpRequest request, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes)
            throw new ApiException(413, $"request body of {request.ContentLength} bytes is larger than the limit of {maxBytes} bytes");
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new ApiException(413, $"request body is larger than the limit of {maxBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) throw new ApiException("request body is empty; expected a JSON object");
        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ApiException($"request body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}; expected a JSON object");
            return new JsonBody(document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw new ApiException($"request body is not valid JSON ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    /// <summary>A required integer field.</summary>
    public int Int(string name) => OptionalInt(name) ?? throw new ApiException($"request body has no \"{name}\"; expected an integer");

    /// <summary>An optional integer field.</summary>
    public int? OptionalInt(string name)
    {
        if (!_root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i : throw new ApiException($"\"{name}\" is {Describe(v)}; expected an integer");
    }

    /// <summary>An optional 64-bit integer field.</summary>
    public long? OptionalLong(string name)
    {
        if (!_root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long i) ? i : throw new ApiException($"\"{name}\" is {Describe(v)}; expected an integer");
    }

    /// <summary>An optional finite number field.</summary>
    public double? OptionalDouble(string name)
    {
        if (!_root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d)
            ? d : throw new ApiException($"\"{name}\" is {Describe(v)}; expected a number");
    }

    /// <summary>An optional string field (at most 200 characters).</summary>
    public string? OptionalString(string name)
    {
        if (!_root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        var text = v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new ApiException($"\"{name}\" is {Describe(v)}; expected a string");
        return text.Length <= 200 ? text : throw new ApiException($"\"{name}\" is {text.Length} characters long; expected at most 200");
    }

    /// <summary>An optional boolean field.</summary>
    public bool? OptionalBool(string name) => _root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? Bool(name) : null;

    /// <summary>An optional JSON object field, as its raw text (null when absent).</summary>
    public string? OptionalObjectText(string name)
    {
        if (!_root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Object ? v.GetRawText() : throw new ApiException($"\"{name}\" is {Describe(v)}; expected a JSON object");
    }

    /// <summary>A required boolean field.</summary>
    public bool Bool(string name)
    {
        if (!_root.TryGetProperty(name, out var v)) throw new ApiException($"request body has no \"{name}\"; expected true or false");
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ApiException($"\"{name}\" is {Describe(v)}; expected true or false"),
        };
    }

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {v.GetRawText()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
