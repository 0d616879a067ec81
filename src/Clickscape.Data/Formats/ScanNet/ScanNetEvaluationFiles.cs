using System.Globalization;
using System.Text;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.ScanNet;

/// <summary>One line of a ScanNet instance prediction summary <c>&lt;scene&gt;.txt</c>.</summary>
/// <param name="RelativePath">The mask path as written in the file (relative to the summary's folder).</param>
/// <param name="FullPath">The mask path resolved against the summary's folder.</param>
/// <param name="LabelId">The class id, parsed as Python's <c>int(float(x))</c> (truncated toward zero).</param>
/// <param name="Confidence">The confidence (never NaN).</param>
/// <param name="LineNumber">1-based line in the summary file.</param>
public sealed record ScanNetPredictionEntry(string RelativePath, string FullPath, int LabelId, double Confidence, int LineNumber);

/// <summary>A predicted instance to write: its member vertices (sorted, distinct), class id and confidence.</summary>
public sealed record ScanNetPredictedMask(int[] Vertices, int LabelId, double Confidence);

/// <summary>
/// The ScanNet benchmark text formats [SN:BenchmarkScripts/3d_evaluation/evaluate_semantic_instance.py,
/// evaluate_semantic_label.py, util_3d.py]:
/// <list type="bullet">
/// <item>per-vertex id files: one integer per line, one line per mesh vertex (GT instance files hold
/// <c>label·1000 + instance</c>, 0 = unannotated; semantic files hold one nyu40 label);</item>
/// <item>instance prediction summaries <c>&lt;scene&gt;.txt</c>: lines <c>relpath labelId confidence</c>
/// separated by single spaces, relpath relative to the summary's folder and inside it (symlinks resolved);</item>
/// <item>mask files: one integer per line per vertex, nonzero = member.</item>
/// </list>
/// Every reader throws <see cref="DataFormatException"/> naming the file and line on bad input.
/// </summary>
public static class ScanNetEvaluationFiles
{
    /// <summary>The subfolder <see cref="WriteInstancePredictions"/> puts mask files in (as ScanNet's exporter does).</summary>
    public const string MaskFolder = "pred_mask";

    /// <summary>Reads a per-vertex id file (GT <c>label·1000+instance</c> or semantic labels): one integer per line.</summary>
    public static int[] ReadVertexIds(string path)
    {
        var bytes = ReadBytes(path);
        var ids = new List<int>(bytes.Length / 2);
        var line = 0;
        var span = bytes.AsSpan();
        while (!span.IsEmpty)
        {
            line++;
            var end = span.IndexOf((byte)'\n');
            var text = end < 0 ? span : span[..end];
            span = end < 0 ? [] : span[(end + 1)..];
            if (!TryParseLong(text, out var value, out var blank))
                throw new DataFormatException(path, $"line {line}: expected one integer, found '{Show(text)}'");
            if (blank)
            {
                // A trailing newline ends the file; a blank line in the middle is an error.
                if (span.IsEmpty)
                    break;
                throw new DataFormatException(path, $"line {line}: empty line, expected one integer per vertex");
            }
            if (value is < int.MinValue or > int.MaxValue)
                throw new DataFormatException(path, $"line {line}: {value} does not fit a 32-bit id");
            ids.Add((int)value);
        }
        return [.. ids];
    }

    /// <summary>
    /// Reads a mask file and returns the sorted indices of its nonzero lines. Throws when the file has not
    /// exactly <paramref name="vertexCount"/> lines or is missing.
    /// </summary>
    public static int[] ReadMaskVertices(string path, int vertexCount)
    {
        if (Directory.Exists(path))
            throw new DataFormatException(path, "is a folder, expected a mask file (one integer per vertex)");
        if (!File.Exists(path))
            throw new DataFormatException(path, "mask file not found");
        var bytes = ReadBytes(path);
        var members = new List<int>();
        var line = 0;
        var span = bytes.AsSpan();
        while (!span.IsEmpty)
        {
            var end = span.IndexOf((byte)'\n');
            var text = end < 0 ? span : span[..end];
            span = end < 0 ? [] : span[(end + 1)..];
            if (!TryParseLong(text, out var value, out var blank))
                throw new DataFormatException(path, $"line {line + 1}: expected one integer, found '{Show(text)}'");
            if (blank)
            {
                if (span.IsEmpty)
                    break;
                throw new DataFormatException(path, $"line {line + 1}: empty line, expected one integer per vertex");
            }
            if (value != 0)
                members.Add(line);
            line++;
        }
        if (line != vertexCount)
            throw new DataFormatException(path, $"mask has {line} lines but the scene has {vertexCount} vertices");
        return [.. members];
    }

    /// <summary>
    /// Reads an instance prediction summary. Lines must have exactly three fields separated by single
    /// spaces; an empty final line is allowed. A relative path listed twice keeps its first position and
    /// its last label and confidence (the official reader stores lines in a dictionary keyed by path).
    /// </summary>
    public static IReadOnlyList<ScanNetPredictionEntry> ReadPredictionSummary(string path)
    {
        var text = ReadText(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var entries = new List<ScanNetPredictionEntry>();
        var byPath = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0 && i >= lines.Length - 1)
                break;
            var parts = line.Split(' ');
            if (parts.Length != 3)
                throw new DataFormatException(path, $"line {i + 1}: expected 'relpath labelId confidence' separated by single spaces, found '{Show(line)}'");
            if (Path.IsPathRooted(parts[0]))
                throw new DataFormatException(path, $"line {i + 1}: the mask path must be relative, found '{parts[0]}'");
            if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var label) || !double.IsFinite(label))
                throw new DataFormatException(path, $"line {i + 1}: label id '{parts[1]}' is not a number");
            var labelId = Math.Truncate(label);
            if (labelId is < 0 or > int.MaxValue)
                throw new DataFormatException(path, $"line {i + 1}: label id {parts[1]} is out of range (expected a class id ≥ 0)");
            if (!double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var confidence))
                throw new DataFormatException(path, $"line {i + 1}: confidence '{parts[2]}' is not a number");
            if (double.IsNaN(confidence))
                throw new DataFormatException(path, $"line {i + 1}: confidence is NaN");
            var full = Path.GetFullPath(Path.Combine(folder, parts[0]));
            if (!full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !RealPath.IsInside(full, folder))
                throw new DataFormatException(path, $"line {i + 1}: mask path '{parts[0]}' points outside the prediction folder (symlinks resolved)");
            var entry = new ScanNetPredictionEntry(parts[0], full, (int)labelId, confidence, i + 1);
            if (byPath.TryGetValue(full, out var at))
                entries[at] = entry;
            else
            {
                byPath.Add(full, entries.Count);
                entries.Add(entry);
            }
        }
        return entries;
    }

    /// <summary>Writes a per-vertex id file (one integer per line) atomically.</summary>
    public static void WriteVertexIds(string path, ReadOnlySpan<int> ids)
    {
        var copy = ids.ToArray();
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.NewLine = "\n";
            foreach (var id in copy)
                writer.WriteLine(id.ToString(CultureInfo.InvariantCulture));
        });
    }

    /// <summary>
    /// Writes <c>&lt;folder&gt;/&lt;scene&gt;.txt</c> and one mask file per prediction under
    /// <c>&lt;folder&gt;/pred_mask/&lt;scene&gt;_&lt;k&gt;.txt</c>. Confidences are written round-trip.
    /// </summary>
    public static void WriteInstancePredictions(string folder, string scene, int vertexCount, IReadOnlyList<ScanNetPredictedMask> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var summary = new StringBuilder();
        var mask = new int[vertexCount];
        for (var k = 0; k < predictions.Count; k++)
        {
            var p = predictions[k];
            var relative = $"{MaskFolder}/{scene}_{k}.txt";
            Array.Clear(mask);
            foreach (var v in p.Vertices)
            {
                if ((uint)v >= (uint)vertexCount)
                    throw new ArgumentException($"prediction {k} of scene {scene}: vertex {v} is outside 0..{vertexCount - 1}");
                mask[v] = 1;
            }
            WriteVertexIds(Path.Combine(folder, MaskFolder, $"{scene}_{k}.txt"), mask);
            summary.Append(relative).Append(' ').Append(p.LabelId.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(p.Confidence.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        AtomicFile.WriteAllText(Path.Combine(folder, scene + ".txt"), summary.ToString());
    }

    private static byte[] ReadBytes(string path)
    {
        try
        {
            return InputFile.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, $"cannot read: {e.Message}", e);
        }
    }

    private static string ReadText(string path) => Encoding.UTF8.GetString(ReadBytes(path));

    /// <summary>
    /// Parses an optionally signed decimal integer surrounded by optional spaces, tabs or '\r' (what
    /// NumPy's <c>np.array(lines, dtype=np.int64)</c> accepts for ordinary files).
    /// </summary>
    private static bool TryParseLong(ReadOnlySpan<byte> text, out long value, out bool blank)
    {
        value = 0;
        var i = 0;
        while (i < text.Length && IsSpace(text[i]))
            i++;
        var j = text.Length;
        while (j > i && IsSpace(text[j - 1]))
            j--;
        blank = i == j;
        if (blank)
            return true;
        var negative = false;
        if (text[i] is (byte)'-' or (byte)'+')
        {
            negative = text[i] == (byte)'-';
            i++;
            if (i == j)
                return false;
        }
        if (j - i > 18)
            return long.TryParse(Encoding.ASCII.GetString(text[(negative ? i - 1 : i)..j]), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        long v = 0;
        for (; i < j; i++)
        {
            var d = text[i] - (byte)'0';
            if ((uint)d > 9)
                return false;
            v = (v * 10) + d;
        }
        value = negative ? -v : v;
        return true;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r';

    private static string Show(ReadOnlySpan<byte> text) => Show(Encoding.UTF8.GetString(text[..Math.Min(text.Length, 40)]));

    private static string Show(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
