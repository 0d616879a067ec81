using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clickscape.Training.Engine;

/// <summary>
/// <c>RUN/log.jsonl</c>: one JSON object per line, <c>{"kind":"step","step":…,"epoch":…,"lr":…,"loss":…,"semantic":…,
/// …,"scenes_per_s":…}</c> per step and <c>{"kind":"eval","step":…,"epoch":…,"split":…,"ap":…,"ap50":…,"ap25":…,
/// "miou":…}</c> per evaluation. Lines are flushed as written. On resume the lines after the checkpoint's step are
/// dropped (a killed run may have logged steps it never checkpointed), so the log matches the weights.
/// </summary>
public sealed class RunLog : IDisposable
{
    private readonly StreamWriter _writer;

    /// <summary>Opens (appends to) the log at <paramref name="path"/>, first keeping only entries with step ≤ <paramref name="keepThroughStep"/> (−1 = start afresh).</summary>
    public RunLog(string path, int keepThroughStep)
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = path;
        var kept = keepThroughStep < 0 || !File.Exists(path) ? [] : Read(path).Where(e => (e["step"]?.GetValue<int>() ?? 0) <= keepThroughStep).ToList();
        Clickscape.Data.IO.AtomicFile.WriteAllText(path, string.Concat(kept.Select(e => e.ToJsonString() + "\n")));
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Appends one entry.</summary>
    public void Write(JsonObject entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _writer.WriteLine(entry.ToJsonString());
    }

    /// <summary>Reads every entry of a log (a torn last line, from a kill mid-write, is skipped).</summary>
    public static IReadOnlyList<JsonObject> Read(string path)
    {
        var result = new List<JsonObject>();
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.Length == 0) continue;
            try
            {
                if (JsonNode.Parse(line) is JsonObject o) result.Add(o);
            }
            catch (JsonException)
            {
            }
        }
        return result;
    }

    /// <summary>A number for a log entry (NaN and infinities as null, which JSON cannot hold).</summary>
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 7)) : null;

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();

    /// <summary>Formats a loss for a progress line.</summary>
    public static string Show(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
