using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Clickscape.Studio.Tests.Api;

/// <summary>Small JSON helpers over the test client: every answer as (status, JSON root).</summary>
internal static class ApiClient
{
    public static async Task<(HttpStatusCode Status, JsonElement Json)> Get(this HttpClient client, string path) =>
        await Read(await client.GetAsync(path));

    public static async Task<(HttpStatusCode Status, JsonElement Json)> Post(this HttpClient client, string path, object body) =>
        await Read(await client.PostAsJsonAsync(path, body));

    public static async Task<(HttpStatusCode Status, JsonElement Json)> PostRaw(this HttpClient client, string path, string body) =>
        await Read(await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json")));

    public static async Task<(HttpStatusCode Status, JsonElement Json)> Patch(this HttpClient client, string path, object body) =>
        await Read(await client.PatchAsJsonAsync(path, body));

    public static async Task<(HttpStatusCode Status, JsonElement Json)> Delete(this HttpClient client, string path) =>
        await Read(await client.DeleteAsync(path));

    public static async Task<byte[]> Bytes(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Adds an object and returns (new version, object id).</summary>
    public static async Task<(int Version, int Object)> AddObject(this HttpClient client, string scene, int version, int label, int point)
    {
        var (status, json) = await client.Post($"/api/scenes/{scene}/objects", new { version, label, point, seconds = 2.5 });
        Assert.Equal(HttpStatusCode.Created, status);
        return (json.GetProperty("version").GetInt32(), json.GetProperty("object").GetInt32());
    }

    public static bool[] Mask(JsonElement refine, int points)
    {
        var bits = Convert.FromBase64String(refine.GetProperty("mask").GetString()!);
        return Clickscape.Studio.Api.MaskBits.Unpack(bits, points);
    }

    private static async Task<(HttpStatusCode, JsonElement)> Read(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK && response.StatusCode != HttpStatusCode.Created)
        {
            // Every failure is a JSON {"error": "..."} with one line and no stack trace.
            Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType ?? "");
            using var doc = JsonDocument.Parse(text);
            var error = doc.RootElement.GetProperty("error").GetString()!;
            Assert.DoesNotContain("\n", error);
            Assert.DoesNotContain("   at ", error);
            return (response.StatusCode, doc.RootElement.Clone());
        }
        using var ok = JsonDocument.Parse(text);
        return (response.StatusCode, ok.RootElement.Clone());
    }
}
